// The sync world of the benchmarks: tests/support/sync-world.ts (the same builder the end-to-end tests use) on
// a bench database (DATABASE_URL's server or an embedded one), with the service's default settings and QBO's
// limits on unless a bench turns them off.

import type { StartSandboxOptions } from '../../apps/qbo-sandbox/src/index.js';
import { type SyncWorld, startSyncWorld } from '../../tests/support/sync-world.js';
import { openBenchDatabase } from './bench-database.js';

export type { MemorySample, SyncWorld, WorkerProcess } from '../../tests/support/sync-world.js';

export interface BenchSyncWorld extends SyncWorld {
  /** Which PostgreSQL the bench ran on, for the report. */
  readonly server: string;
}

export const startBenchSyncWorld = async (sandboxOptions: StartSandboxOptions = {}, tenantId = 'bench'): Promise<BenchSyncWorld> => {
  const database = await openBenchDatabase();
  const world = await startSyncWorld({ database: { url: database.url, close: database.close }, label: 'bench', sandbox: sandboxOptions, tenantId });
  return { ...world, server: database.server };
};
