// The api's composition root: the only place that picks concrete adapters (pg pool, Kysely) and wires
// them with inversify. Bindings are decorator-free (toResolvedValue), as tsx emits no metadata.

import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConfigurationError, type Env, checkDatabaseReadiness, createLogger } from '@qbo-sync/adapters/config';
import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { createEventStore } from '@qbo-sync/adapters/event-store';
import type { EventStore } from '@qbo-sync/domain';
import type express from 'express';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { ApiConfig } from './config.js';
import { createApp } from './http/app.js';
import type { ReadinessProbe } from './http/health-routes.js';
import { type HttpMetrics, createHttpMetrics } from './http/http-metrics.js';
import { answerClientErrors } from './http/client-errors.js';
import { startMetricsServer } from './http/metrics-server.js';
import { connectionRoutes } from './connection/connection-routes.js';
import { type ApiConnection, apiQboConfig, createApiConnection } from './connection/connection-wiring.js';
import { type AuthModule, createAuthModule } from './auth/auth-module.js';
import { applicationRoutes } from './records/application-routes.js';
import { createTenantDirectory } from './records/route-support.js';
import type { AuthTables } from './auth/auth-tables.js';
import { createTenantStore } from './auth/tenant-store.js';

// The adapters' own types, so this app needs no direct dependency on pg or kysely.
type Pool = ReturnType<typeof createPool>;
type Db = ReturnType<typeof createDatabase<unknown>>;

export const TOKENS = {
  Config: Symbol.for('api.Config'),
  Logger: Symbol.for('api.Logger'),
  Pool: Symbol.for('api.Pool'),
  Db: Symbol.for('api.Db'),
  Metrics: Symbol.for('api.Metrics'),
  Readiness: Symbol.for('api.Readiness'),
  App: Symbol.for('api.App'),
  Api: Symbol.for('api.Api'),
  Connection: Symbol.for('api.Connection'),
  Auth: Symbol.for('api.Auth'),
  EventStore: Symbol.for('api.EventStore'),
} as const;

