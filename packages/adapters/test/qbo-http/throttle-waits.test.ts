// Throttle waits follow the realm's limits, over real HTTP against the sandbox process and on real Postgres:
// a burst of 429s the limiter expected (its own counts had filled the batch budget) costs one window in all,
// not a wait per answer; a 429 it did not expect (another app filled the realm) backs off the full window;
// and callers share one wait, another process included: a call in flight that is answered 429 meanwhile
// does not extend it, and a call that starts meanwhile is held until it ends instead of walking into it.
//
// The "minute" is scaled down so the test runs in seconds: the limiter's window and QBO_THROTTLE_WAIT_MS
// (the cap, and the full window) are both WINDOW_MS.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pino from 'pino';
import { createDatabase, createPool, createPostgresRateLimiter, type RateLimits } from '@qbo-sync/adapters/postgres';
import { loadQboConnectionConfig } from '@qbo-sync/adapters/intuit-oauth';
import { type BatchCall, type BatchWrite, createBatchWriter, createQboClient, createSyncWriteClient } from '@qbo-sync/adapters/qbo-http';
import { type ConnectionHarness, REDIRECT_URI, startConnectionHarness } from '../connection/support/connection-harness.js';

const WINDOW_MS = 2_500;
const LIMITS: Partial<RateLimits> = { batchPerMinute: 6, windowMs: WINDOW_MS, marginMs: 0 };

let h: ConnectionHarness;
let realmId: string;
beforeAll(async () => {
  h = await startConnectionHarness('qbo_throttle_waits', { env: { QBO_THROTTLE_WAIT_MS: String(WINDOW_MS) }, limits: LIMITS });
  ({ realmId } = await h.connect('acme'));
}, 60_000);
beforeEach(async () => {
  // Each case starts on a quiet realm: no request counted, no throttle under way.
  await sql`delete from qbo_rate_requests`.execute(h.db);
  await sql`update qbo_realm_activity set throttled_until = null, batch_throttled_until = null`.execute(h.db);
  await h.sandbox.control('DELETE', '/requests');
});
afterEach(async () => {
  await h.sandbox.control('DELETE', '/faults');
});
afterAll(async () => {
  await h?.close();
});

const config = () => loadQboConnectionConfig({ QBO_SANDBOX_URL: h.sandbox.url, QBO_SYNC_DATA_DIR: h.dataDir, QBO_THROTTLE_WAIT_MS: String(WINDOW_MS) }, { redirectUri: REDIRECT_URI });

/** A batch writer as the sync engine builds it (no retries below it), one write a call. */
const writer = (calls: BatchCall[]) =>
  createBatchWriter({
    client: createSyncWriteClient({ module: h.module, config: config(), logger: pino({ level: 'silent' }) }),
    tenantId: 'acme',
    chunkSize: 1,
    baseDelayMs: 10,
    onCall: (call) => calls.push(call),
  });

const creates = (prefix: string, count: number): BatchWrite[] =>
  Array.from({ length: count }, (_, n) => ({
    key: `${prefix}-${n}`,
    entity: 'Customer',
    operation: 'create',
    body: { DisplayName: `${prefix} ${n}` },
    identity: { tenantId: 'acme', recordType: 'customer', localId: `${prefix}-${n}`, localRevision: 1, generation: 0, operation: 'create', over: null },
  }));

interface Logged {
  at: string;
  path: string;
  status: number;
  durationMs: number;
  operation?: string;
}
const log = async () => (await h.sandbox.requests(realmId)) as unknown as Logged[];
/** When the call reached the sandbox, and when it was answered. */
const ms = (request: Logged) => Date.parse(request.at);
const answeredAt = (request: Logged) => ms(request) + request.durationMs;

