// The api's settings, read from the environment. A bad value stops start-up naming the variable.

import { ConfigurationError, type Env, eventStoreKind, httpUrl, logLevel, optional, parseEnv, portNumber, positiveInteger, postgresUrl, required, withDefault } from '@qbo-sync/adapters/config';
import { z } from 'zod';

export const loadApiConfig = (env: Env) => {
  const parsed = parseEnv(
    {
      DATABASE_URL: required(postgresUrl),
      API_PORT: withDefault(portNumber, 3000),
      API_HOST: withDefault(z.string(), '127.0.0.1'),
      API_BODY_LIMIT_BYTES: withDefault(positiveInteger, 1_048_576),
      LOG_LEVEL: withDefault(logLevel, 'info'),
      MIGRATE_ON_START: withDefault(z.enum(['true', 'false'], { error: 'must be true or false' }), 'true'),
      ADMIN_WEB_DIR: optional(z.string()),
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
    port: parsed.API_PORT,
    host: parsed.API_HOST,
    bodyLimitBytes: parsed.API_BODY_LIMIT_BYTES,
    logLevel: parsed.LOG_LEVEL,
    migrateOnStart: parsed.MIGRATE_ON_START === 'true',
    adminWebDir: parsed.ADMIN_WEB_DIR,
    eventStore: parsed.EVENT_STORE,
    eventStoreUrl: parsed.EVENTSTORE_URL,
  };
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;
