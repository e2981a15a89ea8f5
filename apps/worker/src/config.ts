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
    },
    env,
  );
  return {
    databaseUrl: parsed.DATABASE_URL,
    logLevel: parsed.LOG_LEVEL,
    concurrency: parsed.WORKER_CONCURRENCY,
    schema: parsed.WORKER_SCHEMA,
    pollIntervalMs: parsed.WORKER_POLL_INTERVAL_MS,
  };
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
