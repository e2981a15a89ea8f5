// The rest of a record's life end to end against the sandbox: payments pushed (and the invoices' payment
// status that comes home after), invoices and payments pulled (a pulled payment changes its invoices'
// status), a host DELETE pushed as a deactivation (customer, item) or a void (invoice, payment), and
// void, delete and inactive pulled as distinct states.

import { type RecordState, type RecordType, recordDecider } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld('sync_lifecycle');
  await world.startWorker();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const stateOf = async (type: RecordType, localId: string): Promise<RecordState> =>
  (await world.eventStore.aggregateStream(`record-acme.${type}.${localId}`, recordDecider as never)).state as RecordState;
const run = async (type: RecordType, direction: 'push' | 'pull') => {
  const end = await world.waitForRun(await world.requestSync(type, direction));
  if ((end.data.counts as { failed: number }).failed > 0) {
    const rows = await world.sql('select local_id, record_type, last_error from records where sync_status = $1', ['failed']);
    console.log('FAILED', JSON.stringify(rows));
  }
  expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { failed: 0 } } });
  return end.data.counts as Record<string, number>;
};
const qboOf = async (entity: string, id: string) => (await world.qbo('GET', `/${entity.toLowerCase()}/${id}`))[entity] as Record<string, unknown>;

describe('push: payments, then host deletes', () => {
  it('pushes a payment with its invoices first; the invoice comes home partly paid; deletes deactivate and void', async () => {
    await world.upsert('customer', 'buyer', { displayName: 'Lifecycle Buyer', email: 'buyer@lifecycle.test' });
    await world.upsert('item', 'service', { name: 'Lifecycle Service', type: 'service', salesPrice: 100 });
    await world.upsert('invoice', 'inv-a', { number: 'LC-1', customerLocalId: 'buyer', issueDate: '2026-03-01', lines: [{ itemLocalId: 'service', quantity: 1, unitPrice: 100 }] });
    await world.upsert('invoice', 'inv-b', { number: 'LC-2', customerLocalId: 'buyer', issueDate: '2026-03-02', lines: [{ itemLocalId: 'service', quantity: 1, unitPrice: 50 }] });
    await world.upsert('payment', 'pay-1', { customerLocalId: 'buyer', amount: 60, date: '2026-03-10', reference: 'CHK-1', invoices: [{ invoiceLocalId: 'inv-a', amount: 60 }] });

    // The payment run creates the customer, item and invoice it needs, then the payment (counts include them).
    expect(await run('payment', 'push')).toMatchObject({ created: 4 });
    const payment = await stateOf('payment', 'pay-1');
    const invoiceA = await stateOf('invoice', 'inv-a');
    expect(payment.link).not.toBeNull();
    expect(invoiceA.link).not.toBeNull();
    const qboPayment = await qboOf('Payment', String(payment.link?.qboId));
    expect(qboPayment).toMatchObject({ TotalAmt: 60, PaymentRefNum: 'CHK-1' });
    expect(JSON.stringify(qboPayment.Line)).toContain(`"TxnId":"${invoiceA.link?.qboId}"`);
    expect(await qboOf('Invoice', String(invoiceA.link?.qboId))).toMatchObject({ TotalAmt: 100, Balance: 40 });

    // The invoice's payment status comes home with the next invoice pull.
    expect(await run('invoice', 'push')).toMatchObject({ created: 1 });
    await run('invoice', 'pull');
    expect((await stateOf('invoice', 'inv-a')).record).toMatchObject({ paymentStatus: 'partial' });
    // inv-b is unchanged since our push: its pull is our own echo and records nothing.
    expect((await stateOf('invoice', 'inv-b')).record).not.toHaveProperty('paymentStatus');

    // Host deletes: a customer and an item are deactivated, an invoice and a payment voided.
    await world.upsert('customer', 'gone', { displayName: 'Lifecycle Gone' });
    await world.upsert('item', 'gone-item', { name: 'Lifecycle Gone Item', type: 'service', salesPrice: 1 });
    await run('customer', 'push');
    await run('item', 'push');
    await world.remove('customer', 'gone');
    await world.remove('item', 'gone-item');
    await world.remove('invoice', 'inv-b');
    await world.remove('payment', 'pay-1');
    // Each delete counts in its own bucket: deactivated for name lists, voided for transactions.
    expect(await run('customer', 'push')).toMatchObject({ planned: 1, deactivated: 1, updated: 0 });
    expect(await run('item', 'push')).toMatchObject({ planned: 1, deactivated: 1, updated: 0 });
    expect(await run('invoice', 'push')).toMatchObject({ planned: 1, voided: 1, updated: 0 });
    expect(await run('payment', 'push')).toMatchObject({ planned: 1, voided: 1, updated: 0 });
    expect(await qboOf('Customer', String((await stateOf('customer', 'gone')).link?.qboId))).toMatchObject({ Active: false });
    expect(await qboOf('Item', String((await stateOf('item', 'gone-item')).link?.qboId))).toMatchObject({ Active: false });
    expect(await qboOf('Invoice', String((await stateOf('invoice', 'inv-b')).link?.qboId))).toMatchObject({ TotalAmt: 0, Balance: 0 });
    expect(await qboOf('Payment', String(payment.link?.qboId))).toMatchObject({ TotalAmt: 0 });
    // Voiding the payment gives the invoice its balance back.
    expect(await qboOf('Invoice', String(invoiceA.link?.qboId))).toMatchObject({ Balance: 100 });
    expect((await stateOf('customer', 'gone')).remoteStatus).toBe('inactive');
    expect((await stateOf('item', 'gone-item')).remoteStatus).toBe('inactive');
    expect((await stateOf('invoice', 'inv-b')).remoteStatus).toBe('voided');
    expect((await stateOf('payment', 'pay-1')).remoteStatus).toBe('voided');
    // Nothing is left to do: a second push plans nothing.
    expect(await run('payment', 'push')).toMatchObject({ planned: 0, updated: 0, created: 0 });
  }, 120_000);
});

