// Use case: the worker's `refresh_due_tokens` cron round (every 5 minutes). Every connection whose access token
// expires soon or whose tokens are a day old is refreshed, one after the other, so tenants that rarely sync keep
// a live refresh token. Failures are recorded on their streams (by the refresh) and counted, not thrown, so one
// dead grant does not stop the round. Any number of workers may run it: refreshes are single-flight per realm.

import { OAuthTokenError, dueBounds } from '@qbo-sync/domain';
import { type TokenDeps, isDue, refreshTokens } from './refresh-tokens.js';

export interface RefreshDueTokensResult {
  readonly refreshed: number;
  readonly failed: number;
}

export const refreshDueTokens = async (deps: TokenDeps): Promise<RefreshDueTokensResult> => {
  const { before, staleBefore } = dueBounds(deps.now(), deps.refreshPolicy);
  const due = await deps.vault.dueForRefresh(before, staleBefore);
  let refreshed = 0;
  let failed = 0;
  for (const { tenantId } of due) {
    try {
      const stored = await deps.vault.read(tenantId);
      if (stored === null || !isDue(deps, stored)) continue;
      await refreshTokens(deps, tenantId, { seenVersion: stored.version });
      refreshed += 1;
    } catch (error) {
      failed += 1;
      // Intuit's refusals are logged and recorded by the refresh; anything else (the database, the vault) only here.
      if (!(error instanceof OAuthTokenError)) {
        deps.logger.warn({ tenantId, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'could not refresh tokens');
      }
    }
  }
  return { refreshed, failed };
};
