// The connection's status as people read it: one row per tenant of the connection_status read model (folded
// from connection events and SyncCompleted), joined with the realm's last successful call. Follows the log by
// the projector's lag; nothing decides from it.

import type { ConnectionWarning } from '../connection/connection-warnings.js';

export interface ConnectionStatusView {
  readonly tenantId: string;
  readonly state: 'not_connected' | 'connected' | 'disconnected';
  readonly realmId: string | null;
  readonly companyName: string | null;
  readonly country: string | null;
  readonly homeCurrency: string | null;
  readonly multiCurrencyEnabled: boolean | null;
  readonly customTransactionNumbers: boolean | null;
  readonly health: 'healthy' | 'degraded' | 'down' | null;
  readonly healthReason: string | null;
  readonly accessTokenExpiresAt: string | null;
  readonly refreshTokenExpiresAt: string | null;
  readonly refreshTokenHardExpiresAt: string | null;
  readonly lastRefreshedAt: string | null;
  readonly lastSuccessfulCallAt: string | null;
  readonly lastSyncAt: string | null;
  readonly lastError: { readonly message: string; readonly at: string | null } | null;
  readonly connectedAt: string | null;
  readonly disconnectedAt: string | null;
  readonly warnings: readonly ConnectionWarning[];
}

export interface ConnectionStatusReader {
  /** `now` words the warnings (days left before an expiry). */
  read(tenantId: string, now: Date): Promise<ConnectionStatusView>;
}
