// Sync scenarios end to end against the sandbox: dependencies created first, hostile names, a conflict
// settled by the tenant's policy, and faults (5xx, 429, connections dropped after commit) that leave no
// duplicate in QBO and every record linked or failed with a reason.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld('sync_scenarios');
  await world.startWorker();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const duplicates = (names: unknown[]) => names.length - new Set(names.map((name) => String(name).toLowerCase())).size;

describe('invoices whose customers and items are not in QBO yet', () => {
  it('creates the customer and items first, then the invoice that references them', async () => {
    await world.upsert('customer', 'inv-cust', { displayName: 'Invoice Customer', email: 'buyer@example.com' });
    await world.upsert('item', 'widget', { name: 'Widget', type: 'service', salesPrice: 12.5, sku: 'W-1' });
    await world.upsert('item', 'gadget', { name: 'Gadget', type: 'non_inventory', salesPrice: 4 });
    await world.upsert('invoice', 'inv-1', {
      number: 'INV-1001',
      customerLocalId: 'inv-cust',
      issueDate: '2026-01-15',
      lines: [
        { itemLocalId: 'widget', quantity: 2, unitPrice: 12.5 },
        { itemLocalId: 'gadget', quantity: 3, unitPrice: 4 },
      ],
    });
    const end = await world.waitForRun(await world.requestSync('invoice', 'push'));
    expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { failed: 0 } } });
    const [invoice] = await world.qboAll('Invoice');
    const customers = await world.qboAll('Customer');
    const items = await world.qboAll('Item');
    const customer = customers.find((c) => c.DisplayName === 'Invoice Customer');
    expect(customer).toBeDefined();
    expect(invoice).toMatchObject({ DocNumber: 'INV-1001', CustomerRef: { value: customer?.Id }, TotalAmt: 37 });
    const itemIds = (invoice?.Line as { SalesItemLineDetail?: { ItemRef: { value: string } } }[]).flatMap((line) => (line.SalesItemLineDetail ? [line.SalesItemLineDetail.ItemRef.value] : []));
    expect(itemIds.sort()).toEqual(items.filter((item) => ['Widget', 'Gadget'].includes(String(item.Name))).map((item) => String(item.Id)).sort());
    const { events } = await world.eventStore.readStream('record-acme.customer.inv-cust');
    expect(events.map((event) => event.type)).toContain('RecordPushed');
  }, 60_000);
});

describe('hostile names', () => {
  it('pushes apostrophes, quotes, unicode and 500-character names, and matches them again without duplicates', async () => {
    const names = ["O'Brien & Sons", 'The "Quoted" Company', 'Café Zoë – Ünïcødé ‘curly’ 日本', 'x'.repeat(500)];
    for (const [index, displayName] of names.entries()) await world.upsert('customer', `hostile-${index}`, { displayName });
    const first = await world.waitForRun(await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: names.map((_, i) => `hostile-${i}`) } }));
    expect(first).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { created: 4, failed: 0 } } });
    const stored = (await world.qboAll('Customer')).map((customer) => customer.DisplayName);
    for (const name of names) expect(stored).toContain(name);
    // The same names under new local ids are matched (the hostile lookups work), never created twice.
    for (const [index, displayName] of names.entries()) await world.upsert('customer', `hostile-again-${index}`, { displayName });
    const second = await world.waitForRun(await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: names.map((_, i) => `hostile-again-${i}`) } }));
    expect(second.data.counts).toMatchObject({ created: 0 });
    expect(duplicates((await world.qboAll('Customer')).map((customer) => customer.DisplayName))).toBe(0);
  }, 60_000);

  it('refuses a colon in a name with an error naming the field', async () => {
    await expect(world.upsert('customer', 'colon', { displayName: 'Parent:Child' })).rejects.toThrow(/displayName/);
  });
});

describe('a host edit and a QBO edit of the same record', () => {
  const editInQbo = async (qboId: string, patch: Record<string, unknown>) => {
    const grant = await world.module.refresher.getAccessToken(world.tenantId);
    const current = (await (await fetch(`${world.sandbox.url}/v3/company/${world.realmId}/customer/${qboId}?minorversion=75`, { headers: { authorization: `Bearer ${grant.accessToken}`, accept: 'application/json' } })).json()) as { Customer: { SyncToken: string } };
    const res = await fetch(`${world.sandbox.url}/v3/company/${world.realmId}/customer?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${grant.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ Id: qboId, SyncToken: current.Customer.SyncToken, sparse: true, ...patch }),
    });
    expect(res.status).toBe(200);
  };
  const qboIdOf = async (localId: string) => {
    const { events } = await world.eventStore.readStream(`record-acme.customer.${localId}`);
    return String((events.find((event) => event.type === 'RecordLinked')?.data as { qboId: string }).qboId);
  };

  for (const policy of ['qbo_wins', 'local_wins', 'review'] as const) {
    it(`applies the tenant's policy: ${policy}`, async () => {
      await world.setPolicy('customer', policy);
      const localId = `conflict-${policy}`;
      await world.upsert('customer', localId, { displayName: `Conflict ${policy}`, notes: 'original' });
      await world.waitForRun(await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: [localId] } }));
      const qboId = await qboIdOf(localId);
      await editInQbo(qboId, { Notes: 'edited in QuickBooks' });
      await world.upsert('customer', localId, { displayName: `Conflict ${policy}`, notes: 'edited by the host' });
      const end = await world.waitForRun(await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: [localId] } }));
      expect(end.type).toBe('SyncCompleted');
      const { events } = await world.eventStore.readStream(`record-acme.customer.${localId}`);
      const types = events.map((event) => event.type);
      expect(types).toContain('RecordConflictDetected');
      const [remote] = (await world.qboAll('Customer')).filter((customer) => customer.Id === qboId);
      if (policy === 'qbo_wins') {
        expect(types).toContain('RecordConflictResolved');
        expect(remote?.Notes).toBe('edited in QuickBooks');
        expect((events.at(-1)?.data as { record?: { notes?: string } }).record?.notes).toBe('edited in QuickBooks');
      } else if (policy === 'local_wins') {
        expect(types).toContain('RecordConflictResolved');
        expect(remote?.Notes).toBe('edited by the host');
      } else {
        expect(types).not.toContain('RecordConflictResolved');
        expect(remote?.Notes).toBe('edited in QuickBooks');
        expect(end.data.counts).toMatchObject({ review: 1 });
      }
    }, 60_000);
  }
});

