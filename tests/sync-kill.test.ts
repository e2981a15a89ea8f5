// kill -9 of the worker process in the middle of a push, then a new worker: the heartbeat releases the
// dead worker's job, the run resumes idempotently and completes, and QBO holds no duplicate.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

describe('kill -9 mid-push', () => {
  let world: SyncWorld;
  beforeAll(async () => {
    world = await startSyncWorld('sync_kill');
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('a restarted worker completes the run with zero duplicates', async () => {
    const ids = Array.from({ length: 150 }, (_, n) => `kill-${n}`);
    for (const id of ids) await world.upsert('customer', id, { displayName: `Kill Customer ${id}` });
    // Every batch call takes a while, so the kill lands between batches of the run.
    await world.control('POST', '/faults', { action: 'latency', operation: 'batch', latencyMs: 400 });
    const first = await world.spawnWorker();
    const syncId = await world.requestSync('customer', 'push');
    const deadline = Date.now() + 30_000;
    while ((await world.requests()).filter((request) => request.operation === 'batch').length < 2) {
      if (Date.now() > deadline) throw new Error(`no batch call reached QBO:\n${first.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await first.kill('SIGKILL');
    const { events: before } = await world.eventStore.readStream(`sync-${syncId}`);
    expect(before.map((event) => event.type)).not.toContain('SyncCompleted');

    await world.spawnWorker();
    const end = await world.waitForRun(syncId, 90_000);
    await world.control('DELETE', '/faults');
    expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { failed: 0 } } });
    // The run's totals cover both workers' work: answers are recorded call by call, and the resumed run
    // counts what the dead one recorded as created. Only the call in flight at the kill can come back as
    // matched (QBO had made them; the answer was lost with the process).
    const counts = end.data.counts as { created: number; matched: number };
    expect(counts.created + counts.matched).toBe(150);
    expect(counts.created).toBeGreaterThanOrEqual(120);
    const names = (await world.qboAll('Customer')).map((customer) => customer.DisplayName);
    expect(names).toHaveLength(150);
    expect(new Set(names).size).toBe(150);
    const linked = await world.sql<{ n: string }>("select count(*) as n from event_streams where stream_name like 'qbolink-acme.customer.%'");
    expect(Number(linked[0]?.n)).toBe(150);
  }, 150_000);
});
