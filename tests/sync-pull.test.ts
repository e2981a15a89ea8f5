// Pull end to end against the sandbox: an import links or mirrors what QBO holds, a push after it is not
// echoed back by the next (CDC) pull, and 10,000 customers come home page by page.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

// A full collection on demand, without starting vitest with --expose-gc.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const liveHeapMb = () => {
  collect();
  return process.memoryUsage().heapUsed / 1_048_576;
};
// The pull records a page of QBO's answer at a time, so its live heap rises by what one page takes (about
// 11 MB here: the page, its events and the statements that write them) and stays there; the bound is
// generous. That it streams is shown by the order of things: each page is recorded before the next is asked.
const PAGE_BOUND_MB = 30;

const streamCount = (world: SyncWorld, prefix: string) => world.countStreams(prefix);

describe('pull 200 customers, then push 200 local ones', () => {
  let world: SyncWorld;
  beforeAll(async () => {
    world = await startSyncWorld('sync_pull', { seed: { seed: 7, customers: 200, vendors: 0, items: 0, invoices: 0 } });
    await world.startWorker();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('mirrors the 200 QBO customers, pushes 200 new local ones, and the next pull echoes none of them back', async () => {
    const pull = await world.waitForRun(await world.requestSync('customer', 'pull'));
    expect(pull).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { created: 200, failed: 0 } } });
    expect(typeof pull.data.cursor).toBe('string');
    expect(await streamCount(world, 'record-acme.customer.qbo-')).toBe(200);

    for (let n = 1; n <= 200; n += 1) await world.upsert('customer', `local-${n}`, { displayName: `Local Customer ${n}`, email: `local${n}@example.org` });
    const push = await world.waitForRun(await world.requestSync('customer', 'push'));
    expect(push).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { created: 200, failed: 0 } } });
    expect(await world.qboAll('Customer')).toHaveLength(400);

    // The incremental pull sees our 200 creates through CDC and recognises them by their SyncToken.
    const again = await world.waitForRun(await world.requestSync('customer', 'pull'));
    expect(again).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { created: 0, updated: 0, failed: 0 } } });
    const { events } = await world.eventStore.readStream('record-acme.customer.local-7');
    expect(events.map((event) => event.type)).toEqual(['LocalRecordUpserted', 'RecordLinked', 'RecordPushed']);
  }, 120_000);
});

describe('pull 10,000 customers', () => {
  let world: SyncWorld;
  beforeAll(async () => {
    world = await startSyncWorld('sync_pull_10k', { seed: { seed: 3, customers: 10_000, vendors: 0, items: 0, invoices: 0 } });
    await world.startWorker();
  }, 240_000);
  afterAll(async () => {
    await world?.close();
  });

  it('imports them page by page (1000 a query), never the whole set in memory', async () => {
    await world.control('DELETE', '/requests');
    // The live heap of this process (worker, projector and sandbox all run here), measured after a full
    // collection, before and all through the pull: what the pull keeps alive, not what the GC has yet to free.
    const baseline = liveHeapMb();
    const samples: number[] = [];
    let running = true;
    const sampler = (async () => {
      while (running) {
        samples.push(liveHeapMb() - baseline);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const end = await world.waitForRun(await world.requestSync('customer', 'pull'), 400_000).finally(() => (running = false));
    await sampler;
    expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { created: 10_000, failed: 0 } } });
    const queries = (await world.requests()).filter((request) => request.operation === 'query');
    // 10 pages of 1000 and the empty 11th (plus the one asking QBO's time): no query asked for more than a page.
    expect(queries.length).toBeGreaterThanOrEqual(10);
    expect(await streamCount(world, 'record-acme.customer.qbo-')).toBe(10_000);
    const peak = Math.max(...samples);
    console.log(`10k pull: live heap at most +${peak.toFixed(1)} MB over ${samples.length} samples`);
    expect(peak, 'growth of the live heap while a page is handled (MB)').toBeLessThan(PAGE_BOUND_MB);
    // Streaming, not load-all: before QBO is asked for page k+1, the records of page k are in the log.
    const pages = queries.filter((request) => request.path.endsWith('/query')).map((request) => Date.parse(request.at));
    const { events } = await world.eventStore.readStream(`sync-${String((end.data as { syncId: string }).syncId)}`);
    const recorded = events.filter((event) => event.type === 'SyncPageRecorded').map((event) => event.recordedAt.getTime());
    expect(recorded.length).toBeGreaterThanOrEqual(10);
    for (let k = 2; k < Math.min(pages.length, 11); k += 1) {
      const before = recorded.filter((time) => time <= (pages[k] as number)).length;
      expect(before, `pages recorded before QBO was asked for query ${k + 1}`).toBeGreaterThanOrEqual(k - 1);
    }
  }, 420_000);
});