export interface Api {
  /** Migrates (unless turned off), then listens. Resolves with the base URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

const DEFAULT_ADMIN_WEB_DIR = fileURLToPath(new URL('../../admin-web/dist', import.meta.url));

const createApi = (
  config: ApiConfig,
  logger: Logger,
  pool: Pool,
  db: Db,
  app: express.Express,
  connection: ApiConnection,
  auth: AuthModule,
  eventStore: EventStore,
  metrics: HttpMetrics,
): Api => {
  let server: Server | undefined;
  let metricsServer: Server | undefined;
  return {
    start: async () => {
      if (config.migrateOnStart) await migrateToLatest(db);
      await auth.bootstrap().catch((error: unknown) => {
        // A bad ADMIN_* stops start-up; a database not ready yet (unreachable, migrations pending) does not:
        // /readyz reports it, and the first admin is created at the next start.
        if (error instanceof ConfigurationError) throw error;
        logger.warn({ code: (error as { code?: unknown }).code }, 'database not ready: no first admin created');
      });
      server = app.listen(config.port, config.host);
      answerClientErrors(server);
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const url = `http://${config.host}:${port}`;
      logger.info({ url }, 'api listening');
      if (config.metricsAccess.kind === 'own_port') {
        metricsServer = await startMetricsServer(metrics, config.metricsAccess.host, config.metricsAccess.port);
        logger.info({ url: `http://${config.metricsAccess.host}:${(metricsServer.address() as AddressInfo).port}/metrics` }, 'metrics listening');
      }
      return url;
    },
    stop: async () => {
      if (metricsServer !== undefined) await new Promise<void>((resolve) => metricsServer?.close(() => resolve()));
      if (server !== undefined) {
        const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
        server.closeIdleConnections();
        await closing;
      }
      await connection.close();
      await eventStore.close();
      await pool.end();
      logger.info('api stopped');
    },
  };
};

export const createApiContainer = (config: ApiConfig, overrides: { logger?: Logger; env?: Env } = {}): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<ApiConfig>(TOKENS.Config).toConstantValue(config);
  container
    .bind<Logger>(TOKENS.Logger)
    .toResolvedValue((cfg: ApiConfig) => overrides.logger ?? createLogger({ service: 'api', level: cfg.logLevel }), [TOKENS.Config]);
  container.bind<Pool>(TOKENS.Pool).toResolvedValue(
    (cfg: ApiConfig, logger: Logger) => {
      const pool = createPool({ connectionString: cfg.databaseUrl, applicationName: 'qbo-sync api' });
      // An idle client whose server went away emits 'error'; without a listener that kills the process.
      pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
      return pool;
    },
    [TOKENS.Config, TOKENS.Logger],
  );
  container.bind<Db>(TOKENS.Db).toResolvedValue((pool: Pool) => createDatabase<unknown>(pool), [TOKENS.Pool]);
  // One log per process, picked by EVENT_STORE; it keeps the write side's record directory with each append.
  container.bind<EventStore>(TOKENS.EventStore).toResolvedValue(
    (cfg: ApiConfig, db: Db) => createEventStore(db, { kind: cfg.eventStore, databaseUrl: cfg.databaseUrl, eventStoreUrl: cfg.eventStoreUrl }),
    [TOKENS.Config, TOKENS.Db],
  );
  container.bind<HttpMetrics>(TOKENS.Metrics).toResolvedValue(() => createHttpMetrics());
  container.bind<ReadinessProbe>(TOKENS.Readiness).toResolvedValue((db: Db) => () => checkDatabaseReadiness(db), [TOKENS.Db]);
  container.bind<ApiConnection>(TOKENS.Connection).toResolvedValue(
    (cfg: ApiConfig, logger: Logger, db: Db, eventStore: EventStore) =>
      createApiConnection({ qbo: apiQboConfig(overrides.env ?? process.env, cfg), eventStore, db, logger }),
    [TOKENS.Config, TOKENS.Logger, TOKENS.Db, TOKENS.EventStore],
  );
  container
    .bind<AuthModule>(TOKENS.Auth)
    .toResolvedValue(
      (cfg: ApiConfig, pool: Pool, db: Db) => createAuthModule({ db, pool, apiKeyRequestsPerMinute: cfg.apiKeyRequestsPerMinute, env: overrides.env ?? process.env }),
      [TOKENS.Config, TOKENS.Pool, TOKENS.Db],
    );
  container.bind<express.Express>(TOKENS.App).toResolvedValue(
    (cfg: ApiConfig, logger: Logger, metrics: HttpMetrics, readiness: ReadinessProbe, connection: ApiConnection, auth: AuthModule, db: Db, eventStore: EventStore) =>
      createApp({
        logger,
        metrics,
        readiness,
        bodyLimitBytes: cfg.bodyLimitBytes,
        trustProxy: cfg.trustProxy,
        metricsAccess: cfg.metricsAccess,
        adminWebDir: cfg.adminWebDir ?? DEFAULT_ADMIN_WEB_DIR,
        gate: auth.gate,
        routers: [
          auth.routes,
          connectionRoutes({ connection: () => connection.deps(), tenants: createTenantDirectory(createTenantStore(db.withTables<AuthTables>())) }),
          ...applicationRoutes({ db, eventStore }),
        ],
      }),
    [TOKENS.Config, TOKENS.Logger, TOKENS.Metrics, TOKENS.Readiness, TOKENS.Connection, TOKENS.Auth, TOKENS.Db, TOKENS.EventStore],
  );
  container
    .bind<Api>(TOKENS.Api)
    .toResolvedValue(createApi, [TOKENS.Config, TOKENS.Logger, TOKENS.Pool, TOKENS.Db, TOKENS.App, TOKENS.Connection, TOKENS.Auth, TOKENS.EventStore, TOKENS.Metrics]);
  return container;
};
