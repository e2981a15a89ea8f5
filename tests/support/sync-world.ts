// The one world builder of the sync engine, for the end-to-end tests and the benchmarks alike: on a database
// the caller opened (a test database, a bench database), the QBO sandbox in this process, a tenant connected
// through the real OAuth flow, the projector in process, and the worker in process or as a real child process
// (`node --import tsx`, so its pid is the worker's: a kill -9 lands on it and its memory can be sampled).
// Records, settings and runs go in through the same application use cases the api calls.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLogger } from '@qbo-sync/adapters/config';
import { createEventStore } from '@qbo-sync/adapters/event-store';
import type { QboConnectionModule } from '@qbo-sync/adapters/intuit-oauth';
import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { changeSyncSettings, deleteRecord, requestSync, upsertRecord } from '@qbo-sync/application';
import { type EventStore, type RecordType, type SyncScope, canonicalSchemas, syncStreamName } from '@qbo-sync/domain';
import { type Projector, TOKENS as PROJECTOR, createProjectorContainer } from '../../apps/projector/src/composition-root.js';
import { loadProjectorConfig } from '../../apps/projector/src/config.js';
import { type SandboxHandle, type StartSandboxOptions, startSandbox } from '../../apps/qbo-sandbox/src/index.js';
import { TOKENS as WORKER, type Worker, createWorkerContainer } from '../../apps/worker/src/composition-root.js';
import { loadWorkerConfig } from '../../apps/worker/src/config.js';
import { connectTenant } from './connect-tenant.js';
import { qboCalls, sandboxControls } from './sandbox-calls.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = join(ROOT, 'node_modules/tsx/dist/loader.mjs');

export interface SandboxRequest {
  seq: number;
  /** When the sandbox took the call (ISO-8601, its clock: this machine's unless a test moved it). */
  at: string;
  method: string;
  path: string;
  entity?: string;
  operation?: string;
  requestId?: string;
  replayed?: boolean;
  status: number;
  dropped?: boolean;
}

