// The sync world of the end-to-end tests: tests/support/sync-world.ts on a test database of its own (on the
// suite's PostgreSQL), with fast polls, heartbeats and retries, so faults and kills resolve within a test.

import { createTestDatabase } from '@qbo-sync/adapters/testing';
import type { StartSandboxOptions } from '../apps/qbo-sandbox/src/index.js';
import { type SyncWorld, startSyncWorld as startWorld } from './support/sync-world.js';

export type { SandboxRequest, SyncWorld, WorkerProcess } from './support/sync-world.js';

export const startSyncWorld = async (label: string, sandboxOptions: StartSandboxOptions = {}, tenantId = 'acme', eventStoreUrl?: string): Promise<SyncWorld> => {
  const database = await createTestDatabase(label);
  return startWorld({
    database: { url: database.url, close: database.drop },
    label,
    sandbox: { limits: false, ...sandboxOptions },
    tenantId,
    ...(eventStoreUrl === undefined ? {} : { eventStoreUrl }),
    env: {
      QBO_THROTTLE_WAIT_MS: '300',
      WORKER_HEARTBEAT_MS: '300',
      WORKER_STALE_AFTER_MS: '2000',
      SYNC_RETRY_BASE_MS: '20',
    },
  });
};
