// API: starting a sync (DESIGN.md §9: under 25 ms p99 at 200 requests a second). Starts the api as its own
// process (`node --import tsx apps/api/src/main.ts`) on a bench database, creates a tenant as the first admin,
// gives it an API key and a QBO connection (as a completed OAuth connect records it), then sends
// POST /v1/tenants/{tenant}/syncs at a fixed RATE for SECONDS (open loop: requests go out on schedule
// whether or not earlier ones answered) over keep-alive connections. No worker runs, so the runs queue.
// Latency is measured from each request's scheduled time (so a stall is not hidden) and from its send.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/api-start-sync.ts   (RATE=200 SECONDS=20)

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleConnectionCommand } from '@qbo-sync/application';
import { createDatabase, createPool, createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { projectConnectionStatus } from '@qbo-sync/adapters/read-models';
import { createApiKeyStore } from '../apps/api/src/auth/api-key-store.js';
import type { AuthTables } from '../apps/api/src/auth/auth-tables.js';
import { openBenchDatabase, percentile } from './support/bench-database.js';

const rate = Number(process.env.RATE ?? 200);
const seconds = Number(process.env.SECONDS ?? 20);
const warmupSeconds = Number(process.env.WARMUP_SECONDS ?? 3);
const tenant = 'bench';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const database = await openBenchDatabase();
const dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-bench-api-'));
const port = await freePort();
const admin = { email: 'bench-admin@example.test', password: 'bench-admin-password-long-enough' };
let output = '';
const api = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/api/src/main.ts')], {
  cwd: ROOT,
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    API_PORT: String(port),
    LOG_LEVEL: 'warn',
    QBO_SANDBOX_URL: 'http://127.0.0.1:9',
    QBO_SYNC_DATA_DIR: dataDir,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
api.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
api.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
const base = `http://127.0.0.1:${port}`;
const pool = createPool({ connectionString: database.url, maxConnections: 2 });

try {
  for (const deadline = Date.now() + 30_000; ; ) {
    const up = await fetch(`${base}/healthz`).then((response) => response.ok, () => false);
    if (up) break;
    if (api.exitCode !== null || Date.now() > deadline) throw new Error(`the api did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  if (login.status !== 200) throw new Error(`admin sign-in answered ${login.status}: ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${base}/v1/tenants`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ id: tenant, name: 'Bench tenant' }),
  });
  if (created.status !== 201 && created.status !== 200) throw new Error(`creating the tenant answered ${created.status}: ${await created.text()}`);
  const { key } = await createApiKeyStore(createDatabase<AuthTables>(pool)).create({ tenantId: tenant, name: 'bench', role: 'operator', createdBy: 'bench' });
  const db = createDatabase<unknown>(pool);
  const store = createPostgresEventStore({ db, connectionString: database.url });
  await handleConnectionCommand(
    store,
    tenant,
    {
      type: 'AuthorizeConnection',
      realmId: '9130350000000001',
      company: { companyName: 'Bench Ltd', country: 'US', homeCurrency: 'USD', multiCurrencyEnabled: false, customTransactionNumbers: true },
      expiries: { accessTokenExpiresAt: '2099-01-01T01:00:00.000Z', refreshTokenExpiresAt: '2099-04-10T00:00:00.000Z', refreshTokenHardExpiresAt: '2099-12-31T00:00:00.000Z' },
      userId: 'bench-user',
      confirmRealmChange: false,
      at: new Date().toISOString(),
    },
    { correlationId: 'bench-connect', actor: { type: 'user', id: 'bench-user' } },
  );
  await db.transaction().execute(async (trx) => projectConnectionStatus(trx, (await store.readStream(`connection-${tenant}`)).events));
  await store.close();

  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const body = JSON.stringify({ type: 'customer', direction: 'push' });
  const startSync = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { agent, host: '127.0.0.1', port, method: 'POST', path: `/v1/tenants/${tenant}/syncs`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const first = await startSync();
  if (first !== 202) throw new Error(`starting a sync answered ${first}:\n${output}`);

  // Open loop: request i goes out at started + i / rate.
  const run = async (phaseSeconds: number) => {
    const total = Math.round(rate * phaseSeconds);
    const fromSchedule: number[] = [];
    const fromSend: number[] = [];
    const statuses: Record<string, number> = {};
    const pending: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const sent = performance.now();
      pending.push(
        startSync().then(
          (status) => {
            const done = performance.now();
            fromSchedule.push(done - due);
            fromSend.push(done - sent);
            statuses[status] = (statuses[status] ?? 0) + 1;
          },
          (error: Error) => {
            statuses[error.message] = (statuses[error.message] ?? 0) + 1;
          },
        ),
      );
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - started) / 1000;
    fromSchedule.sort((a, b) => a - b);
    fromSend.sort((a, b) => a - b);
    const summary = (sorted: number[]) => ({ p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] });
    return { requests: total, achievedRate: total / elapsed, statuses, latencyFromScheduleMs: summary(fromSchedule), latencyFromSendMs: summary(fromSend) };
  };
  await run(warmupSeconds);
  const measured = await run(seconds);
  agent.destroy();
  const [queued] = (await pool.query<{ n: string }>(`select count(*) as n from event_streams where category = 'sync'`)).rows;

  console.log(
    JSON.stringify(
      {
        bench: 'api-start-sync',
        server: database.server,
        cpus: cpus().length,
        request: `POST /v1/tenants/${tenant}/syncs {type: customer, direction: push}, API key`,
        targetRate: rate,
        seconds,
        ...measured,
        runsQueued: Number(queued?.n ?? 0),
        target: { p99Ms: 25 },
      },
      (_, value) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10) / 10 : value),
      2,
    ),
  );
} finally {
  api.kill('SIGTERM');
  await new Promise((resolve) => (api.exitCode !== null ? resolve(null) : api.once('exit', resolve)));
  await pool.end();
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
}
