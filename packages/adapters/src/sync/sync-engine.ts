// Builds the sync engine for a process from the connection module: the record-type registry over the QBO
// mappers, the push and pull executors (reads through the connection's retrying client, writes through
// one without retries, so the batch writer alone decides), and the run lifecycle the `sync_run` job calls.

import { randomUUID } from 'node:crypto';
import type { EventStore } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { QboConnectionConfig } from '../intuit-oauth/qbo-connection-config.js';
import type { QboConnectionModule } from '../intuit-oauth/qbo-connection-module.js';
import type { ItemAccountDefaults } from '../qbo-http/mappers/index.js';
import { createPullExecutor } from './pull-executor.js';
import { createPushExecutor } from './push-executor.js';
import { createRecordTypeRegistry, findItemAccountDefaults } from './record-type-registry.js';
import { type SyncRunner, createSyncRunner } from './sync-run.js';
import { createSyncWriteClient } from '../qbo-http/sync-write-client.js';

export interface SyncEngine {
  readonly runner: SyncRunner;
}

export const createSyncEngine = (options: {
  db: Kysely<unknown>;
  eventStore: EventStore;
  module: QboConnectionModule;
  qboConfig: QboConnectionConfig;
  logger: Logger;
  readModelWaitMs?: number;
  retryBaseMs?: number;
  workerId?: string;
  now?: () => Date;
}): SyncEngine => {
  const logger = options.logger.child({ component: 'sync' });
  const now = options.now ?? (() => new Date());
  const reads = options.module.client;
  const writes = createSyncWriteClient({ module: options.module, config: options.qboConfig, logger });
  // Per tenant: the company's default item accounts, found once and kept for the process.
  // Keyed by tenant and read by tenant: jobs of several tenants run at once in one process.
  const accounts = new Map<string, ItemAccountDefaults | undefined>();
  const registry = createRecordTypeRegistry({ itemAccounts: (tenantId) => accounts.get(tenantId), today: () => now().toISOString().slice(0, 10) });
  const push = createPushExecutor({
    db: options.db,
    eventStore: options.eventStore,
    reads,
    writes,
    registry,
    now,
    throttleWaitMs: options.qboConfig.throttleWaitMs,
    ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
  });
  const pull = createPullExecutor({ db: options.db, eventStore: options.eventStore, reads, registry, now });
  const runner = createSyncRunner({
    db: options.db,
    eventStore: options.eventStore,
    logger,
    workerId: options.workerId ?? randomUUID(),
    ...(options.readModelWaitMs === undefined ? {} : { readModelWaitMs: options.readModelWaitMs }),
    now,
    push: async (request, context) => {
      // Items need them, and so do invoice and payment runs, which push items as dependencies.
      if (request.recordType !== 'customer' && !accounts.has(request.tenantId)) {
        accounts.set(request.tenantId, await findItemAccountDefaults(reads, request.tenantId));
      }
      return push(request, context);
    },
    pull,
  });
  return { runner };
};
