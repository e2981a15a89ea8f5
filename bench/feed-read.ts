// Reading the event feed (issue 12): EVENTS events (100,000 by default) written through the event store port
// in multi-stream appends, numbered into the `event_feed` read model by the real projection runner, then read
// back page by page over HTTP from the api as its own process (`node --import tsx apps/api/src/main.ts`), by
// following each answer's `nextCursor` with an auditor's API key, until a page says there is no more. Reports
// the read rate, page latencies, and the peak RSS of the api process (VmHWM from /proc) and of this reader, to
// show that paging keeps memory flat however long the feed is (the whole feed is read PASSES times, 2 by default).
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/feed-read.ts   (EVENTS=100000 LIMIT=1000 PASSES=2)

import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, createPool, createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { type LogPosition, type NewEvent, type StreamAppend, comparePositions } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { createApiKeyStore } from '../apps/api/src/auth/api-key-store.js';
import type { AuthTables } from '../apps/api/src/auth/auth-tables.js';
import { startProjectionRunner } from '../apps/projector/src/projection-runner.js';
import { eventFeedProjection } from '../apps/projector/src/projections/event-feed.js';
import type { ReadModels } from '../apps/projector/src/read-models.js';
import { openBenchDatabase, percentile } from './support/bench-database.js';

const total = Number(process.env.EVENTS ?? 100_000);
const limit = Number(process.env.LIMIT ?? 1000);
const perCall = 1000;
const eventsPerStream = 2;
const tenant = 'bench';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The peak resident set of a process so far, in MB (Linux's high-water mark). */
const peakRssMb = async (pid: number | 'self'): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
};

const database = await openBenchDatabase();
const dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-bench-feed-'));
const pool = createPool({ connectionString: database.url, maxConnections: 4 });
const db = createDatabase<unknown>(pool);
const store = createPostgresEventStore({ db, connectionString: database.url });

// The log: customers upserted and then linked, a thousand events per append, as a busy tenant writes them.
const writeStarted = performance.now();
let end: LogPosition | null = null;
for (let first = 0; first < total; first += perCall) {
  const appends: StreamAppend[] = [];
  for (let index = first; index < Math.min(total, first + perCall); index += eventsPerStream) {
    const localId = `c-${index / eventsPerStream}`;
    const at = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
    const metadata = { tenantId: tenant, correlationId: `bench-${first}`, causationId: null, actor: { type: 'api_key' as const, id: 'bench-key' }, schemaVersion: 1 };
    const events: NewEvent[] = [
      { id: crypto.randomUUID(), type: 'LocalRecordUpserted', metadata, data: { recordType: 'customer', localId, record: { displayName: `Customer ${localId}`, email: `${localId}@example.test`, active: true }, contentHash: `h-${index}`, localRevision: 1, at } },
      { id: crypto.randomUUID(), type: 'RecordLinked', metadata, data: { recordType: 'customer', localId, qboId: String(1000 + index), syncToken: '0', via: 'created', syncId: 'bench-sync', at } },
    ];
    appends.push({ streamName: `record-${tenant}.customer.${localId}`, events: events.slice(0, Math.min(eventsPerStream, total - index)), expectedRevision: 'no_stream' });
  }
  const results = await store.appendToStreams(appends);
  end = results[results.length - 1]?.position ?? end;
}
const writeSeconds = (performance.now() - writeStarted) / 1000;
if (end === null) throw new Error('EVENTS must be at least 1');
const head: LogPosition = end;

// The projector's part: number them into the feed.
let reached!: () => void;
const caughtUp = new Promise<void>((resolve) => (reached = resolve));
const projectStarted = performance.now();
const runner = startProjectionRunner({
  db: db as unknown as Kysely<ReadModels>,
  connectionString: database.url,
  eventStore: store,
  projection: eventFeedProjection,
  logger: pino({ level: 'warn' }),
  batchSize: 1000,
  onBatchApplied: (_count, checkpoint) => {
    if (comparePositions(checkpoint, head) >= 0) reached();
  },
});
await caughtUp;
const projectSeconds = (performance.now() - projectStarted) / 1000;
await runner.stop();
await store.close();

