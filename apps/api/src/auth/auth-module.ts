// Access control for the api, built once by the composition root: the stores over the api's database, the
// gate that every /v1 request passes, the auth routes, and the first-admin bootstrap run at start.

import type { Env } from '@qbo-sync/adapters/config';
import type { createDatabase, createPool } from '@qbo-sync/adapters/postgres';
import type express from 'express';
import { createApiKeyRateLimit } from './api-key-rate-limit.js';
import { createApiKeyStore } from './api-key-store.js';
import type { AuthTables } from './auth-tables.js';
import { authRoutes } from './auth-routes.js';
import { authenticate } from './authenticate.js';
import { type BootstrapOutcome, bootstrapAdmin } from './bootstrap-admin.js';
import { createLoginThrottle } from './login-throttle.js';
import { createSessionStore } from './session-store.js';
import { createTenantStore } from './tenant-store.js';
import { createUserStore } from './user-store.js';

export interface AuthModule {
  /** Install before every feature router: it refuses what the access policy does not allow. */
  readonly gate: express.RequestHandler;
  readonly routes: express.Router;
  /** Creates the first admin if there is no user yet (after migrations). */
  bootstrap(): Promise<BootstrapOutcome>;
}

export const createAuthModule = (options: {
  db: ReturnType<typeof createDatabase<unknown>>;
  /** The counters of the sign-in throttle and the API key rate live in its `api_rate_limits` table. */
  pool: ReturnType<typeof createPool>;
  apiKeyRequestsPerMinute: number;
  env: Env;
  print?: (text: string) => void;
}): AuthModule => {
  const db = options.db.withTables<AuthTables>();
  const users = createUserStore(db);
  const sessions = createSessionStore(db);
  const apiKeys = createApiKeyStore(db);
  const tenants = createTenantStore(db);
  return {
    gate: authenticate({ sessions, apiKeys, apiKeyRate: createApiKeyRateLimit({ pool: options.pool, requestsPerMinute: options.apiKeyRequestsPerMinute }) }),
    routes: authRoutes({ users, sessions, apiKeys, tenants, throttle: createLoginThrottle({ pool: options.pool }) }),
    bootstrap: () => bootstrapAdmin({ users, env: options.env, ...(options.print === undefined ? {} : { print: options.print }) }),
  };
};
