// Keeps every connection's tokens fresh without waiting for a QBO call: every few minutes, refresh the
// tenants whose access token expires soon or whose tokens are a day old, so the refresh token keeps rolling
// even for a tenant that syncs rarely. Safe to run in many processes: refreshes are single-flight per realm.

import type { Logger } from 'pino';
import type { TokenRefresher } from './single-flight-token-refresher.js';

export interface ProactiveRefresh {
  /** Runs one round now (tests, start-up). */
  runOnce(): Promise<{ refreshed: number; failed: number }>;
  stop(): Promise<void>;
}

export const startProactiveRefresh = (options: { refresher: TokenRefresher; logger: Logger; intervalMs?: number }): ProactiveRefresh => {
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  let running: Promise<unknown> = Promise.resolve();
  const runOnce = async () => {
    const result = await options.refresher.refreshAllDue();
    if (result.refreshed + result.failed > 0) options.logger.info(result, 'proactive token refresh round');
    return result;
  };
  const timer = setInterval(() => {
    running = running.then(runOnce).catch((error: unknown) => {
      options.logger.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'proactive token refresh round failed');
    });
  }, intervalMs);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
};
