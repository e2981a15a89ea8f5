// No edit silently lost, no deletion missed, every decision visible: each case a black-box test found on the
// old engine, end to end against the sandbox. A host's edit of a paid invoice reaches QBO under every policy;
// invoices deleted in QBO before the first pull are marked deleted; a paid invoice the host deleted fails at
// once with what to do; two local customers whose names differ only in case never both show synced; and a
// run's every step stays visible, with its totals adding up to what it planned.

import { listSyncRunRecords } from '@qbo-sync/adapters/read-models';
import { type RecordState, type RecordType, SYNC_OUTCOMES, recordDecider } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld('sync_correctness');
  await world.startWorker();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const stateOf = async (type: RecordType, localId: string): Promise<RecordState> =>
  (await world.eventStore.aggregateStream(`record-acme.${type}.${localId}`, recordDecider as never)).state as RecordState;
const eventsOf = async (type: RecordType, localId: string) => (await world.eventStore.readStream(`record-acme.${type}.${localId}`)).events.map((event) => event.type);
const qboOf = async (entity: string, id: string) => (await world.qbo('GET', `/${entity.toLowerCase()}/${id}`))[entity] as Record<string, unknown>;

/** Runs a sync and checks what every run must hold: the buckets add up to what it planned. */
const run = async (type: RecordType, direction: 'push' | 'pull', scope?: { kind: 'all' } | { kind: 'ids'; localIds: string[] }) => {
  const syncId = await world.requestSync(type, direction, scope === undefined ? {} : { scope });
  const end = await world.waitForRun(syncId);
  expect(end.type).toBe('SyncCompleted');
  const counts = end.data.counts as Record<string, number>;
  expect(SYNC_OUTCOMES.reduce((sum, bucket) => sum + (counts[bucket] ?? 0), 0), `the buckets of ${JSON.stringify(counts)} add up to planned`).toBe(counts.planned);
  return { syncId, counts, outcome: end.data.outcome as string };
};