describe('throttle waits', () => {
  it('a burst of 429s the limiter expected costs one window in all, not a wait per answer', async () => {
    // Five calls of a budget of six, 300 ms apart: the sixth fills the window, and QBO refusing it is no
    // surprise. (Spread out so that on a loaded machine a retry still goes before the next slot frees.)
    for (const write of creates('Budget', 5)) {
      await writer([]).writeAll([write]);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await h.sandbox.control('POST', '/faults', { action: 'throttle', operation: 'batch', times: 4 });
    const calls: BatchCall[] = [];
    const started = Date.now();
    const results = await writer(calls).writeAll(creates('Burst', 1));
    const elapsed = Date.now() - started;
    expect(results.map((result) => result.kind)).toEqual(['written']);
    expect(calls.map((call) => call.outcome)).toEqual(['throttled', 'throttled', 'throttled', 'throttled', 'answered']);
    // Each 429 waited for the next counted call to slide out of the window: all four fit in one window.
    // A flat wait per answer would have been 4 × WINDOW_MS.
    const waited = calls.reduce((sum, call) => sum + (call.waitMs ?? 0), 0);
    expect(waited).toBeLessThanOrEqual(WINDOW_MS);
    expect(elapsed).toBeLessThan(2 * WINDOW_MS);
    // ...and none went early: each went again once the next of the five earlier calls had left the window.
    const batches = (await log()).filter((request) => request.operation === 'batch');
    const budget = batches.slice(0, 5);
    const again = batches.slice(6);
    expect(again).toHaveLength(4);
    for (const [k, request] of again.entries()) expect(ms(request)).toBeGreaterThanOrEqual(ms(budget[k] as Logged) + WINDOW_MS - 50);
  }, 30_000);

  it('a 429 the limiter did not expect (another app filled the realm) backs off the full window', async () => {
    await h.sandbox.control('POST', '/faults', { action: 'throttle', operation: 'batch', times: 1 });
    const calls: BatchCall[] = [];
    const started = Date.now();
    await writer(calls).writeAll(creates('Unexpected', 1));
    expect(calls.map((call) => [call.outcome, call.waitMs])).toEqual([
      ['throttled', WINDOW_MS],
      ['answered', undefined],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);
    const [refused, resent] = (await log()).filter((request) => request.operation === 'batch');
    expect(refused?.status).toBe(429);
    expect(ms(resent as Logged) - ms(refused as Logged)).toBeGreaterThanOrEqual(WINDOW_MS - 50);
  }, 30_000);

  it('callers share one wait, in another process too: a call in flight does not extend it, a new call waits for its end', async () => {
    // The other process: its own pool, limiter and client; nothing shared with this one but the database.
    const pool = createPool({ connectionString: h.database.url, maxConnections: 4 });
    const other = createQboClient({
      accountingBaseUrl: config().accountingBaseUrl,
      minorVersion: 75,
      tokens: h.module.refresher,
      limiter: createPostgresRateLimiter({ db: createDatabase<unknown>(pool), holder: 'another-process', limits: LIMITS }),
      logger: pino({ level: 'silent' }),
      throttleWaitMs: WINDOW_MS,
    });
    try {
      // The other process's read is held 800 ms by QBO, then refused; meanwhile this process's batch is refused.
      await h.sandbox.control('POST', '/faults', { action: 'latency', path: '/companyinfo', latencyMs: 800, times: 1 });
      await h.sandbox.control('POST', '/faults', { action: 'throttle', path: '/companyinfo', times: 1 });
      await h.sandbox.control('POST', '/faults', { action: 'throttle', operation: 'batch', times: 1 });
      const inFlight = other.get('acme', `/companyinfo/${realmId}`);
      // Once the read holds its lease it is on its way to QBO.
      while (Number((await sql<{ n: string }>`select count(*) as n from qbo_rate_leases where holder = 'another-process'`.execute(h.db)).rows[0]?.n) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const calls: BatchCall[] = [];
      const written = writer(calls).writeAll(creates('Shared', 1));
      // A call that starts while the realm is throttled.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const late = other.query('acme', 'select * from Customer maxresults 1');
      await Promise.all([inFlight, written, late]);

      const requests = await log();
      const firstRefusal = requests.find((request) => request.status === 429 && request.operation === 'batch') as Logged;
      const inFlightRefusal = requests.find((request) => request.status === 429 && request.path.includes('/companyinfo')) as Logged;
      expect(answeredAt(inFlightRefusal)).toBeGreaterThan(answeredAt(firstRefusal) + 200);
      const end = answeredAt(firstRefusal) + WINDOW_MS;
      // Nothing reached QBO from the first refusal until the shared wait ended (the read had arrived before).
      const during = requests.filter((request) => ms(request) > ms(firstRefusal) && ms(request) < end - 50);
      expect(during).toEqual([]);
      // The read in flight went again when the shared wait ended, not a whole window after its own 429.
      const resent = requests.find((request) => request.path.includes('/companyinfo') && request.status === 200) as Logged;
      expect(ms(resent)).toBeGreaterThanOrEqual(end - 50);
      expect(ms(resent) - answeredAt(inFlightRefusal)).toBeLessThan(WINDOW_MS - 150);
      // The late call was held until then, and was never refused.
      const query = requests.find((request) => request.path.includes('/query')) as Logged;
      expect(query.status).toBe(200);
      expect(ms(query)).toBeGreaterThanOrEqual(end - 50);
      expect(calls.map((call) => call.outcome)).toEqual(['throttled', 'answered']);
    } finally {
      await pool.end();
    }
  }, 30_000);
});
