// Use case: Intuit sent someone's browser to the Disconnect or Reconnect landing page, naming a QBO company
// (realmId). That request is unauthenticated and unsigned, so its word changes nothing by itself: each tenant
// holding tokens for that company has its grant checked at Intuit with a refresh (single-flight per realm, as
// always). Only Intuit refusing the grant (invalid_grant, after the vault is re-read) marks the connection
// down, through the refresh's usual ConnectionRefreshFailed and ConnectionHealthChanged; a grant Intuit
// still honours stays as it is. Tokens refreshed within the last minute are taken as proof the grant was alive
// (GRANT_CHECK_INTERVAL_MS), so opening the page in a loop cannot hammer Intuit.

import { OAuthTokenError, isConnectedTo } from '@qbo-sync/domain';
import { NoStoredTokensError } from './connection-flow-error.js';
import { loadConnectionState } from './handle-connection-command.js';
import { type TokenDeps, refreshTokens } from './refresh-tokens.js';

/** What Intuit said of a tenant's grant: gone (the connection is down), alive, or no answer (Intuit unreachable). */
export type GrantCheck = 'down' | 'alive' | 'unconfirmed';

export interface CheckRealmGrantsResult {
  readonly realmId: string;
  readonly tenants: ReadonlyArray<{ readonly tenantId: string; readonly grant: GrantCheck }>;
}

const errorFields = (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message } : String(error));

const checkTenant = async (deps: TokenDeps, tenantId: string, realmId: string): Promise<GrantCheck | null> => {
  const state = await loadConnectionState(deps.eventStore, tenantId);
  if (!isConnectedTo(state, realmId)) return null;
  if (state.health === 'down') return 'down';
  try {
    await refreshTokens(deps, tenantId, { grantCheck: true });
    return 'alive';
  } catch (error) {
    if (error instanceof NoStoredTokensError) return null;
    if (error instanceof OAuthTokenError) return error.transient ? 'unconfirmed' : 'down';
    deps.logger.warn({ tenantId, realmId, err: errorFields(error) }, 'could not check a grant at Intuit');
    return 'unconfirmed';
  }
};

export const checkRealmGrants = async (deps: TokenDeps, realmId: string): Promise<CheckRealmGrantsResult> => {
  const tenants: { tenantId: string; grant: GrantCheck }[] = [];
  for (const tenantId of await deps.vault.holdersOf(realmId)) {
    const grant = await checkTenant(deps, tenantId, realmId);
    if (grant !== null) tenants.push({ tenantId, grant });
  }
  deps.logger.info({ realmId, tenants }, 'checked the grants of a company Intuit reported disconnected');
  return { realmId, tenants };
};
