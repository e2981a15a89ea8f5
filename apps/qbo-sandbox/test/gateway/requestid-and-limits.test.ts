// requestid replay (per realm, 50 characters, 36 in batch, switchable) and Intuit's throttles
// (500/min per realm, 10 in flight, 40 batch calls/min) answered with the recorded 429 shape.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/sandbox-harness.js';
import { fixtureText, startHarness, itWithFixtures } from '../support/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ companies: 2 });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.control('POST', '/reset', { oauth: false });
  await h.control('PUT', '/limits', { enabled: false });
});

const count = async (realmId?: string) =>
  (await h.api('GET', '/query?query=select%20count(*)%20from%20Customer', undefined, realmId ? { realmId } : {})).body.QueryResponse.totalCount as number;

describe('requestid', () => {
  it('replays the first response for a repeated id and writes nothing', async () => {
    const first = await h.api('POST', '/customer?requestid=push-1', { DisplayName: 'Once Only' });
    expect(first.status).toBe(200);
    const again = await h.api('POST', '/customer?requestid=push-1', { DisplayName: 'Once Only' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await count()).toBe(1);
    const log = (await h.control('GET', '/requests')).body.requests.filter((r: { requestId?: string }) => r.requestId === 'push-1');
    expect(log.map((r: { replayed?: boolean }) => !!r.replayed)).toEqual([false, true]);
  });

  it('keeps ids per realm', async () => {
    const [, other] = h.sandbox.realms();
    await h.api('POST', '/customer?requestid=same', { DisplayName: 'First realm' });
    await h.api('POST', '/customer?requestid=same', { DisplayName: 'Second realm' }, { realmId: other! });
    expect(await count()).toBe(1);
    expect(await count(other)).toBe(1);
  });

  it('replays a fault too (the first answer is the answer)', async () => {
    const first = await h.api('POST', '/invoice?requestid=bad-invoice', { Line: [] });
    expect(first.body.Fault.Error[0].code).toBe('2020');
    const again = await h.api('POST', '/invoice?requestid=bad-invoice', { CustomerRef: { value: '1' }, Line: [] });
    expect(again.body).toEqual(first.body);
  });

  it('limits ids to 50 characters, 36 for batch', async () => {
    expect((await h.api('POST', `/customer?requestid=${'a'.repeat(50)}`, { DisplayName: 'Fifty' })).status).toBe(200);
    const long = await h.api('POST', `/customer?requestid=${'a'.repeat(51)}`, { DisplayName: 'Fifty-one' });
    expect(long.body.Fault.Error[0]).toMatchObject({ code: '2050', element: 'requestid' });
    const batch = await h.api('POST', `/batch?requestid=${'b'.repeat(37)}`, { BatchItemRequest: [{ bId: '1', Query: 'select * from Item' }] });
    expect(batch.body.Fault.Error[0]).toMatchObject({ code: '2050', element: 'requestid' });
    const okBatch = await h.api('POST', `/batch?requestid=${'b'.repeat(36)}`, { BatchItemRequest: [{ bId: 'b1', operation: 'create', Customer: { DisplayName: 'From batch' } }] });
    expect(okBatch.body.BatchItemResponse[0].Customer.DisplayName).toBe('From batch');
    const replay = await h.api('POST', `/batch?requestid=${'b'.repeat(36)}`, { BatchItemRequest: [{ bId: 'b1', operation: 'create', Customer: { DisplayName: 'From batch 2' } }] });
    expect(replay.body).toEqual(okBatch.body);
  });

  it('can be switched off', async () => {
    await h.control('PATCH', '/settings', { requestIdReplay: false });
    await h.api('POST', '/customer?requestid=r', { DisplayName: 'A1' });
    await h.api('POST', '/customer?requestid=r', { DisplayName: 'A2' });
    expect(await count()).toBe(2);
  });
});

describe('limits', () => {
  itWithFixtures('answers the 501st request of a minute with the recorded XML 429, and recovers after a minute', async () => {
    await h.control('PUT', '/limits', { enabled: true, requestsPerMinute: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 501; i++) statuses.push((await h.api('GET', '/preferences')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(500);
    expect(statuses[500]).toBe(429);
    const res = await h.api('GET', '/preferences');
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toContain('application/xml');
    const recorded = fixtureText('fault_429_throttle_exceeded.xml');
    const strip = (x: string) => x.replace(/time="[^"]+"/, 'time=""').trim();
    expect(strip(res.text)).toBe(strip(recorded));
    // Another company has its own budget.
    const [, other] = h.sandbox.realms();
    expect((await h.api('GET', '/preferences', undefined, { realmId: other! })).status).toBe(200);
    h.sandbox.clock.advance(61_000);
    expect((await h.api('GET', '/preferences')).status).toBe(200);
  });

  it('can answer 429 in the JSON Fault envelope instead', async () => {
    await h.control('PUT', '/limits', { enabled: true, requestsPerMinute: 1 });
    await h.control('PATCH', '/settings', { throttleFormat: 'json' });
    await h.api('GET', '/preferences');
    const res = await h.api('GET', '/preferences');
    expect(res.status).toBe(429);
    expect(res.body.Fault).toEqual({ Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.  Try again later', code: '3001' }], type: 'SERVICE' });
  });

  it('allows 10 requests in flight per realm and app', async () => {
    await h.control('PUT', '/limits', { enabled: true });
    await h.control('POST', '/faults', { action: 'latency', latencyMs: 300, entity: 'Preferences' });
    const results = await Promise.all(Array.from({ length: 12 }, () => h.api('GET', '/preferences')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    await h.control('DELETE', '/faults');
    expect((await h.api('GET', '/preferences')).status).toBe(200);
  });

  it('allows 40 batch requests a minute per realm and app', async () => {
    await h.control('PUT', '/limits', { enabled: true });
    const body = { BatchItemRequest: [{ bId: '1', Query: 'select * from Item' }] };
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await h.api('POST', '/batch', body)).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses[40]).toBe(429);
    // Plain requests still pass.
    expect((await h.api('GET', '/preferences')).status).toBe(200);
  });

  it('are off with limits:false', async () => {
    await h.control('PUT', '/limits', false);
    expect((await h.control('GET', '/limits')).body.limits).toBe(false);
    const results = await Promise.all(Array.from({ length: 30 }, () => h.api('GET', '/preferences')));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });
});
