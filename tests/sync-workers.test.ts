// Several workers at once (DESIGN invariant 1): a customer run, an item run and an invoice run requested
// together, on three worker processes, push the same customers and items (the invoice run pushes them as
// its dependencies). QBO ends with each record once, and each local record holds exactly one link.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

describe('three workers, runs over the same records requested together', () => {
  let world: SyncWorld;
  beforeAll(async () => {
    world = await startSyncWorld('sync_workers');
    await Promise.all([world.spawnWorker(), world.spawnWorker()]);
    await world.startWorker();
  }, 90_000);
  afterAll(async () => {
    await world?.close();
  });

  it('creates every customer, item and invoice once, and links each local record to one QBO record', async () => {
    const n = 40;
    for (let i = 1; i <= n; i += 1) await world.upsert('customer', `shared-${i}`, { displayName: `Shared Customer ${i}`, email: `shared${i}@example.com` });
    for (const sku of ['A', 'B', 'C']) await world.upsert('item', `item-${sku}`, { name: `Shared Item ${sku}`, type: 'service', salesPrice: 10 });
    for (let i = 1; i <= n; i += 1) {
      await world.upsert('invoice', `inv-${i}`, {
        number: `W-${i}`,
        customerLocalId: `shared-${i}`,
        issueDate: '2026-02-01',
        lines: [{ itemLocalId: `item-${'ABC'[i % 3]}`, quantity: 1, unitPrice: 10 }],
      });
    }
    // Slow writes, so the runs overlap while they create.
    await world.control('POST', '/faults', { action: 'latency', operation: 'batch', latencyMs: 300 });
    const runs = await Promise.all([world.requestSync('invoice', 'push'), world.requestSync('customer', 'push'), world.requestSync('item', 'push')]);
    const ends = await Promise.all(runs.map((syncId) => world.waitForRun(syncId, 120_000)));
    await world.control('DELETE', '/faults');
    for (const end of ends) expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { failed: 0 } } });

    const customers = await world.qboAll('Customer');
    expect(customers).toHaveLength(n);
    expect(new Set(customers.map((c) => c.DisplayName)).size).toBe(n);
    expect(await world.qboAll('Item')).toHaveLength(3);
    const invoices = await world.qboAll('Invoice');
    expect(invoices).toHaveLength(n);
    expect(new Set(invoices.map((invoice) => invoice.DocNumber)).size).toBe(n);

    // One link per record, one record per link (from the streams, the authority), and the invoices point
    // at those very customers.
    expect(await world.countStreams('qbolink-acme.customer.')).toBe(n);
    expect(await world.countStreams('qbolink-acme.item.')).toBe(3);
    expect(await world.countStreams('qbolink-acme.invoice.')).toBe(n);
    const linkedTo = new Set<string>();
    for (let i = 1; i <= n; i += 1) {
      const { events } = await world.eventStore.readStream(`record-acme.customer.shared-${i}`);
      const linked = events.filter((event) => event.type === 'RecordLinked');
      expect(linked).toHaveLength(1);
      linkedTo.add((linked[0]?.data as { qboId: string }).qboId);
    }
    expect(linkedTo.size).toBe(n);
    const customerIdOf = new Map(customers.map((c) => [String(c.DisplayName), String(c.Id)]));
    for (const invoice of invoices) {
      const i = String(invoice.DocNumber).slice(2);
      expect((invoice.CustomerRef as { value: string }).value).toBe(customerIdOf.get(`Shared Customer ${i}`));
    }
  }, 180_000);
});
