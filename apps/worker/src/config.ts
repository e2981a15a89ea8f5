// The worker's settings, read from the environment. A bad value stops start-up naming the variable.

import { ConfigurationError, type Env, eventStoreKind, httpUrl, logLevel, optional, parseEnv, positiveInteger, postgresUrl, required, withDefault } from '@qbo-sync/adapters/config';
import { z } from 'zod';

export const loadWorkerConfig = (env: Env) => {
  const parsed = parseEnv(
    {
      DATABASE_URL: required(postgresUrl),
      LOG_LEVEL: withDefault(logLevel, 'info'),
      WORKER_CONCURRENCY: withDefault(positiveInteger, 5),
      WORKER_SCHEMA: withDefault(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier'), 'graphile_worker'),
      WORKER_POLL_INTERVAL_MS: withDefault(positiveInteger, 2_000),
      // How often a worker beats and looks for jobs held by dead workers: a killed worker's job is released
      // within about this long (its database session ends with it; see worker-heartbeat.ts).
      WORKER_HEARTBEAT_MS: withDefault(positiveInteger, 1_000),
      // Only for a job held by a worker that noted no database session (one starting, or an older version):
      // it is taken for dead when it has been silent this long.
      WORKER_STALE_AFTER_MS: withDefault(positiveInteger, 20_000),
      SYNC_RETRY_BASE_MS: withDefault(positiveInteger, 500),
      EVENT_STORE: withDefault(eventStoreKind, 'postgres'),
      EVENTSTORE_URL: optional(httpUrl),
    },
    env,
  );
  if (parsed.EVENT_STORE === 'eventstoredb' && parsed.EVENTSTORE_URL === undefined) {
    throw new ConfigurationError([{ variable: 'EVENTSTORE_URL', message: 'is required when EVENT_STORE=eventstoredb' }]);
  }
  return {
    databaseUrl: parsed.DATABASE_URL,
    logLevel: parsed.LOG_LEVEL,
    concurrency: parsed.WORKER_CONCURRENCY,
    schema: parsed.WORKER_SCHEMA,
    pollIntervalMs: parsed.WORKER_POLL_INTERVAL_MS,
    heartbeatMs: parsed.WORKER_HEARTBEAT_MS,
    staleAfterMs: parsed.WORKER_STALE_AFTER_MS,
    retryBaseMs: parsed.SYNC_RETRY_BASE_MS,
    eventStore: parsed.EVENT_STORE,
    eventStoreUrl: parsed.EVENTSTORE_URL,
  };
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
