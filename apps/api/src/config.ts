// The api's settings, read from the environment. A bad value stops start-up naming the variable.

import { type Env, logLevel, optional, parseEnv, portNumber, positiveInteger, postgresUrl, required, withDefault } from '@qbo-sync/adapters';
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
    },
    env,
  );
  return {
    databaseUrl: parsed.DATABASE_URL,
    port: parsed.API_PORT,
    host: parsed.API_HOST,
    bodyLimitBytes: parsed.API_BODY_LIMIT_BYTES,
    logLevel: parsed.LOG_LEVEL,
    migrateOnStart: parsed.MIGRATE_ON_START === 'true',
    adminWebDir: parsed.ADMIN_WEB_DIR,
  };
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;
