// The per-realm rate limiter shared through Postgres: three worker processes hammer one realm of the
// sandbox, with the sandbox's throttles on. None of them ever draws a 429, and the sandbox's own request log
// shows the limits kept: at most 10 in flight, and (with the per-minute limits lowered so the test crosses a
// whole window in about a minute) at most N requests and M batch requests in any 60 seconds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectedWorld, connectedWorld, runWorkers } from './connection-processes.js';

interface LoggedRequest {
  at: string;
  path: string;
  status: number;
  durationMs: number;
}

const requestsOf = async (world: ConnectedWorld): Promise<LoggedRequest[]> =>
  world.sandbox.core.requestLog.entries({ realmId: world.realmId }) as LoggedRequest[];

const control = (world: ConnectedWorld, method: string, path: string, body?: unknown) =>
  fetch(`${world.sandbox.url}/__sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** Most requests whose start falls within any window of `windowMs` (as the sandbox counts: (t - window, t]). */
const peakInWindow = (times: number[], windowMs: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[first] ?? 0) <= (sorted[last] ?? 0) - windowMs) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
};

describe('three processes hammering one realm: in flight', () => {
  let world: ConnectedWorld;
  beforeAll(async () => {
    world = await connectedWorld('connection_inflight', { limits: { inFlight: 10, requestsPerMinute: 500, batchPerMinute: 40 } });
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('never draws a 429 and never has more than 10 calls in flight', { timeout: 120_000 }, async () => {
    // Each call holds its slot for 300 ms, well above the cost of taking a lease through Postgres, so 45
    // callers fill all 10 slots even on a loaded 2-core machine (at 40 ms the peak fell to 5 or 6 there).
    await control(world, 'POST', '/faults', { action: 'latency', latencyMs: 300, path: '/companyinfo' });
    world.sandbox.core.requestLog.clear();
    const results = await runWorkers(3, { ...world.env, CHILD_MODE: 'hammer', CALLS: '40', BATCHES: '0', CONCURRENCY: '15' });
    expect(results.map((r) => [r.ok, r.done, r.error])).toEqual([[true, 40, undefined], [true, 40, undefined], [true, 40, undefined]]);

    const requests = await requestsOf(world);
    expect(requests).toHaveLength(120);
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    const spans = requests.map((r) => ({ start: Date.parse(r.at), end: Date.parse(r.at) + r.durationMs }));
    const peak = Math.max(...spans.map((s) => spans.filter((o) => o.start <= s.start && o.end > s.start).length));
    expect(peak).toBeLessThanOrEqual(10);
    // 45 callers wanted in at once: the limiter, not a lack of demand, kept it at 10.
    expect(peak).toBeGreaterThanOrEqual(8);
  });
});

describe('three processes hammering one realm: per minute and batches', () => {
  const PER_MINUTE = 30;
  const BATCH_PER_MINUTE = 4;
  let world: ConnectedWorld;
  beforeAll(async () => {
    world = await connectedWorld('connection_perminute', {
      limits: { inFlight: 10, requestsPerMinute: PER_MINUTE, batchPerMinute: BATCH_PER_MINUTE, batchPerMinutePerRealm: 120 },
    });
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('spreads 36 requests (6 of them batches) over more than a minute without a 429', { timeout: 150_000 }, async () => {
    world.sandbox.core.requestLog.clear();
    const started = Date.now();
    // The connect itself made calls in this realm: they count in the window too, as they would at Intuit.
    const results = await runWorkers(
      3,
      {
        ...world.env,
        CHILD_MODE: 'hammer',
        CALLS: '10',
        BATCHES: '2',
        CONCURRENCY: '4',
        RATE_LIMITS: JSON.stringify({ perMinute: PER_MINUTE, batchPerMinute: BATCH_PER_MINUTE }),
      },
      140_000,
    );
    expect(results.map((r) => [r.ok, r.done, r.error])).toEqual([[true, 12, undefined], [true, 12, undefined], [true, 12, undefined]]);
    expect(Date.now() - started).toBeGreaterThan(55_000);

    const requests = await requestsOf(world);
    expect(requests).toHaveLength(36);
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    const all = requests.map((r) => Date.parse(r.at));
    const batches = requests.filter((r) => r.path.endsWith('/batch')).map((r) => Date.parse(r.at));
    expect(batches).toHaveLength(6);
    expect(peakInWindow(all, 60_000)).toBeLessThanOrEqual(PER_MINUTE);
    expect(peakInWindow(batches, 60_000)).toBeLessThanOrEqual(BATCH_PER_MINUTE);
  });
});
