// SIGTERM while PostgreSQL stops (a host shutting down sends both at once): the worker is in the middle of a
// push run when it gets SIGTERM and its database goes away under it (a fast shutdown ends every session
// with 57P01). It must stop cleanly all the same: no unhandled error, graphile-worker stopped, exit code 0.
// Runs on a PostgreSQL cluster of its own (embedded), since the test stops it.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore } from '@qbo-sync/adapters/event-store';
import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { requestSync, upsertRecord } from '@qbo-sync/application';
import { canonicalSchemas } from '@qbo-sync/domain';
import { type SandboxHandle, startSandbox } from '../apps/qbo-sandbox/src/index.js';
import { connectTenant } from './support/connect-tenant.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

interface Cluster {
  url: string;
  stop(): Promise<void>;
}

let folder: string;
let cluster: Cluster;
let databaseUrl: string;
let sandbox: SandboxHandle;
const env: Record<string, string> = {};

beforeAll(async () => {
  // Reachable by the unprivileged user PostgreSQL runs as (not under a 0700 folder).
  folder = await mkdtemp('/tmp/qbo-sync-shutdown-');
  await chmod(folder, 0o755);
  // Imported here only: this is the one test file here that starts a cluster of its own.
  const { startEmbeddedPostgres } = await import('@qbo-sync/adapters/embedded-postgres');
  cluster = await startEmbeddedPostgres({ dataDir: join(folder, 'cluster'), persistent: false });
  databaseUrl = cluster.url;
  sandbox = await startSandbox({ port: 0, autoApprove: true, limits: false, seed: { customers: 0, vendors: 0, items: 0, invoices: 0 } });
  Object.assign(env, { DATABASE_URL: databaseUrl, QBO_SANDBOX_URL: sandbox.url, QBO_SYNC_DATA_DIR: folder, WORKER_POLL_INTERVAL_MS: '200', LOG_LEVEL: 'info' });

  // The tenant, its customers and the run, written through the use cases; then this process lets go of the
  // database, so only the worker is connected when it stops.
  const pool = createPool({ connectionString: databaseUrl, maxConnections: 4 });
  const db = createDatabase<unknown>(pool);
  await migrateToLatest(db);
  const eventStore = createEventStore(db, { kind: 'postgres', databaseUrl });
  await connectTenant({ env, db, eventStore, tenantId: 'acme' });
  const context = { correlationId: 'shutdown-test', actor: { type: 'api_key', id: 'shutdown-test' } as const };
  for (let n = 0; n < 120; n += 1) {
    const record = canonicalSchemas.customer.parse({ displayName: `Shutdown Customer ${n}` }) as Record<string, unknown>;
    await upsertRecord({ eventStore }, { tenantId: 'acme', recordType: 'customer', localId: `shutdown-${n}`, record, at: new Date().toISOString() }, context);
  }
  await requestSync({ eventStore }, { tenantId: 'acme', recordType: 'customer', direction: 'push', scope: { kind: 'changed' }, dryRun: false, newSyncId: randomUUID(), at: new Date().toISOString() }, context);
  await eventStore.close();
  await pool.end();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await cluster?.stop().catch(() => undefined);
  if (folder) await rm(folder, { recursive: true, force: true });
});

const spawnWorker = (): { child: ChildProcess; output: () => string } => {
  let output = '';
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(ROOT, 'apps/worker/src/main.ts')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
};

const batchCalls = async () => {
  const res = await fetch(`${sandbox.controlsUrl}/requests?limit=100000`);
  return ((await res.json()) as { requests: { operation?: string }[] }).requests.filter((request) => request.operation === 'batch').length;
};

describe('worker shutdown', () => {
  it('stops cleanly on SIGTERM while PostgreSQL stops under a running push: exit code 0, no unhandled error', async () => {
    // Slow batch answers keep the run in the middle of a call when the signal comes.
    await fetch(`${sandbox.controlsUrl}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'latency', operation: 'batch', latencyMs: 1_500 }) });
    const worker = spawnWorker();
    const deadline = Date.now() + 60_000;
    while ((await batchCalls()) < 1) {
      if (Date.now() > deadline || worker.child.exitCode !== null) throw new Error(`the run never reached QBO:\n${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const exited = once(worker.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    worker.child.kill('SIGTERM');
    await cluster.stop();
    const [code, signal] = await exited;
    const output = worker.output();
    expect({ code, signal }, output).toEqual({ code: 0, signal: null });
    expect(output).toContain('worker stopped');
    // Nothing reached Node's last resort, nor runService's net for errors nobody handled. (graphile-worker's own
    // console.trace of a worker whose job fetch failed is its handled report, not a crash.)
    expect(output).not.toMatch(/unhandled|uncaught|^Node\.js v/im);
  }, 120_000);
});
