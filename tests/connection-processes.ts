// Test support for the multi-process connection tests: a database, the sandbox in this process, a tenant
// connected through the real OAuth flow, and worker processes (tsx) that start their calls together.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, createPool, createPostgresEventStore, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { type QboConnectionModule } from '@qbo-sync/adapters/intuit-oauth';
import { createTestDatabase, type TestDatabase } from '@qbo-sync/adapters/testing';
import { type SandboxHandle, type StartSandboxOptions, startSandbox } from '../apps/qbo-sandbox/src/index.js';
import { connectTenant } from './support/connect-tenant.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = join(ROOT, 'tests/connection-child-process.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export interface ConnectedWorld {
  readonly database: TestDatabase;
  readonly db: ReturnType<typeof createDatabase<unknown>>;
  readonly eventStore: ReturnType<typeof createPostgresEventStore>;
  readonly sandbox: SandboxHandle;
  readonly module: QboConnectionModule;
  readonly realmId: string;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export const connectedWorld = async (label: string, sandboxOptions: StartSandboxOptions, tenantId = 'acme'): Promise<ConnectedWorld> => {
  const database = await createTestDatabase(label);
  const pool = createPool({ connectionString: database.url });
  const db = createDatabase<unknown>(pool);
  await migrateToLatest(db);
  const eventStore = createPostgresEventStore({ db, connectionString: database.url });
  const sandbox = await startSandbox({ port: 0, autoApprove: true, ...sandboxOptions });
  const dataDir = await mkdtemp(join(tmpdir(), `qbo-sync-${label}-`));
  const env = { DATABASE_URL: database.url, QBO_SANDBOX_URL: sandbox.url, QBO_SYNC_DATA_DIR: dataDir, QBO_THROTTLE_WAIT_MS: '60000' };
  const { module, realmId } = await connectTenant({ env, db, eventStore, tenantId });
  return {
    database,
    db,
    eventStore,
    sandbox,
    module,
    realmId,
    env: { ...env, REALM_ID: realmId, TENANT_ID: tenantId },
    close: async () => {
      await eventStore.close();
      await sandbox.close();
      await pool.end();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

export interface ChildResult {
  readonly ok: boolean;
  readonly pid: number;
  readonly error?: unknown;
  readonly [key: string]: unknown;
}

/** Starts the workers, waits until every one is ready, lets them all go at once, and collects results. */
export const runWorkers = async (count: number, env: Record<string, string>, timeoutMs = 120_000): Promise<ChildResult[]> => {
  const children: ChildProcess[] = [];
  const outputs: string[] = [];
  const results: Array<Promise<ChildResult>> = [];
  const readies: Array<Promise<void>> = [];
  for (let index = 0; index < count; index += 1) {
    const child = spawn(TSX, [CHILD], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    outputs[index] = '';
    let buffered = '';
    let markReady: () => void = () => undefined;
    readies.push(new Promise((resolve) => (markReady = resolve)));
    results.push(
      new Promise<ChildResult>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          outputs[index] += chunk.toString();
          for (;;) {
            const newline = buffered.indexOf('\n');
            if (newline === -1) break;
            const line = buffered.slice(0, newline);
            buffered = buffered.slice(newline + 1);
            if (line === 'ready') markReady();
            else if (line.startsWith('{"childResult":true')) resolve(JSON.parse(line) as ChildResult);
          }
        });
        child.stderr?.on('data', (chunk: Buffer) => {
          outputs[index] += chunk.toString();
        });
        child.once('exit', (code) => setTimeout(() => reject(new Error(`worker ${index} exited with ${code} without a result:\n${outputs[index]}`)), 50));
      }),
    );
  }
  const timer = setTimeout(() => children.forEach((child) => child.kill('SIGKILL')), timeoutMs);
  try {
    await Promise.all(readies);
    for (const child of children) child.stdin?.write('go\n');
    return await Promise.all(results);
  } finally {
    clearTimeout(timer);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
};
