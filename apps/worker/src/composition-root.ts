// The worker's composition root: the only place that picks concrete adapters (pg pool, Kysely, the
// Postgres event store, graphile-worker) and wires them with inversify. Bindings are decorator-free
// (toResolvedValue), as tsx emits no metadata. One process runs: graphile-worker's runner (sync_run
// jobs, the refresh_due_tokens cron), the dispatcher that turns SyncRequested into jobs, and the
// heartbeat that releases the jobs of dead workers.

import { EventEmitter } from 'node:events';
import { type Env, createLogger } from '@qbo-sync/adapters/config';
import { type QboConnectionConfig, type QboConnectionModule, createQboConnectionModule, loadQboConnectionConfig } from '@qbo-sync/adapters/intuit-oauth';
import { type SyncDispatcher, type WorkerHeartbeat, startSyncDispatcher, startWorkerHeartbeat } from '@qbo-sync/adapters/graphile-worker';
import { createEventStore } from '@qbo-sync/adapters/event-store';
import { createDatabase, createPool, createPostgresRecordDirectory, createPostgresSyncLock, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { createQboHttpAccounting, createSyncWriteClient } from '@qbo-sync/adapters/qbo-http';
import { type SyncDeps, refreshDueTokens, runSync } from '@qbo-sync/application';
import type { EventStore } from '@qbo-sync/domain';
import { randomUUID } from 'node:crypto';
import { type Runner, type TaskList, type WorkerEvents, run } from 'graphile-worker';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.js';
import { graphileLogger } from './graphile-logger.js';
import { REFRESH_DUE_TOKENS_CRONTAB } from './tasks/refresh-due-tokens-task.js';
import { createTaskList } from './tasks/index.js';

type Pool = ReturnType<typeof createPool>;
type Db = ReturnType<typeof createDatabase<unknown>>;
/** A value that arrives later, boxed so the container hands the box over at once. */
interface Lazy<T> {
  get(): Promise<T>;
}

export const TOKENS = {
  Config: Symbol.for('worker.Config'),
  QboConfig: Symbol.for('worker.QboConfig'),
  Logger: Symbol.for('worker.Logger'),
  Pool: Symbol.for('worker.Pool'),
  Db: Symbol.for('worker.Db'),
  EventStore: Symbol.for('worker.EventStore'),
  Connection: Symbol.for('worker.Connection'),
  SyncDeps: Symbol.for('worker.SyncDeps'),
  TaskList: Symbol.for('worker.TaskList'),
  Worker: Symbol.for('worker.Worker'),
} as const;

export interface Worker {
  /** Migrates, starts taking jobs, dispatching runs and beating. */
  start(): Promise<Runner>;
  stop(): Promise<void>;
  /** Resolves, with the reason, if graphile-worker stops by itself (it gives up when it cannot record a job's end). */
  readonly ended: Promise<unknown>;
}

const describe = (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message } : String(error));

/**
 * A connection PostgreSQL ends (a fast shutdown, an admin's pg_terminate_backend: 57P01) must not bring the
 * process down: node-postgres emits 'error' on an idle client through its pool, and on a checked-out client
 * with no query running (a held lock's connection, say) on the client itself, and either with no listener
 * is an uncaught exception. The next query on the pool opens a fresh connection.
 */
const survivesLostConnections = (pool: Pool, logger: Logger, name: string): Pool => {
  const lost = (error: Error) => logger.warn({ pool: name, err: describe(error) }, 'database connection lost');
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
};

