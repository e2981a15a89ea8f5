// The projector's settings, read from the environment. A bad value stops start-up naming the variable.

import { ConfigurationError, type Env, eventStoreKind, httpUrl, logLevel, optional, parseEnv, positiveInteger, postgresUrl, required, withDefault } from '@qbo-sync/adapters/config';
import { z } from 'zod';

export const loadProjectorConfig = (env: Env) => {
  const parsed = parseEnv(
    {
      DATABASE_URL: required(postgresUrl),
      LOG_LEVEL: withDefault(logLevel, 'info'),
      EVENT_STORE: withDefault(eventStoreKind, 'postgres'),
      EVENTSTORE_URL: optional(httpUrl),
      MIGRATE_ON_START: withDefault(z.enum(['true', 'false'], { error: 'must be true or false' }), 'true'),
      PROJECTOR_BATCH_SIZE: withDefault(positiveInteger, 500),
      PROJECTOR_LOCK_POLL_MS: withDefault(positiveInteger, 1_000),
    },
    env,
  );
  if (parsed.EVENT_STORE === 'eventstoredb' && parsed.EVENTSTORE_URL === undefined) {
    throw new ConfigurationError([{ variable: 'EVENTSTORE_URL', message: 'is required when EVENT_STORE=eventstoredb' }]);
  }
  return {
    databaseUrl: parsed.DATABASE_URL,
    logLevel: parsed.LOG_LEVEL,
    eventStore: parsed.EVENT_STORE,
    eventStoreUrl: parsed.EVENTSTORE_URL,
    migrateOnStart: parsed.MIGRATE_ON_START === 'true',
    batchSize: parsed.PROJECTOR_BATCH_SIZE,
    lockPollMs: parsed.PROJECTOR_LOCK_POLL_MS,
  };
};

export type ProjectorConfig = ReturnType<typeof loadProjectorConfig>;
