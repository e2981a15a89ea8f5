// The `refresh_due_tokens` cron job (every 5 minutes): calls the application's refreshDueTokens use case,
// which refreshes every connection whose access token expires soon or whose tokens are a day old, so the
// refresh token keeps rolling for tenants that rarely sync. Single-flight per realm across processes, so any
// number of workers may run it. The job has no payload.

import type { RefreshDueTokensResult } from '@qbo-sync/application';
import type { Task } from 'graphile-worker';

export const REFRESH_DUE_TOKENS_CRONTAB = '*/5 * * * * refresh_due_tokens ?max=1&id=refresh_due_tokens';

/** The use case, bound to the worker's connection by the composition root. */
export type RefreshDueTokens = () => Promise<RefreshDueTokensResult>;

export const refreshDueTokensTask =
  (refreshDueTokens: RefreshDueTokens): Task =>
  async (_payload, helpers) => {
    const result = await refreshDueTokens();
    helpers.logger.info(`token refresh round: ${result.refreshed} refreshed, ${result.failed} failed`);
  };
