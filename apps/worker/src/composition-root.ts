// The worker's composition root: the only place that knows graphile-worker's runner options and wires the
// task list with inversify. Bindings are decorator-free (toResolvedValue), as tsx emits no metadata.

import { createLogger } from '@qbo-sync/adapters';
import { type Runner, type TaskList, run } from 'graphile-worker';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.js';
import { graphileLogger } from './graphile-logger.js';
import { taskList } from './tasks/index.js';

export const TOKENS = {
  Config: Symbol.for('worker.Config'),
  Logger: Symbol.for('worker.Logger'),
  TaskList: Symbol.for('worker.TaskList'),
  Worker: Symbol.for('worker.Worker'),
} as const;

export interface Worker {
  /** Migrates graphile-worker's schema and starts taking jobs. */
  start(): Promise<Runner>;
  stop(): Promise<void>;
}

const createWorker = (config: WorkerConfig, logger: Logger, tasks: TaskList): Worker => {
  let runner: Runner | undefined;
  return {
    start: async () => {
      runner = await run({
        connectionString: config.databaseUrl,
        schema: config.schema,
        concurrency: config.concurrency,
        pollInterval: config.pollIntervalMs,
        taskList: tasks,
        logger: graphileLogger(logger),
        // This process owns its signals (runService); graphile-worker must not exit it on its own.
        noHandleSignals: true,
      });
      logger.info({ tasks: Object.keys(tasks), concurrency: config.concurrency, schema: config.schema }, 'worker started');
      return runner;
    },
    stop: async () => {
      // Lets running jobs finish; queued jobs stay for the next worker.
      await runner?.stop();
      logger.info('worker stopped');
    },
  };
};

export const createWorkerContainer = (config: WorkerConfig, overrides: { logger?: Logger } = {}): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<WorkerConfig>(TOKENS.Config).toConstantValue(config);
  container
    .bind<Logger>(TOKENS.Logger)
    .toResolvedValue((cfg: WorkerConfig) => overrides.logger ?? createLogger({ service: 'worker', level: cfg.logLevel }), [TOKENS.Config]);
  container.bind<TaskList>(TOKENS.TaskList).toConstantValue(taskList);
  container.bind<Worker>(TOKENS.Worker).toResolvedValue(createWorker, [TOKENS.Config, TOKENS.Logger, TOKENS.TaskList]);
  return container;
};
