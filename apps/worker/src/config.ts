// The worker's settings, read from the environment. A bad value stops start-up naming the variable.

import { type Env, logLevel, parseEnv, positiveInteger, postgresUrl, required, withDefault } from '@qbo-sync/adapters';
import { z } from 'zod';

export const loadWorkerConfig = (env: Env) => {
  const parsed = parseEnv(
    {
      DATABASE_URL: required(postgresUrl),
      LOG_LEVEL: withDefault(logLevel, 'info'),
      WORKER_CONCURRENCY: withDefault(positiveInteger, 5),
      WORKER_SCHEMA: withDefault(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier'), 'graphile_worker'),
      WORKER_POLL_INTERVAL_MS: withDefault(positiveInteger, 2_000),
      WORKER_HEARTBEAT_MS: withDefault(positiveInteger, 5_000),
      // A worker silent this long is taken for dead and its jobs are unlocked for another.
      WORKER_STALE_AFTER_MS: withDefault(positiveInteger, 20_000),
      // How long a sync run waits for the records read model to catch up with the log before it plans.
      SYNC_READ_MODEL_WAIT_MS: withDefault(positiveInteger, 60_000),
      SYNC_RETRY_BASE_MS: withDefault(positiveInteger, 500),
    },
    env,
  );
  return {
    databaseUrl: parsed.DATABASE_URL,
    logLevel: parsed.LOG_LEVEL,
    concurrency: parsed.WORKER_CONCURRENCY,
    schema: parsed.WORKER_SCHEMA,
    pollIntervalMs: parsed.WORKER_POLL_INTERVAL_MS,
    heartbeatMs: parsed.WORKER_HEARTBEAT_MS,
    staleAfterMs: parsed.WORKER_STALE_AFTER_MS,
    readModelWaitMs: parsed.SYNC_READ_MODEL_WAIT_MS,
    retryBaseMs: parsed.SYNC_RETRY_BASE_MS,
  };
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
