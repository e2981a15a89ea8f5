// Push throughput against QBO's per-realm limits (DESIGN.md §9: at least 90 % of what the limits allow,
// zero 429s left unhandled, zero duplicates), side by side with a plain sequential loop of node-quickbooks
// createCustomer calls. The sandbox runs in this process with Intuit's limits ON (500 requests a minute,
// 10 in flight, 40 batch calls a minute per realm) and two companies, so the two clients never share a window:
//   1. the plain loop: up to RECORDS createCustomer calls one after another on realm 2, for at most 60 s;
//   2. the engine: RECORDS new customers in through the record command handler, projected, then one push run
//      executed by the worker (in this process) on realm 1.
// The ideal is computed from the limits: batches of 30, at most 40 in any minute (from a standing start the
// first 40 go at once, the next 40 a minute later), and with single calls too, 460 more a minute.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/push-throughput.ts   (RECORDS=2400)

import { cpus } from 'node:os';
import QuickBooks from 'node-quickbooks';
import { percentile } from './support/bench-database.js';
import { startBenchSyncWorld } from './support/sync-world.js';

interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  operation?: string;
  realmId?: string;
  status: number;
  durationMs: number;
}

const records = Number(process.env.RECORDS ?? 2400);
const loopSeconds = Number(process.env.LOOP_SECONDS ?? 60);
const BATCH = 30;
const BATCHES_PER_MINUTE = 40;
const SINGLES_PER_MINUTE = 500 - BATCHES_PER_MINUTE;