const port = await freePort();
const admin = { email: 'bench-admin@example.test', password: 'bench-admin-password-long-enough' };
let output = '';
const api = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/api/src/main.ts')], {
  cwd: ROOT,
  env: { ...process.env, DATABASE_URL: database.url, API_PORT: String(port), LOG_LEVEL: 'warn', QBO_SANDBOX_URL: 'http://127.0.0.1:9', QBO_SYNC_DATA_DIR: dataDir, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
  stdio: ['ignore', 'pipe', 'pipe'],
});
api.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
api.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
const base = `http://127.0.0.1:${port}`;

try {
  for (const deadline = Date.now() + 60_000; ; ) {
    if (await fetch(`${base}/healthz`).then((response) => response.ok, () => false)) break;
    if (api.exitCode !== null || Date.now() > deadline) throw new Error(`the api did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  if (login.status !== 200) throw new Error(`admin sign-in answered ${login.status}: ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${base}/v1/tenants`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ id: tenant, name: 'Bench tenant' }) });
  if (created.status !== 201 && created.status !== 200) throw new Error(`creating the tenant answered ${created.status}: ${await created.text()}`);
  // An auditor reads the feed, as an outside audit tool would.
  const { key } = await createApiKeyStore(createDatabase<AuthTables>(pool)).create({ tenantId: tenant, name: 'bench auditor', role: 'auditor', createdBy: 'bench' });

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const getPage = (after: string | null) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const path = `/v1/tenants/${tenant}/events?limit=${limit}${after === null ? '' : `&after=${after}`}`;
      const req = request({ agent, host: '127.0.0.1', port, method: 'GET', path, headers: { authorization: `Bearer ${key}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end();
    });

  const apiRssBeforeMb = await peakRssMb(api.pid ?? 0);
  /** One pass over the whole feed, following the cursors until a page says there is no more. */
  const readFeed = async () => {
    const pageMs: number[] = [];
    const seen = new Set<string>();
    let read = 0;
    let pages = 0;
    let bytes = 0;
    let after: string | null = null;
    const started = performance.now();
    for (;;) {
      const sent = performance.now();
      const page = await getPage(after);
      pageMs.push(performance.now() - sent);
      if (page.status !== 200) throw new Error(`page ${pages + 1} answered ${page.status}: ${page.body.slice(0, 500)}`);
      const answer = JSON.parse(page.body) as { items: { id: string }[]; nextCursor: string | null; hasMore: boolean };
      for (const item of answer.items) seen.add(item.id);
      read += answer.items.length;
      bytes += page.body.length;
      pages += 1;
      after = answer.nextCursor;
      if (!answer.hasMore) break;
    }
    const seconds = (performance.now() - started) / 1000;
    // A rate means nothing unless every event came exactly once.
    if (read !== total || seen.size !== total) throw new Error(`read ${read} events (${seen.size} distinct) of ${total}`);
    pageMs.sort((a, b) => a - b);
    return {
      events: read,
      distinct: seen.size,
      pages,
      seconds,
      eventsPerSecond: read / seconds,
      megabytes: bytes / 1e6,
      pageMs: { p50: percentile(pageMs, 50), p95: percentile(pageMs, 95), p99: percentile(pageMs, 99), max: pageMs[pageMs.length - 1] },
      apiPeakRssMbAfter: await peakRssMb(api.pid ?? 0),
    };
  };
  // Twice over: memory that stays flat does not climb again on the second pass.
  const passes = [];
  for (let pass = 0; pass < Number(process.env.PASSES ?? 2); pass++) passes.push(await readFeed());
  agent.destroy();

  console.log(
    JSON.stringify(
      {
        bench: 'feed-read',
        server: database.server,
        cpus: cpus().length,
        events: total,
        write: { seconds: writeSeconds, eventsPerSecond: total / writeSeconds },
        project: { seconds: projectSeconds, eventsPerSecond: total / projectSeconds },
        read: { request: `GET /v1/tenants/${tenant}/events?limit=${limit}&after=<nextCursor>, auditor API key, one connection`, passes },
        peakRssMb: { apiBeforeReading: apiRssBeforeMb, api: await peakRssMb(api.pid ?? 0), reader: await peakRssMb('self') },
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
