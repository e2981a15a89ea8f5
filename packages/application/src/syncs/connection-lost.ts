// A run that lost its QuickBooks connection is not helped by trying again: Intuit refused the stored grant
// (invalid_grant and its kin, confirmed after the vault was re-read; the refresh has already recorded the
// connection down), or the tenant's tokens are gone (disconnected while the run was queued or running). Such a
// failure is final at once and says where to reconnect; every other failure is left to the job queue's retries.

import { OAuthTokenError } from '@qbo-sync/domain';
import { NoStoredTokensError } from '../connection/connection-flow-error.js';
import { reconnectHint } from '../connection/reconnect-hint.js';

/** Why the run cannot go on until someone reconnects, or null when a retry may help. Never carries a token. */
export const connectionLostReason = (error: unknown, tenantId: string): string | null => {
  if (error instanceof OAuthTokenError && !error.transient) return `QuickBooks refused the stored grant (${error.code}); ${reconnectHint(tenantId)}`;
  if (error instanceof NoStoredTokensError) return `QuickBooks is no longer connected to this tenant; ${reconnectHint(tenantId)}`;
  return null;
};
