// The `refresh_due_tokens` cron job (every 5 minutes): refreshes every connection whose access token
// expires soon or whose tokens are a day old, so the refresh token keeps rolling for tenants that rarely
// sync. Single-flight per realm across processes, so any number of workers may run it.

import type { TokenRefresher } from '@qbo-sync/adapters/intuit-oauth';
import type { Task } from 'graphile-worker';

export const REFRESH_DUE_TOKENS_CRONTAB = '*/5 * * * * refresh_due_tokens ?max=1&id=refresh_due_tokens';

export const refreshDueTokensTask =
  (refresher: () => Promise<TokenRefresher>): Task =>
  async (_payload, helpers) => {
    const result = await (await refresher()).refreshAllDue();
    helpers.logger.info(`token refresh round: ${result.refreshed} refreshed, ${result.failed} failed`);
  };