const createWorker = (config: WorkerConfig, logger: Logger, pool: Pool, db: Db, eventStore: EventStore, tasks: TaskList): Worker => {
  let runner: Runner | undefined;
  let dispatcher: SyncDispatcher | undefined;
  let heartbeat: WorkerHeartbeat | undefined;
  let stopping = false;
  let endedByItself: (reason: unknown) => void = () => undefined;
  const ended = new Promise<unknown>((resolve) => {
    endedByItself = resolve;
  });
  // graphile-worker's pool is ours, so its error handlers stay until it is ended (graphile drops the ones it
  // installs on its own pool when the runner stops, while clients can still fail under it).
  const jobsPool = survivesLostConnections(createPool({ connectionString: config.databaseUrl, applicationName: 'qbo-sync worker jobs', maxConnections: 10 }), logger, 'jobs');
  /** A stop step that fails (the database is gone) is logged; the stop goes on. */
  const step = async (name: string, action: () => Promise<unknown> | undefined) => {
    try {
      await action();
    } catch (error) {
      logger.warn({ step: name, err: describe(error) }, 'a stop step failed; stopping anyway');
    }
  };
  return {
    start: async () => {
      await migrateToLatest(db);
      heartbeat = await startWorkerHeartbeat({
        db,
        connectionString: config.databaseUrl,
        workerSchema: config.schema,
        logger,
        intervalMs: config.heartbeatMs,
        staleAfterMs: config.staleAfterMs,
      });
      const events: WorkerEvents = new EventEmitter();
      // graphile-worker 0.17 locks jobs in the name of the worker pool (`locked_by = pool-…`), not of its
      // workers: the pool is what beats. Beating worker ids left every running job looking dead, so any
      // beat unlocked it after WORKER_STALE_AFTER_MS and the run was executed again, concurrently.
      events.on('pool:create', ({ workerPool }) => heartbeat?.add(workerPool.id));
      events.on('pool:release', ({ workerPool }) => heartbeat?.remove(workerPool.id));
      runner = await run({
        pgPool: jobsPool,
        schema: config.schema,
        concurrency: config.concurrency,
        pollInterval: config.pollIntervalMs,
        taskList: tasks,
        crontab: REFRESH_DUE_TOKENS_CRONTAB,
        events,
        logger: graphileLogger(logger),
        // This process owns its signals (runService); graphile-worker must not exit it on its own.
        noHandleSignals: true,
        // Job ends are recorded through graphile's batcher (at once: no delay), whose failures graphile
        // reports and handles. Unbatched, a job end that cannot be recorded (the database went away under a
        // run, as in a host's shutdown) is a promise graphile lets go, and the process dies on it.
        preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      });
      // Given up on recording a job's end, graphile stops its pool: this process then has no workers left
      // and must stop too, so that it is restarted (its jobs are released once its session is gone).
      runner.promise.then(
        () => (stopping ? undefined : endedByItself(new Error('graphile-worker stopped by itself'))),
        (error: unknown) => (stopping ? undefined : endedByItself(error)),
      );
      // A restart after a crash frees what the dead process held at once, not after its lease runs out.
      await heartbeat.tick();
      dispatcher = startSyncDispatcher({ db, eventStore, workerSchema: config.schema, logger });
      logger.info({ tasks: Object.keys(tasks), concurrency: config.concurrency, schema: config.schema }, 'worker started');
      return runner;
    },
    ended,
    stop: async () => {
      stopping = true;
      await step('dispatcher', () => dispatcher?.stop());
      // Lets running jobs finish; queued jobs stay for the next worker.
      await step('runner', () => runner?.stop());
      // Ends the liveness session after the pools were released: then no one takes this process for dead early.
      await step('heartbeat', () => heartbeat?.stop());
      await step('event store', () => eventStore.close());
      await step('pool', () => pool.end());
      await step('jobs pool', () => jobsPool.end());
      logger.info('worker stopped');
    },
  };
};

