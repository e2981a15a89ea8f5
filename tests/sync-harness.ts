// Test support for the sync end-to-end tests: a database, the QBO sandbox in this process, a tenant
// connected through the real OAuth flow, the projector (in process), and the worker either in process or
// as a real child process (`tsx apps/worker/src/main.ts`) that a test can kill -9. Records and runs go in
// through the same command handlers the api uses.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  contentHash,
  createDatabase,
  createLogger,
  createPool,
  createPostgresEventStore,
  createRecordCommandHandler,
  createSyncCommandHandler,
  migrateToLatest,
  type QboConnectionModule,
} from '@qbo-sync/adapters';
import { createTestDatabase, type TestDatabase } from '@qbo-sync/adapters/testing';
import { type RecordType, type SyncRequested, canonicalSchemas } from '@qbo-sync/domain';
import { type Projector, TOKENS as PROJECTOR, createProjectorContainer } from '../apps/projector/src/composition-root.js';
import { loadProjectorConfig } from '../apps/projector/src/config.js';
import { type SandboxHandle, type StartSandboxOptions, startSandbox } from '../apps/qbo-sandbox/src/index.js';
import { TOKENS as WORKER, type Worker, createWorkerContainer } from '../apps/worker/src/composition-root.js';
import { loadWorkerConfig } from '../apps/worker/src/config.js';
import { connectTenant } from './support/connect-tenant.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The worker runs as `node --import tsx …`, not under the tsx CLI: the child's pid is the worker itself,
// so a kill -9 lands on it and its memory can be read from /proc.
const TSX_LOADER = join(ROOT, 'node_modules/tsx/dist/loader.mjs');

