// The projector's composition root: the only place that picks concrete adapters (pg pool, event store)
// and wires them with inversify. Bindings are decorator-free (toResolvedValue), as tsx emits no metadata.

import { createDatabase, createPool, createPostgresEventStore, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { createEsdbEventStore } from '@qbo-sync/adapters/eventstoredb';
import { createLogger } from '@qbo-sync/adapters/config';
import type { EventStore } from '@qbo-sync/domain';
import { Container } from 'inversify';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ProjectorConfig } from './config.js';
import type { Projection } from './projection.js';
import { type ProjectionRunner, startProjectionRunner } from './projection-runner.js';
import { projections } from './projections/index.js';
import type { ReadModels } from './read-models.js';

export const TOKENS = {
  Config: Symbol.for('projector.Config'),
  Logger: Symbol.for('projector.Logger'),
  Pool: Symbol.for('projector.Pool'),
  Db: Symbol.for('projector.Db'),
  EventStore: Symbol.for('projector.EventStore'),
  Projections: Symbol.for('projector.Projections'),
  Projector: Symbol.for('projector.Projector'),
} as const;

export interface Projector {
  start(): Promise<void>;
  stop(): Promise<void>;
  runners(): readonly ProjectionRunner[];
}

const createProjector = (config: ProjectorConfig, logger: Logger, db: Kysely<ReadModels>, eventStore: EventStore, list: readonly Projection[]): Projector => {
  let running: ProjectionRunner[] = [];
  return {
    start: async () => {
      if (config.migrateOnStart) await migrateToLatest(db as Kysely<unknown>);
      running = list.map((projection) =>
        startProjectionRunner({
          db,
          connectionString: config.databaseUrl,
          eventStore,
          projection,
          logger,
          batchSize: config.batchSize,
          lockPollMs: config.lockPollMs,
        }),
      );
      logger.info({ projections: list.map((projection) => projection.name), eventStore: config.eventStore }, 'projector started');
    },
    stop: async () => {
      await Promise.all(running.map((runner) => runner.stop()));
      logger.info('projector stopped');
    },
    runners: () => running,
  };
};

export const createProjectorContainer = (config: ProjectorConfig): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<ProjectorConfig>(TOKENS.Config).toConstantValue(config);
  container.bind<Logger>(TOKENS.Logger).toResolvedValue((cfg: ProjectorConfig) => createLogger({ service: 'projector', level: cfg.logLevel }), [TOKENS.Config]);
  container
    .bind<pg.Pool>(TOKENS.Pool)
    .toResolvedValue(
      (cfg: ProjectorConfig, logger: Logger) => {
        const pool = createPool({ connectionString: cfg.databaseUrl, applicationName: 'qbo-sync projector' });
        // An idle client whose server went away emits 'error'; without a listener that kills the process.
        pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
        return pool;
      },
      [TOKENS.Config, TOKENS.Logger],
    );
  container.bind<Kysely<ReadModels>>(TOKENS.Db).toResolvedValue((pool: pg.Pool) => createDatabase<ReadModels>(pool), [TOKENS.Pool]);
  container
    .bind<EventStore>(TOKENS.EventStore)
    .toResolvedValue(
      (cfg: ProjectorConfig, db: Kysely<ReadModels>) =>
        cfg.eventStore === 'eventstoredb'
          ? createEsdbEventStore({ connectionString: cfg.eventStoreUrl ?? '' })
          : createPostgresEventStore({ db: db as Kysely<unknown>, connectionString: cfg.databaseUrl }),
      [TOKENS.Config, TOKENS.Db],
    );
  container.bind<readonly Projection[]>(TOKENS.Projections).toConstantValue(projections);
  container
    .bind<Projector>(TOKENS.Projector)
    .toResolvedValue(createProjector, [TOKENS.Config, TOKENS.Logger, TOKENS.Db, TOKENS.EventStore, TOKENS.Projections]);
  return container;
};
