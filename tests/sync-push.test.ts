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
    const syncId = await world.requestSync('customer', 'push');
    const end = await world.waitForRun(syncId, 120_000);
    expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { created: 300, failed: 0 } } });
    const writes = (await world.requests()).filter((request) => request.method === 'POST' && request.operation !== 'query');
    expect(writes.length).toBeLessThanOrEqual(12);
    expect(writes.every((request) => request.path.endsWith('/batch') && typeof request.requestId === 'string')).toBe(true);
    const customers = await world.qboAll('Customer');
    expect(customers).toHaveLength(300);
  }, 180_000);
});
