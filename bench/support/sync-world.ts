// The sync engine assembled for a benchmark, as tests/sync-harness.ts assembles it for the e2e tests but on a
// bench database (DATABASE_URL's server or an embedded one): the QBO sandbox in this process, a tenant connected
// through the real OAuth flow, the projector in process, and the worker in process or as a child process whose
// memory is sampled. Records and runs go in through the command handlers the api uses.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  contentHash,
  createLogger,
  createPostgresEventStore,
  createRecordCommandHandler,
  createSyncCommandHandler,
} from '@qbo-sync/adapters';
import { type RecordType, canonicalSchemas } from '@qbo-sync/domain';
import pg from 'pg';
import { type Projector, TOKENS as PROJECTOR, createProjectorContainer } from '../../apps/projector/src/composition-root.js';
import { loadProjectorConfig } from '../../apps/projector/src/config.js';
import { type SandboxHandle, type StartSandboxOptions, startSandbox } from '../../apps/qbo-sandbox/src/index.js';
import { TOKENS as WORKER, type Worker, createWorkerContainer } from '../../apps/worker/src/composition-root.js';
import { loadWorkerConfig } from '../../apps/worker/src/config.js';
import { type BenchDatabase, openBenchDatabase } from './bench-database.js';
import { connectTenant } from '../../tests/support/connect-tenant.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MemorySample {
  readonly atMs: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

export interface WorkerChild {
  readonly child: ChildProcess;
  readonly samples: MemorySample[];
  kill(): Promise<void>;
}

export interface BenchSyncWorld {
  readonly database: BenchDatabase;
  readonly sandbox: SandboxHandle;
  readonly realmId: string;
  readonly tenantId: string;
  upsert(type: RecordType, localId: string, input: Record<string, unknown>): Promise<void>;
  requestSync(type: RecordType, direction: 'push' | 'pull', scope?: { kind: 'changed' } | { kind: 'all' }): Promise<string>;
  /** The run's last event once it is finished (SyncCompleted or SyncFailed). */
  waitForRun(syncId: string, timeoutMs: number): Promise<{ type: string; data: Record<string, unknown> }>;
  startWorker(): Promise<Worker>;
  /** The worker as its own process (`node --import tsx`), reporting process.memoryUsage() every `sampleMs`. */
  spawnWorker(sampleMs: number): Promise<WorkerChild>;
  sql<T>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export const startBenchSyncWorld = async (sandboxOptions: StartSandboxOptions = {}, tenantId = 'bench'): Promise<BenchSyncWorld> => {
  const database = await openBenchDatabase();
  const eventStore = createPostgresEventStore({ db: database.db, connectionString: database.url });
  const sandbox = await startSandbox({ port: 0, autoApprove: true, seed: { customers: 0, vendors: 0, items: 0, invoices: 0 }, ...sandboxOptions });
  const dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-bench-'));
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    QBO_SANDBOX_URL: sandbox.url,
    QBO_SYNC_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    WORKER_POLL_INTERVAL_MS: '200',
  };
  const { realmId } = await connectTenant({ env, db: database.db, eventStore, tenantId, userId: 'bench-user', service: 'bench' });

  const projector = createProjectorContainer(loadProjectorConfig({ ...env, PROJECTOR_LOCK_POLL_MS: '200' })).get<Projector>(PROJECTOR.Projector);
  await projector.start();

  const records = createRecordCommandHandler(eventStore);
  const syncs = createSyncCommandHandler(eventStore);
  const actor = { type: 'api_key', id: 'bench' } as const;
  const workers: Worker[] = [];
  const children: WorkerChild[] = [];
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });

  return {
    database,
    sandbox,
    realmId,
    tenantId,
    upsert: async (type, localId, input) => {
      const record = canonicalSchemas[type].parse(input) as Record<string, unknown>;
      await records.handle(tenantId, { type: 'UpsertLocalRecord', recordType: type, localId, at: new Date().toISOString(), record, contentHash: contentHash(record) }, { correlationId: randomUUID(), actor });
    },
    requestSync: async (type, direction, scope = { kind: 'changed' }) => {
      const syncId = randomUUID();
      await syncs.requestSync({ syncId, tenantId, recordType: type, direction, scope, dryRun: false, retryOf: null, requestedBy: 'bench', at: new Date().toISOString() }, { correlationId: syncId, actor });
      return syncId;
    },
    waitForRun: async (syncId, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { events } = await eventStore.readStream(`sync-${syncId}`);
        const last = events.find((event) => event.type === 'SyncCompleted' || event.type === 'SyncFailed');
        if (last !== undefined) return { type: last.type, data: last.data as Record<string, unknown> };
        if (Date.now() > deadline) throw new Error(`sync ${syncId} did not finish within ${timeoutMs} ms; its events: ${events.map((event) => event.type).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    startWorker: async () => {
      const worker = createWorkerContainer(loadWorkerConfig(env), { env, logger: createLogger({ service: 'worker', level: 'silent' }) }).get<Worker>(WORKER.Worker);
      await worker.start();
      workers.push(worker);
      return worker;
    },
    spawnWorker: async (sampleMs) => {
      const samples: MemorySample[] = [];
      let output = '';
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/support/worker-with-memory.ts')], {
        cwd: ROOT,
        env: { ...process.env, ...env, LOG_LEVEL: 'info', BENCH_MEMORY_SAMPLE_MS: String(sampleMs) },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      child.on('message', (message: MemorySample) => samples.push(message));
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const started = Date.now();
      while (!output.includes('worker started')) {
        if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${output}`);
        if (Date.now() - started > 30_000) throw new Error(`worker did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const handle: WorkerChild = {
        child,
        samples,
        kill: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      };
      children.push(handle);
      return handle;
    },
    sql: async <T>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[],
    close: async () => {
      for (const child of children) await child.kill();
      for (const worker of workers) await worker.stop().catch(() => undefined);
      await projector.stop();
      await eventStore.close();
      await pool.end();
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
      await database.close();
    },
  };
};