export interface MemorySample {
  readonly atMs: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Filled when the worker was spawned with `sampleMemoryMs`. */
  readonly samples: MemorySample[];
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface WorldDatabase {
  readonly url: string;
  /** Called last by close(): drop the test database, stop the bench server. */
  readonly close: () => Promise<void>;
}

export interface SyncWorldOptions {
  readonly database: WorldDatabase;
  readonly label: string;
  readonly sandbox?: StartSandboxOptions;
  readonly tenantId?: string;
  /** Settings of the worker and projector (fast polls and retries for tests; the defaults for benches). */
  readonly env?: Record<string, string>;
  /** Keep the log in EventStoreDB at this address instead of Postgres (every process of the world). */
  readonly eventStoreUrl?: string;
}

export interface SyncWorld {
  readonly db: ReturnType<typeof createDatabase<unknown>>;
  readonly eventStore: EventStore;
  readonly sandbox: SandboxHandle;
  readonly module: QboConnectionModule;
  readonly realmId: string;
  readonly tenantId: string;
  readonly env: Record<string, string>;
  upsert(type: RecordType, localId: string, input: Record<string, unknown>): Promise<void>;
  remove(type: RecordType, localId: string): Promise<void>;
  setPolicy(type: RecordType, conflictPolicy: 'qbo_wins' | 'local_wins' | 'review'): Promise<void>;
  requestSync(type: RecordType, direction: 'push' | 'pull', options?: { scope?: SyncScope; dryRun?: boolean }): Promise<string>;
  /** The run's last event once it is finished (SyncCompleted or SyncFailed). */
  waitForRun(syncId: string, timeoutMs?: number): Promise<{ type: string; data: Record<string, unknown> }>;
  startWorker(): Promise<Worker>;
  spawnWorker(options?: { extraEnv?: Record<string, string>; sampleMemoryMs?: number }): Promise<WorkerProcess>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  requests(): Promise<SandboxRequest[]>;
  /** How many event streams start with the prefix. */
  countStreams(prefix: string): Promise<number>;
  /** Plain SQL against the world's database (read models, checkpoints). */
  sql<T>(text: string, values?: unknown[]): Promise<T[]>;
  /** A call of the Accounting API as another QBO user would make it (path after /v3/company/{realm}). */
  qbo(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Every QBO object of an entity, inactive ones too. */
  qboAll(entity: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export const startSyncWorld = async (options: SyncWorldOptions): Promise<SyncWorld> => {
  const tenantId = options.tenantId ?? 'acme';
  const pool = createPool({ connectionString: options.database.url, maxConnections: 10 });
  const db = createDatabase<unknown>(pool);
  await migrateToLatest(db);
  const eventStore = createEventStore(db, options.eventStoreUrl === undefined ? { kind: 'postgres', databaseUrl: options.database.url } : { kind: 'eventstoredb', databaseUrl: options.database.url, eventStoreUrl: options.eventStoreUrl });
  const sandbox = await startSandbox({ port: 0, autoApprove: true, seed: { customers: 0, vendors: 0, items: 0, invoices: 0 }, ...options.sandbox });
  const dataDir = await mkdtemp(join(tmpdir(), `qbo-sync-${options.label}-`));
  const env: Record<string, string> = {
    DATABASE_URL: options.database.url,
    QBO_SANDBOX_URL: sandbox.url,
    QBO_SYNC_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    WORKER_POLL_INTERVAL_MS: '200',
    ...(options.eventStoreUrl === undefined ? {} : { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: options.eventStoreUrl }),
    ...options.env,
  };
  const { module, realmId } = await connectTenant({ env, db, eventStore, tenantId });

  const projector = createProjectorContainer(loadProjectorConfig({ ...env, PROJECTOR_LOCK_POLL_MS: '200' })).get<Projector>(PROJECTOR.Projector);
  await projector.start();

  const deps = { eventStore };
  const context = () => ({ correlationId: randomUUID(), actor: { type: 'api_key', id: options.label } as const });
  const at = () => new Date().toISOString();
  const workers: Worker[] = [];
  const children: WorkerProcess[] = [];
  const control = sandboxControls(sandbox);
  const { qbo, qboAll } = qboCalls(sandbox, realmId, async () => (await module.refresher.getAccessToken(tenantId)).accessToken);

  return {
    db,
    eventStore,
    sandbox,
    module,
    realmId,
    tenantId,
    env,
    upsert: async (type, localId, input) => {
      const record = canonicalSchemas[type].parse(input) as Record<string, unknown>;
      await upsertRecord(deps, { tenantId, recordType: type, localId, record, at: at() }, context());
    },
    remove: async (type, localId) => {
      await deleteRecord(deps, { tenantId, recordType: type, localId, at: at() }, context());
    },
    setPolicy: async (type, conflictPolicy) => {
      await changeSyncSettings(deps, { tenantId, recordType: type, mode: 'manual', schedule: null, conflictPolicy, at: at() }, context());
    },
    requestSync: async (type, direction, requested = {}) =>
      (await requestSync(deps, { tenantId, recordType: type, direction, scope: requested.scope ?? { kind: 'changed' }, dryRun: requested.dryRun ?? false, newSyncId: randomUUID(), at: at() }, context())).syncId,
    waitForRun: async (syncId, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { events } = await eventStore.readStream(syncStreamName(syncId));
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
    spawnWorker: async (spawnOptions = {}) => {
      let output = '';
      const samples: MemorySample[] = [];
      const sampling = spawnOptions.sampleMemoryMs !== undefined;
      const entry = sampling ? join(ROOT, 'tests/support/worker-with-memory.ts') : join(ROOT, 'apps/worker/src/main.ts');
      const child = spawn(process.execPath, ['--import', pathToFileURL(TSX_LOADER).href, entry], {
        cwd: ROOT,
        env: { ...process.env, ...env, LOG_LEVEL: 'info', ...(sampling ? { WORKER_MEMORY_SAMPLE_MS: String(spawnOptions.sampleMemoryMs) } : {}), ...spawnOptions.extraEnv },
        stdio: sampling ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
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
      const handle: WorkerProcess = {
        child,
        samples,
        output: () => output,
        kill: async (signal) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill(signal);
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      };
      children.push(handle);
      return handle;
    },
    control,
    countStreams: async (prefix) => Number((await pool.query<{ n: string }>('select count(*) as n from event_streams where stream_name like $1', [`${prefix}%`])).rows[0]?.n ?? 0),
    sql: async <T>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[],
    requests: async () => ((await control('GET', `/requests?realmId=${realmId}&limit=100000`)) as { requests: SandboxRequest[] }).requests,
    qbo,
    qboAll,
    close: async () => {
      for (const child of children) await child.kill('SIGKILL');
      for (const worker of workers) await worker.stop().catch(() => undefined);
      await projector.stop();
      await eventStore.close();
      await pool.end();
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
      await options.database.close();
    },
  };
};