const world = await startBenchSyncWorld({ companies: 2 });
const control = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${world.sandbox.controlsUrl}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<unknown>;
};
const requestsOf = async (realmId: string) => ((await control('GET', `/requests?realmId=${realmId}&limit=100000`)) as { requests: LoggedRequest[] }).requests;
const tokenFor = async (realmId: string) => ((await control('POST', '/oauth/tokens', { realmId })) as { access_token: string }).access_token;
const customersIn = async (realmId: string) => {
  const token = await tokenFor(realmId);
  const all: Array<{ DisplayName: string }> = [];
  for (let start = 1; ; start += 1000) {
    const response = await fetch(`${world.sandbox.url}/v3/company/${realmId}/query?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/text', accept: 'application/json' },
      body: `SELECT * FROM Customer WHERE Active IN (true, false) STARTPOSITION ${start} MAXRESULTS 1000`,
    });
    const page = ((await response.json()) as { QueryResponse: { Customer?: Array<{ DisplayName: string }> } }).QueryResponse.Customer ?? [];
    all.push(...page);
    if (page.length < 1000) return { total: all.length, distinctNames: new Set(all.map((customer) => customer.DisplayName.toLowerCase())).size };
  }
};
const statuses = (requests: readonly LoggedRequest[]) => {
  const out: Record<string, number> = {};
  for (const request of requests) out[request.status] = (out[request.status] ?? 0) + 1;
  return out;
};

try {
  const loopRealm = world.sandbox.realms().find((realmId) => realmId !== world.realmId);
  if (loopRealm === undefined) throw new Error('the sandbox has no second company for the plain loop');

  // 1. The plain loop, as a host without this service would write it.
  QuickBooks.V3_ENDPOINT_BASE_URL = world.sandbox.accountingBaseUrl;
  const qbo = new QuickBooks('bench-client', 'bench-secret', await tokenFor(loopRealm), false, loopRealm, true, false, '75', '2.0');
  const loopStarted = performance.now();
  let loopAttempts = 0;
  let loopCreated = 0;
  const loopErrors: Record<string, number> = {};
  while (loopAttempts < records && performance.now() - loopStarted < loopSeconds * 1000) {
    const n = ++loopAttempts;
    await new Promise<void>((resolve) => {
      qbo.createCustomer({ DisplayName: `Loop Customer ${n}`, PrimaryEmailAddr: { Address: `loop${n}@example.com` } }, (error: unknown) => {
        if (error === null || error === undefined) loopCreated += 1;
        else {
          const fault = error as { Fault?: { Error?: Array<{ code?: string }> }; statusCode?: number; message?: string };
          const key = fault.Fault?.Error?.[0]?.code ?? String(fault.statusCode ?? fault.message ?? 'error');
          loopErrors[key] = (loopErrors[key] ?? 0) + 1;
        }
        resolve();
      });
    });
  }
  const loopSecondsTaken = (performance.now() - loopStarted) / 1000;
  const loopRequests = await requestsOf(loopRealm);

  // 2. The engine.
  const upsertStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < records) {
        const n = ++next;
        await world.upsert('customer', `bench-${n}`, { displayName: `Bench Customer ${n}`, email: `bench${n}@example.com` });
      }
    }),
  );
  const upsertSeconds = (performance.now() - upsertStarted) / 1000;
  for (const deadline = Date.now() + 60_000; ; ) {
    const [row] = await world.sql<{ n: string }>(`select count(*) as n from records where tenant_id = $1 and record_type = 'customer'`, [world.tenantId]);
    if (Number(row?.n ?? 0) >= records) break;
    if (Date.now() > deadline) throw new Error(`only ${row?.n} of ${records} records projected after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await world.startWorker();
  const runStarted = performance.now();
  const syncId = await world.requestSync('customer', 'push');
  const end = await world.waitForRun(syncId, 170_000);
  const runSeconds = (performance.now() - runStarted) / 1000;
  const engineRequests = await requestsOf(world.realmId);
  const writes = engineRequests.filter((request) => request.method === 'POST' && request.operation !== 'query');
  const accepted = writes.filter((request) => request.status === 200);
  const firstWrite = Math.min(...writes.map((request) => Date.parse(request.at)));
  const lastWrite = Math.max(...accepted.map((request) => Date.parse(request.at) + request.durationMs));
  const writeWindowSeconds = (lastWrite - firstWrite) / 1000;
  const batchMs = accepted.map((request) => request.durationMs).sort((a, b) => a - b);

  // What the limits allow for this many records from a standing start (a call takes the median batch time).
  const batches = Math.ceil(records / BATCH);
  const idealBatchOnlySeconds = Math.floor((batches - 1) / BATCHES_PER_MINUTE) * 60 + (percentile(batchMs, 50) || 0) / 1000;
  const perMinuteWithSingles = BATCH * BATCHES_PER_MINUTE + SINGLES_PER_MINUTE;
  const idealWithSinglesSeconds = Math.floor((records - 1) / perMinuteWithSingles) * 60 + (percentile(batchMs, 50) || 0) / 1000;

  world.sandbox.core.limiter.configure(false);
  const engineCustomers = await customersIn(world.realmId);
  const loopCustomers = await customersIn(loopRealm);
  const counts = end.data.counts as Record<string, number>;

  console.log(
    JSON.stringify(
      {
        bench: 'push-throughput',
        server: world.server,
        cpus: cpus().length,
        records,
        limits: { requestsPerMinute: 500, inFlight: 10, batchPerMinute: BATCHES_PER_MINUTE, batchSize: BATCH },
        plainLoop: {
          client: 'node-quickbooks 2.0.50 createCustomer, sequential, no retry',
          attempts: loopAttempts,
          created: loopCreated,
          seconds: loopSecondsTaken,
          createdPerMinute: (loopCreated / loopSecondsTaken) * 60,
          errors: loopErrors,
          sandboxStatuses: statuses(loopRequests),
          inSandbox: loopCustomers,
        },
        engine: {
          upsertSeconds,
          run: { outcome: end.type, counts },
          runSeconds,
          writeWindowSeconds,
          recordsPerMinute: (counts.created ?? 0) / (runSeconds / 60),
          writeCalls: writes.length,
          writeStatuses: statuses(writes),
          batchCallMs: { p50: percentile(batchMs, 50), p99: percentile(batchMs, 99) },
          throttledLeftUnhandled: Object.values(counts).length === 0 ? null : (counts.failed ?? 0),
          inSandbox: engineCustomers,
          duplicates: engineCustomers.total - engineCustomers.distinctNames,
        },
        ideal: {
          batchOnlySeconds: idealBatchOnlySeconds,
          withSinglesSeconds: idealWithSinglesSeconds,
          sustainedRecordsPerMinute: { batchOnly: BATCH * BATCHES_PER_MINUTE, withSingles: perMinuteWithSingles },
          engineShareOfBatchOnly: idealBatchOnlySeconds / runSeconds,
          engineShareOfWithSingles: idealWithSinglesSeconds / runSeconds,
        },
      },
      (_, value) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value),
      2,
    ),
  );
} finally {
  await world.close();
}