describe('pull: invoices and payments, and distinct remote states', () => {
  it('mirrors invoices and payments, a pulled payment updates its invoice, void, delete and inactive stay distinct', async () => {
    const customer = (await world.qbo('POST', '/customer', { DisplayName: 'Remote Buyer' })).Customer as { Id: string; SyncToken: string };
    const retired = (await world.qbo('POST', '/customer', { DisplayName: 'Remote Retired' })).Customer as { Id: string; SyncToken: string };
    const item = (await world.qbo('POST', '/item', { Name: 'Remote Service', Type: 'Service', UnitPrice: 20, IncomeAccountRef: { value: '1' } }).catch(async () => world.qbo('POST', '/item', { Name: 'Remote Service', Type: 'Service', UnitPrice: 20 }))).Item as { Id: string };
    const invoice = (body: string) => ({ DocNumber: body, CustomerRef: { value: customer.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 20, SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 1, UnitPrice: 20 } }] });
    const paid = (await world.qbo('POST', '/invoice', invoice('R-1'))).Invoice as { Id: string; SyncToken: string };
    const voided = (await world.qbo('POST', '/invoice', invoice('R-2'))).Invoice as { Id: string; SyncToken: string };
    const deleted = (await world.qbo('POST', '/invoice', invoice('R-3'))).Invoice as { Id: string; SyncToken: string };

    // Import: every invoice mirrored, unpaid.
    await run('customer', 'pull');
    await run('invoice', 'pull');
    expect((await stateOf('invoice', `qbo-${paid.Id}`)).record).toMatchObject({ number: 'R-1', paymentStatus: 'unpaid' });

    // Changes in QBO: a payment of the whole of voided, R-3 deleted, a customer made inactive.
    const payment = (await world.qbo('POST', '/payment', { CustomerRef: { value: customer.Id }, TotalAmt: 20, Line: [{ Amount: 20, LinkedTxn: [{ TxnId: paid.Id, TxnType: 'Invoice' }] }] })).Payment as { Id: string };
    await world.qbo('POST', '/invoice?operation=void', { Id: voided.Id, SyncToken: voided.SyncToken });
    await world.qbo('POST', '/invoice?operation=delete', { Id: deleted.Id, SyncToken: deleted.SyncToken });
    await world.qbo('POST', '/customer', { Id: retired.Id, SyncToken: retired.SyncToken, sparse: true, Active: false });

    // Pulling payments mirrors the payment and brings R-1's new status home.
    await run('payment', 'pull');
    expect((await stateOf('payment', `qbo-${payment.Id}`)).record).toMatchObject({ amount: 20, invoices: [{ invoiceLocalId: `qbo-${paid.Id}`, amount: 20 }] });
    expect((await stateOf('invoice', `qbo-${paid.Id}`)).record).toMatchObject({ paymentStatus: 'paid' });

    // The incremental invoice and customer pulls (CDC) record void, delete and inactive as three states.
    await run('invoice', 'pull');
    await run('customer', 'pull');
    expect((await stateOf('invoice', `qbo-${voided.Id}`)).remoteStatus).toBe('voided');
    expect((await stateOf('invoice', `qbo-${deleted.Id}`)).remoteStatus).toBe('deleted');
    expect((await stateOf('customer', `qbo-${retired.Id}`)).remoteStatus).toBe('inactive');
    expect((await stateOf('customer', `qbo-${customer.Id}`)).remoteStatus).toBe('active');
    const { events } = await world.eventStore.readStream(`record-acme.invoice.qbo-${deleted.Id}`);
    expect(events.map((event) => event.type)).toContain('RemoteRecordDeleted');
  }, 120_000);
});
