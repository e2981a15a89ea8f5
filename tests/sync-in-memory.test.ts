// The sync scenarios in one process, on the in-memory event store and record directory: the engine needs
// nothing but its ports. Push, pull with no echo, dependencies first, conflicts under each policy, and faults
// that leave no duplicate (QBO is the sandbox over HTTP; no Postgres is used anywhere).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemoryWorld, startMemoryWorld } from './support/memory-world.js';

let world: MemoryWorld;
beforeAll(async () => {
  world = await startMemoryWorld({ seed: { seed: 3, customers: 25, vendors: 0, items: 0, invoices: 0 } });
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const duplicates = (names: unknown[]) => names.length - new Set(names.map((name) => String(name).toLowerCase())).size;
const linkOf = async (type: string, localId: string) => {
  const { events } = await world.eventStore.readStream(`record-acme.${type}.${localId}`);
  return (events.find((event) => event.type === 'RecordLinked')?.data as { qboId: string } | undefined)?.qboId ?? null;
};

describe('the engine on the in-memory store', () => {
  it('pulls what QBO holds, pushes new local records, and the next pull echoes none of them back', async () => {
    const imported = await world.sync('customer', 'pull');
    expect(imported).toMatchObject({ type: 'SyncCompleted', data: { counts: { planned: 25, created: 25, failed: 0 } } });
    for (let n = 0; n < 40; n += 1) await world.upsert('customer', `local-${n}`, { displayName: `Memory Customer ${n}`, email: `m${n}@example.com` });
    const pushed = await world.sync('customer', 'push');
    expect(pushed).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { planned: 40, created: 40 } } });
    const again = await world.sync('customer', 'pull');
    // Our own 40 writes come back through CDC as changes we made: skipped, none applied.
    expect(again.data.counts).toMatchObject({ created: 0, pulled: 0, failed: 0 });
    expect(duplicates((await world.qboAll('Customer')).map((customer) => customer.DisplayName))).toBe(0);
  }, 60_000);

  it('creates the customer and items first, then the invoice that references them', async () => {
    await world.upsert('customer', 'buyer', { displayName: 'Memory Buyer' });
    await world.upsert('item', 'widget', { name: 'Memory Widget', type: 'service', salesPrice: 10 });
    await world.upsert('invoice', 'inv-1', { number: 'MEM-1', customerLocalId: 'buyer', issueDate: '2026-02-01', lines: [{ itemLocalId: 'widget', quantity: 2, unitPrice: 10 }] });
    const end = await world.sync('invoice', 'push');
    expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { planned: 3, created: 3 } } });
    const invoice = (await world.qbo('GET', `/invoice/${await linkOf('invoice', 'inv-1')}`)).Invoice as Record<string, unknown>;
    expect(invoice).toMatchObject({ DocNumber: 'MEM-1', CustomerRef: { value: await linkOf('customer', 'buyer') }, TotalAmt: 20 });
  }, 60_000);

  for (const policy of ['qbo_wins', 'local_wins', 'review'] as const) {
    it(`settles a record changed on both sides by the policy: ${policy}`, async () => {
      await world.setPolicy('customer', policy);
      const localId = `both-${policy}`;
      await world.upsert('customer', localId, { displayName: `Both ${policy}`, notes: 'original' });
      await world.sync('customer', 'push', { scope: { kind: 'ids', localIds: [localId] } });
      const qboId = await linkOf('customer', localId);
      const current = (await world.qbo('GET', `/customer/${qboId}`)).Customer as { SyncToken: string };
      await world.qbo('POST', '/customer', { Id: qboId, SyncToken: current.SyncToken, sparse: true, Notes: 'edited in QuickBooks' });
      await world.upsert('customer', localId, { displayName: `Both ${policy}`, notes: 'edited by the host' });
      const end = await world.sync('customer', 'push', { scope: { kind: 'ids', localIds: [localId] } });
      const remote = (await world.qbo('GET', `/customer/${qboId}`)).Customer as { Notes?: string };
      const { events } = await world.eventStore.readStream(`record-acme.customer.${localId}`);
      expect(events.map((event) => event.type)).toContain('RecordConflictDetected');
      if (policy === 'local_wins') expect(remote.Notes).toBe('edited by the host');
      else expect(remote.Notes).toBe('edited in QuickBooks');
      if (policy === 'review') expect(end.data.counts).toMatchObject({ planned: 1, review: 1 });
    }, 60_000);
  }

  it('leaves no duplicate and every record linked or failed with a reason when 10 % of calls fail', async () => {
    const ids = Array.from({ length: 90 }, (_, n) => `flaky-${n}`);
    for (const id of ids) await world.upsert('customer', id, { displayName: `Flaky ${id}` });
    await world.control('POST', '/faults', { action: 'error', status: 503, probability: 0.1, seed: 5 });
    await world.control('POST', '/faults', { action: 'drop', operation: 'batch', times: 1 });
    const end = await world.sync('customer', 'push', { scope: { kind: 'ids', localIds: ids } });
    await world.control('DELETE', '/faults');
    expect(end.type).toBe('SyncCompleted');
    expect(duplicates((await world.qboAll('Customer')).map((customer) => customer.DisplayName))).toBe(0);
    let failed = 0;
    for (const id of ids) {
      const { events } = await world.eventStore.readStream(`record-acme.customer.${id}`);
      const linked = events.some((event) => event.type === 'RecordLinked');
      if (!linked) failed += 1;
      expect(linked || events.some((event) => event.type === 'RecordSyncFailed')).toBe(true);
    }
    const counts = end.data.counts as Record<string, number>;
    expect(counts.failed).toBe(failed);
    expect(counts.planned).toBe(ids.length);
  }, 90_000);
});
