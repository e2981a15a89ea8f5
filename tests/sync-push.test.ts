// Push end to end over real HTTP against the sandbox: api-side command handlers append records and the
// run request; the dispatcher in the worker enqueues it; the worker pushes through QBO's batch endpoint.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

describe('push customers', () => {
  let world: SyncWorld;
  beforeAll(async () => {
    world = await startSyncWorld('sync_push');
    await world.startWorker();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('pushes 300 new customers in at most 12 QBO write calls (batches of 30), each with a requestid', async () => {
    for (let n = 1; n <= 300; n += 1) {
      await world.upsert('customer', `c-${n}`, { displayName: `Customer ${n}`, email: `c${n}@example.com` });
    }
    await world.control('DELETE', '/requests');
    // Slow writes make the run outlast WORKER_STALE_AFTER_MS (2 s here) several times over: a live worker's
    // job must stay its own. (It did not: the heartbeat beat graphile's worker ids while jobs are locked by
    // the pool's, so each beat released the running job and it ran again in parallel, and the copy that
    // finished first wrote its partial counts: "124 of 300 created".)
    await world.control('POST', '/faults', { action: 'latency', operation: 'batch', latencyMs: 400 });
    const syncId = await world.requestSync('customer', 'push');
    let attempts = 0;
    let running = true;
    const watch = (async () => {
      while (running) {
        const jobs = await world.sql<{ attempts: number }>('select attempts from graphile_worker._private_jobs');
        for (const job of jobs) attempts = Math.max(attempts, job.attempts);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const end = await world.waitForRun(syncId, 120_000).finally(() => (running = false));
    await watch;
    await world.control('DELETE', '/faults');
    expect(attempts).toBe(1);
    expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { created: 300, failed: 0 } } });
    const writes = (await world.requests()).filter((request) => request.method === 'POST' && request.operation !== 'query');
    expect(writes.length).toBeLessThanOrEqual(12);
    expect(writes.every((request) => request.path.endsWith('/batch') && typeof request.requestId === 'string')).toBe(true);
    const customers = await world.qboAll('Customer');
    expect(customers).toHaveLength(300);
  }, 180_000);
});