export interface SandboxRequest {
  seq: number;
  method: string;
  path: string;
  entity?: string;
  operation?: string;
  requestId?: string;
  replayed?: boolean;
  status: number;
  dropped?: boolean;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface SyncWorld {
  readonly database: TestDatabase;
  readonly db: ReturnType<typeof createDatabase<unknown>>;
  readonly eventStore: ReturnType<typeof createPostgresEventStore>;
  readonly sandbox: SandboxHandle;
  readonly module: QboConnectionModule;
  readonly realmId: string;
  readonly tenantId: string;
  readonly env: Record<string, string>;
  upsert(type: RecordType, localId: string, input: Record<string, unknown>): Promise<void>;
  remove(type: RecordType, localId: string): Promise<void>;
  setPolicy(type: RecordType, conflictPolicy: 'qbo_wins' | 'local_wins' | 'review'): Promise<void>;
  requestSync(type: RecordType, direction: 'push' | 'pull', options?: { scope?: SyncRequested['data']['scope']; dryRun?: boolean }): Promise<string>;
  /** The run's last event once it is finished (SyncCompleted or SyncFailed). */
  waitForRun(syncId: string, timeoutMs?: number): Promise<{ type: string; data: Record<string, unknown> }>;
  startWorker(): Promise<Worker>;
  spawnWorker(extraEnv?: Record<string, string>): Promise<WorkerProcess>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  requests(): Promise<SandboxRequest[]>;
  /** How many event streams start with the prefix. */
  countStreams(prefix: string): Promise<number>;
  /** Plain SQL against the test database (read models, checkpoints). */
  sql<T>(text: string, values?: unknown[]): Promise<T[]>;
  /** A call of the Accounting API as another QBO user would make it (path after /v3/company/{realm}). */
  qbo(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Every QBO object of an entity, inactive ones too. */
  qboAll(entity: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export const startSyncWorld = async (label: string, sandboxOptions: StartSandboxOptions = {}, tenantId = 'acme'): Promise<SyncWorld> => {
  const database = await createTestDatabase(label);
  const pool = createPool({ connectionString: database.url, maxConnections: 10 });
  const db = createDatabase<unknown>(pool);
  await migrateToLatest(db);
  const eventStore = createPostgresEventStore({ db, connectionString: database.url });
  const sandbox = await startSandbox({ port: 0, autoApprove: true, limits: false, seed: { customers: 0, vendors: 0, items: 0, invoices: 0 }, ...sandboxOptions });
  const dataDir = await mkdtemp(join(tmpdir(), `qbo-sync-${label}-`));
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    QBO_SANDBOX_URL: sandbox.url,
    QBO_SYNC_DATA_DIR: dataDir,
    QBO_THROTTLE_WAIT_MS: '300',
    LOG_LEVEL: 'silent',
    WORKER_POLL_INTERVAL_MS: '200',
    WORKER_HEARTBEAT_MS: '300',
    WORKER_STALE_AFTER_MS: '2000',
    SYNC_RETRY_BASE_MS: '20',
    SYNC_READ_MODEL_WAIT_MS: '60000',
  };
  const { module, realmId } = await connectTenant({ env, db, eventStore, tenantId });

  const projector = createProjectorContainer(loadProjectorConfig({ ...env, PROJECTOR_LOCK_POLL_MS: '200' })).get<Projector>(PROJECTOR.Projector);
  await projector.start();

  const records = createRecordCommandHandler(eventStore);
  const syncs = createSyncCommandHandler(eventStore);
  const actor = { type: 'api_key', id: 'test' } as const;
  const workers: Worker[] = [];
  const children: WorkerProcess[] = [];
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.controlsUrl}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  const query = async (statement: string) => {
    const grant = await module.refresher.getAccessToken(tenantId);
    const res = await fetch(`${sandbox.url}/v3/company/${realmId}/query?minorversion=75`, { method: 'POST', headers: { authorization: `Bearer ${grant.accessToken}`, 'content-type': 'application/text', accept: 'application/json' }, body: statement });
    return (await res.json()) as { QueryResponse: Record<string, unknown[]> };
  };

  return {
    database,
    db,
    eventStore,
    sandbox,
    module,
    realmId,
    tenantId,
    env,
    upsert: async (type, localId, input) => {
      const record = canonicalSchemas[type].parse(input) as Record<string, unknown>;
      await records.handle(tenantId, { type: 'UpsertLocalRecord', recordType: type, localId, at: new Date().toISOString(), record, contentHash: contentHash(record) }, { correlationId: randomUUID(), actor });
    },
    remove: async (type, localId) => {
      await records.handle(tenantId, { type: 'DeleteLocalRecord', recordType: type, localId, at: new Date().toISOString() }, { correlationId: randomUUID(), actor });
    },
    setPolicy: async (type, conflictPolicy) => {
      await syncs.changeSettings(tenantId, { recordType: type, mode: 'manual', schedule: null, conflictPolicy }, { changedBy: 'test', at: new Date().toISOString() }, { correlationId: randomUUID(), actor });
    },
    requestSync: async (type, direction, options = {}) => {
      const syncId = randomUUID();
      await syncs.requestSync(
        { syncId, tenantId, recordType: type, direction, scope: options.scope ?? { kind: 'changed' }, dryRun: options.dryRun ?? false, retryOf: null, requestedBy: 'test', at: new Date().toISOString() },
        { correlationId: syncId, actor },
      );
      return syncId;
    },
    waitForRun: async (syncId, timeoutMs = 60_000) => {
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
    spawnWorker: async (extraEnv = {}) => {
      let output = '';
      const child = spawn(process.execPath, ['--import', pathToFileURL(TSX_LOADER).href, join(ROOT, 'apps/worker/src/main.ts')], { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'info', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
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
        output: () => output,
        kill: async (signal) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill(signal);
          await exited;
        },
      };
      children.push(handle);
      return handle;
    },
    control,
    countStreams: async (prefix) => Number((await pool.query<{ n: string }>('select count(*) as n from event_streams where stream_name like $1', [`${prefix}%`])).rows[0]?.n ?? 0),
    sql: async <T>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[],
    requests: async () => ((await control('GET', `/requests?realmId=${realmId}&limit=100000`)) as { requests: SandboxRequest[] }).requests,
    qbo: async (method, path, body) => {
      const grant = await module.refresher.getAccessToken(tenantId);
      const res = await fetch(`${sandbox.url}/v3/company/${realmId}${path}${path.includes('?') ? '&' : '?'}minorversion=75`, {
        method,
        headers: { authorization: `Bearer ${grant.accessToken}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`QBO ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    qboAll: async (entity) => {
      const all: Record<string, unknown>[] = [];
      const active = entity === 'Customer' || entity === 'Item' ? ' WHERE Active IN (true, false)' : '';
      for (let start = 1; ; start += 1000) {
        const page = ((await query(`SELECT * FROM ${entity}${active} STARTPOSITION ${start} MAXRESULTS 1000`)).QueryResponse[entity] ?? []) as Record<string, unknown>[];
        all.push(...page);
        if (page.length < 1000) return all;
      }
    },
    close: async () => {
      for (const child of children) await child.kill('SIGKILL');
      for (const worker of workers) await worker.stop().catch(() => undefined);
      await projector.stop();
      await eventStore.close();
      await pool.end();
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
      await database.drop();
    },
  };
};