export const createWorkerContainer = (config: WorkerConfig, overrides: { logger?: Logger; env?: Env } = {}): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<WorkerConfig>(TOKENS.Config).toConstantValue(config);
  container.bind<QboConnectionConfig>(TOKENS.QboConfig).toResolvedValue(() => loadQboConnectionConfig(overrides.env ?? process.env));
  container
    .bind<Logger>(TOKENS.Logger)
    .toResolvedValue((cfg: WorkerConfig) => overrides.logger ?? createLogger({ service: 'worker', level: cfg.logLevel }), [TOKENS.Config]);
  container.bind<Pool>(TOKENS.Pool).toResolvedValue(
    (cfg: WorkerConfig, logger: Logger) => {
      // Hooked before any client connects: each one gets its error handler (see survivesLostConnections).
      return survivesLostConnections(createPool({ connectionString: cfg.databaseUrl, applicationName: 'qbo-sync worker', maxConnections: 20 }), logger, 'app');
    },
    [TOKENS.Config, TOKENS.Logger],
  );
  container.bind<Db>(TOKENS.Db).toResolvedValue((pool: Pool) => createDatabase<unknown>(pool), [TOKENS.Pool]);
  // One log per process, picked by EVENT_STORE; it keeps the write side's record directory with each append.
  container
    .bind<EventStore>(TOKENS.EventStore)
    .toResolvedValue((cfg: WorkerConfig, db: Db) => createEventStore(db, { kind: cfg.eventStore, databaseUrl: cfg.databaseUrl, eventStoreUrl: cfg.eventStoreUrl }), [TOKENS.Config, TOKENS.Db]);
  // Asynchronous (the vault key loads from disk), so held in a box inversify does not await: tasks await
  // it, and a bad key is logged at start and fails the first job loudly.
  container.bind<Lazy<QboConnectionModule>>(TOKENS.Connection).toResolvedValue(
    (qbo: QboConnectionConfig, db: Db, eventStore: EventStore, logger: Logger) => {
      const promise = createQboConnectionModule({ config: qbo, db, eventStore, logger });
      promise.catch((error: unknown) => logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'qbo connection setup failed'));
      return { get: () => promise };
    },
    [TOKENS.QboConfig, TOKENS.Db, TOKENS.EventStore, TOKENS.Logger],
  );
  // What a sync run needs, by port: the log, the record directory, QBO over HTTP, the push lock. Waits for the
  // connection module (its tokens and limiter are QBO's way in).
  container.bind<Lazy<SyncDeps>>(TOKENS.SyncDeps).toResolvedValue(
    (cfg: WorkerConfig, qbo: QboConnectionConfig, db: Db, eventStore: EventStore, logger: Logger, connection: Lazy<QboConnectionModule>) => {
      let deps: Promise<SyncDeps> | undefined;
      const now = () => new Date();
      const syncLogger = logger.child({ component: 'sync' });
      return {
        get: () =>
          (deps ??= connection.get().then((module) => ({
            eventStore,
            directory: createPostgresRecordDirectory(db),
            qbo: createQboHttpAccounting({
              reads: module.client,
              writes: createSyncWriteClient({ module, config: qbo, logger: syncLogger }),
              today: () => now().toISOString().slice(0, 10),
              retryBaseMs: cfg.retryBaseMs,
              throttleWaitMs: qbo.throttleWaitMs,
            }),
            lock: createPostgresSyncLock(db),
            now,
            logger: syncLogger,
          }))),
      };
    },
    [TOKENS.Config, TOKENS.QboConfig, TOKENS.Db, TOKENS.EventStore, TOKENS.Logger, TOKENS.Connection],
  );
  container.bind<TaskList>(TOKENS.TaskList).toResolvedValue(
    (connection: Lazy<QboConnectionModule>, syncDeps: Lazy<SyncDeps>) => {
      const workerId = randomUUID();
      return createTaskList({
        runSync: async ({ syncId, lastAttempt }) => runSync(await syncDeps.get(), { syncId, workerId, lastAttempt }),
        refreshDueTokens: async () => refreshDueTokens((await connection.get()).deps),
      });
    },
    [TOKENS.Connection, TOKENS.SyncDeps],
  );
  container
    .bind<Worker>(TOKENS.Worker)
    .toResolvedValue(createWorker, [TOKENS.Config, TOKENS.Logger, TOKENS.Pool, TOKENS.Db, TOKENS.EventStore, TOKENS.TaskList]);
  return container;
};