/** The run's records as the api lists them, once the projector has caught up with the run. */
const runRecords = async (syncId: string) => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await world.sql<{ status: string }>('select status from sync_runs where sync_id = $1', [syncId]);
    if (row !== undefined && row.status !== 'requested' && row.status !== 'running') return (await listSyncRunRecords(world.db, 'acme', syncId, {}, { limit: 1000 })).items;
    if (Date.now() > deadline) throw new Error(`sync ${syncId} not projected`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe("a host's edit of a paid invoice", () => {
  const setUp = async (suffix: string) => {
    await world.upsert('customer', `payer-${suffix}`, { displayName: `Payer ${suffix}` });
    await world.upsert('item', `work-${suffix}`, { name: `Work ${suffix}`, type: 'service', salesPrice: 100 });
    await world.upsert('invoice', `inv-${suffix}`, { number: `P-${suffix}`.slice(0, 21), customerLocalId: `payer-${suffix}`, issueDate: '2026-04-01', lines: [{ itemLocalId: `work-${suffix}`, quantity: 1, unitPrice: 100 }] });
    await run('invoice', 'push', { kind: 'ids', localIds: [`inv-${suffix}`] });
    const invoice = await stateOf('invoice', `inv-${suffix}`);
    const customer = await stateOf('customer', `payer-${suffix}`);
    // Paid in QBO (partly): QBO moves the invoice's balance and SyncToken.
    await world.qbo('POST', '/payment', { CustomerRef: { value: customer.link?.qboId }, TotalAmt: 60, Line: [{ Amount: 60, LinkedTxn: [{ TxnId: invoice.link?.qboId, TxnType: 'Invoice' }] }] });
    await world.upsert('invoice', `inv-${suffix}`, {
      number: `P-${suffix}`.slice(0, 21),
      customerLocalId: `payer-${suffix}`,
      issueDate: '2026-04-01',
      lines: [{ itemLocalId: `work-${suffix}`, quantity: 1, unitPrice: 100 }],
      memo: `thank you ${suffix}`,
    });
    return String(invoice.link?.qboId);
  };

  for (const policy of ['qbo_wins', 'local_wins', 'review'] as const) {
    it(`reaches QBO under ${policy}, whether a pull saw the payment first or the push meets QBO's new version`, async () => {
      await world.setPolicy('invoice', policy);
      // A pull between: the payment comes home as QBO's new version and balance, no conflict, the edit kept.
      const pulledFirst = await setUp(`${policy}-pulled`);
      const pull = await run('invoice', 'pull');
      expect(pull.counts.review).toBe(0);
      const waiting = await stateOf('invoice', `inv-${policy}-pulled`);
      expect(waiting.conflict).toBeNull();
      expect(waiting.record).toMatchObject({ memo: `thank you ${policy}-pulled`, paymentStatus: 'partial', balance: 40 });
      await run('invoice', 'push', { kind: 'ids', localIds: [`inv-${policy}-pulled`] });
      expect(await qboOf('Invoice', pulledFirst)).toMatchObject({ CustomerMemo: { value: `thank you ${policy}-pulled` }, Balance: 40 });

      // No pull between: the push meets QBO's newer SyncToken (5010), reads it, and writes the edit over it.
      const pushedOnly = await setUp(`${policy}-stale`);
      const push = await run('invoice', 'push', { kind: 'ids', localIds: [`inv-${policy}-stale`] });
      expect(push.counts).toMatchObject({ planned: 1, updated: 1, review: 0 });
      expect(await qboOf('Invoice', pushedOnly)).toMatchObject({ CustomerMemo: { value: `thank you ${policy}-stale` }, Balance: 40 });
      for (const localId of [`inv-${policy}-pulled`, `inv-${policy}-stale`]) expect(await eventsOf('invoice', localId)).not.toContain('RecordConflictDetected');
    }, 120_000);
  }
});

describe('a deletion in QBO before the first pull', () => {
  it('is found by the import, which looks up every linked record QBO did not return', async () => {
    await world.upsert('customer', 'del-buyer', { displayName: 'Deletion Buyer' });
    const ids = ['del-1', 'del-2', 'del-3', 'del-4'];
    for (const id of ids) await world.upsert('invoice', id, { number: `DEL-${id}`, customerLocalId: 'del-buyer', issueDate: '2026-04-02', lines: [{ description: 'Consulting', quantity: 1, unitPrice: 10 }] });
    await run('invoice', 'push', { kind: 'ids', localIds: ids });
    for (const id of ids.slice(0, 3)) {
      const qboId = String((await stateOf('invoice', id)).link?.qboId);
      const current = await qboOf('Invoice', qboId);
      await world.qbo('POST', '/invoice?operation=delete', { Id: qboId, SyncToken: current.SyncToken });
    }
    const pull = await run('invoice', 'pull', { kind: 'all' });
    expect(pull.counts.remote_deleted).toBe(3);
    for (const id of ids.slice(0, 3)) {
      expect((await stateOf('invoice', id)).remoteStatus).toBe('deleted');
      expect(await eventsOf('invoice', id)).toContain('RemoteRecordDeleted');
    }
    expect((await stateOf('invoice', 'del-4')).remoteStatus).toBe('active');
  }, 120_000);
});

describe('a paid invoice the host deleted', () => {
  it('fails at the pull that sees it paid, naming what to do, and is never sent to be voided', async () => {
    await world.upsert('customer', 'paid-del-buyer', { displayName: 'Paid Deleted Buyer' });
    await world.upsert('invoice', 'paid-del', { number: 'PD-1', customerLocalId: 'paid-del-buyer', issueDate: '2026-04-03', lines: [{ description: 'Work', quantity: 1, unitPrice: 50 }] });
    await run('invoice', 'push', { kind: 'ids', localIds: ['paid-del'] });
    const invoice = await stateOf('invoice', 'paid-del');
    const buyer = await stateOf('customer', 'paid-del-buyer');
    await world.qbo('POST', '/payment', { CustomerRef: { value: buyer.link?.qboId }, TotalAmt: 50, Line: [{ Amount: 50, LinkedTxn: [{ TxnId: invoice.link?.qboId, TxnType: 'Invoice' }] }] });
    await world.remove('invoice', 'paid-del');
    const pull = await run('invoice', 'pull');
    expect(pull.outcome).toBe('completed_with_failures');
    const failed = await stateOf('invoice', 'paid-del');
    expect(failed.parked).toBe(true);
    expect(failed.lastError).toMatchObject({ kind: 'business_rule' });
    expect(failed.lastError?.hint).toMatch(/payment/);
    await world.control('DELETE', '/requests');
    const push = await run('invoice', 'push', { kind: 'ids', localIds: ['paid-del'] });
    expect(push.counts.voided).toBe(0);
    expect((await world.requests()).filter((request) => request.operation === 'batch')).toHaveLength(0);
    expect(await qboOf('Invoice', String(invoice.link?.qboId))).toMatchObject({ Balance: 0, TotalAmt: 50 });
  }, 120_000);
});

describe('two local customers whose names differ only in case', () => {
  it('create one QBO customer; the other waits in review naming it and the record that holds it', async () => {
    for (let n = 0; n < 5; n += 1) {
      await world.upsert('customer', `twin-${n}-a`, { displayName: `Case Twin ${n}` });
      await world.upsert('customer', `twin-${n}-b`, { displayName: `case twin ${n}` });
    }
    const ids = Array.from({ length: 5 }, (_, n) => [`twin-${n}-a`, `twin-${n}-b`]).flat();
    const push = await run('customer', 'push', { kind: 'ids', localIds: ids });
    expect(push.counts).toMatchObject({ planned: 10, created: 5, review: 5, failed: 0 });
    const customers = await world.qboAll('Customer');
    for (let n = 0; n < 5; n += 1) {
      const inQbo = customers.filter((customer) => String(customer.DisplayName).toLowerCase() === `case twin ${n}`);
      expect(inQbo).toHaveLength(1);
      const pair = await Promise.all([`twin-${n}-a`, `twin-${n}-b`].map(async (localId) => ({ localId, state: await stateOf('customer', localId) })));
      const linked = pair.filter(({ state }) => state.link !== null);
      expect(linked).toHaveLength(1);
      // The linked one holds QBO's spelling; the other is a question for a person, naming the QBO record.
      expect(linked[0]?.state.record?.displayName).toBe(inQbo[0]?.DisplayName);
      const waiting = pair.find(({ state }) => state.link === null);
      expect(waiting?.state.review?.candidates).toEqual([expect.objectContaining({ qboId: String(inQbo[0]?.Id) })]);
    }
  }, 120_000);
});

describe('every decision visible', () => {
  for (const policy of ['qbo_wins', 'local_wins'] as const) {
    it(`shows a conflict settled by ${policy} as one in the run's records, step by step`, async () => {
      await world.setPolicy('customer', policy);
      const localId = `visible-${policy}`;
      await world.upsert('customer', localId, { displayName: `Visible ${policy}`, notes: 'first' });
      await run('customer', 'push', { kind: 'ids', localIds: [localId] });
      const qboId = String((await stateOf('customer', localId)).link?.qboId);
      const current = await qboOf('Customer', qboId);
      await world.qbo('POST', '/customer', { Id: qboId, SyncToken: current.SyncToken, sparse: true, Notes: 'changed in QuickBooks' });
      await world.upsert('customer', localId, { displayName: `Visible ${policy}`, notes: 'changed by the host' });
      const push = await run('customer', 'push', { kind: 'ids', localIds: [localId] });
      const [record] = await runRecords(push.syncId);
      const steps = record?.steps.map((step) => step.event) ?? [];
      expect(steps).toEqual(expect.arrayContaining(['RecordConflictDetected', 'RecordConflictResolved']));
      expect(steps.indexOf('RecordConflictDetected')).toBeLessThan(steps.indexOf('RecordConflictResolved'));
      if (policy === 'local_wins') expect(steps.at(-1)).toBe('RecordPushed');
      else expect(steps.at(-1)).toBe('RemoteRecordChanged');
    }, 60_000);
  }
});

describe('a run waiting on QuickBooks limits', () => {
  it('says so on its stream while it waits, and no longer once it moves on', async () => {
    for (let n = 0; n < 3; n += 1) await world.upsert('customer', `throttled-${n}`, { displayName: `Throttled ${n}` });
    await world.control('POST', '/faults', { action: 'throttle', operation: 'batch', times: 2 });
    const push = await run('customer', 'push', { kind: 'ids', localIds: ['throttled-0', 'throttled-1', 'throttled-2'] });
    await world.control('DELETE', '/faults');
    expect(push.counts).toMatchObject({ planned: 3, created: 3 });
    const { events } = await world.eventStore.readStream(`sync-${push.syncId}`);
    const waits = events.filter((event) => event.type === 'SyncThrottled');
    expect(waits.length).toBeGreaterThan(0);
    const wait = waits[0]?.data as { until: string; at: string };
    expect(Date.parse(wait.until)).toBeGreaterThan(Date.parse(wait.at));
    await runRecords(push.syncId);
    const [row] = await world.sql<{ waiting_until: Date | null }>('select waiting_until from sync_runs where sync_id = $1', [push.syncId]);
    expect(row?.waiting_until).toBeNull();
  }, 60_000);
});