describe('faults', () => {
  it('5xx, 429 bursts and connections dropped after commit leave zero duplicates, every record linked or failed with a reason', async () => {
    await world.setPolicy('customer', 'review');
    const ids = Array.from({ length: 90 }, (_, n) => `fault-${n}`);
    for (const id of ids) await world.upsert('customer', id, { displayName: `Fault Customer ${id}` });
    // Writes: the first batch is dropped after it committed, the second answered 503, then a burst of 429s.
    await world.control('POST', '/faults', { action: 'drop', operation: 'batch', times: 1 });
    await world.control('POST', '/faults', { action: 'error', status: 503, operation: 'batch', skip: 1, times: 1 });
    await world.control('POST', '/faults', { action: 'throttle', operation: 'batch', skip: 2, times: 3 });
    // Reads: about one in ten fails with a 500.
    for (let skip = 0; skip < 60; skip += 10) await world.control('POST', '/faults', { action: 'error', operation: 'query', skip, times: 1 });
    const end = await world.waitForRun(await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: ids } }), 120_000);
    await world.control('DELETE', '/faults');
    expect(end.type).toBe('SyncCompleted');
    const names = (await world.qboAll('Customer')).map((customer) => customer.DisplayName);
    expect(duplicates(names)).toBe(0);
    for (const id of ids) {
      const { events } = await world.eventStore.readStream(`record-acme.customer.${id}`);
      const types = events.map((event) => event.type);
      const failed = events.find((event) => event.type === 'RecordSyncFailed');
      expect(types.includes('RecordLinked') || (failed !== undefined && String((failed.data as { error: { hint: string } }).error.hint).length > 0)).toBe(true);
    }
    const drops = (await world.requests()).filter((request) => request.dropped);
    expect(drops.length).toBeGreaterThan(0);
  }, 150_000);

  it('10 % of all calls answered 5xx at random (seeded): zero duplicates, every record linked or failed with a reason', async () => {
    const ids = Array.from({ length: 240 }, (_, n) => `random-${n}`);
    for (const id of ids) await world.upsert('customer', id, { displayName: `Random Fault ${id}`, email: `${id}@example.net` });
    await world.control('DELETE', '/requests');
    await world.control('POST', '/faults', { action: 'error', status: 503, probability: 0.1, seed: 21 });
    const end = await world.waitForRun(await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: ids } }), 120_000);
    await world.control('DELETE', '/faults');
    const log = await world.requests();
    // The faults really hit writes and reads alike.
    expect(log.filter((request) => request.status >= 500 && request.operation === 'batch').length).toBeGreaterThan(0);
    expect(log.filter((request) => request.status >= 500 && request.operation === 'query').length).toBeGreaterThan(0);
    expect(end.type).toBe('SyncCompleted');
    const names = (await world.qboAll('Customer')).map((customer) => customer.DisplayName).filter((name) => String(name).startsWith('Random Fault'));
    expect(duplicates(names)).toBe(0);
    let failed = 0;
    for (const id of ids) {
      const { events } = await world.eventStore.readStream(`record-acme.customer.${id}`);
      const linked = events.some((event) => event.type === 'RecordLinked');
      const failure = events.find((event) => event.type === 'RecordSyncFailed');
      if (!linked) failed += 1;
      expect(linked || (failure !== undefined && String((failure.data as { error: { hint: string } }).error.hint).length > 0)).toBe(true);
    }
    // A run that failed a record says so.
    expect((end.data.counts as { failed: number }).failed).toBe(failed);
    if (failed > 0) expect(end.data.outcome).toBe('completed_with_failures');
    expect(names.length + failed).toBeGreaterThanOrEqual(ids.length);
  }, 150_000);
});

describe('dry run', () => {
  it('returns the plan with field-level diffs and writes nothing anywhere', async () => {
    await world.upsert('customer', 'dry-1', { displayName: 'Dry Run Customer', email: 'dry@example.com' });
    await world.control('DELETE', '/requests');
    const end = await world.waitForRun(await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: ['dry-1'] }, dryRun: true }));
    expect(end.type).toBe('SyncCompleted');
    const plan = end.data.plan as { items: { localId: string; action: string; differences: { field: string }[] }[] };
    expect(plan.items).toEqual([expect.objectContaining({ localId: 'dry-1', action: 'create' })]);
    expect(plan.items[0]?.differences.map((d) => d.field)).toEqual(expect.arrayContaining(['displayName', 'email']));
    expect((await world.requests()).filter((request) => request.method === 'POST' && request.operation !== 'query')).toEqual([]);
    const { events } = await world.eventStore.readStream('record-acme.customer.dry-1');
    expect(events.map((event) => event.type)).toEqual(['LocalRecordUpserted']);
  }, 60_000);
});
