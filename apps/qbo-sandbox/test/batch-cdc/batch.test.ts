// POST /batch: independent items with per-item Faults inside a 200, Query items, void through
// optionsData, no visibility of the same request's creates, and the 30-item cap.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/sandbox-harness.js';
import { fixture, startHarness, itWithFixtures } from '../support/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.control('POST', '/reset', { oauth: false });
  await h.control('POST', `/realms/${h.realmId}/seed`, { seed: 3, customers: 4, items: 3, invoices: 0 });
});

const saleLine = (itemId: string) => ({ DetailType: 'SalesItemLineDetail', Amount: 337.5, SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 4.5, UnitPrice: 75 } });

describe('batch', () => {
  itWithFixtures('mixes success, 610, 5010 and a query in one 200 like the recorded batch', async () => {
    const sr = (await h.api('POST', '/salesreceipt', { Line: [saleLine('1')], CustomerRef: { value: '1' } })).body.SalesReceipt;
    await h.api('POST', '/salesreceipt', { Id: sr.Id, SyncToken: sr.SyncToken, sparse: true, PrivateNote: 'moved on' });
    const request = fixture('batch_request.json');
    // Same four operations as the recording, with ids that exist in this company.
    request.BatchItemRequest[1].Invoice = { Id: '129', SyncToken: '0' };
    request.BatchItemRequest[2].SalesReceipt = { Id: sr.Id, SyncToken: '0', sparse: true, PrivateNote: 'stale write' };
    request.BatchItemRequest[3].Query = "select * from SalesReceipt where TotalAmt > '300.00'";
    const res = await h.api('POST', '/batch', request);
    expect(res.status).toBe(200);
    const recorded = fixture('batch_response.json');
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(recorded).sort());
    const items = res.body.BatchItemResponse;
    expect(items.map((i: Record<string, unknown>) => Object.keys(i).sort())).toEqual(recorded.BatchItemResponse.map((i: Record<string, unknown>) => Object.keys(i).sort()));
    expect(items[0].Vendor).toMatchObject({ DisplayName: request.BatchItemRequest[0].Vendor.DisplayName, SyncToken: '0' });
    expect(items[1].Fault).toEqual(recorded.BatchItemResponse[1].Fault);
    expect(items[2].Fault.Error[0]).toMatchObject({ Message: 'Stale Object Error', code: '5010', element: '' });
    expect(items[3].QueryResponse).toMatchObject({ startPosition: 1, maxResults: 1, SalesReceipt: [{ Id: sr.Id }] });
  });

  it('items do not see creates from the same request', async () => {
    const res = await h.api('POST', '/batch', {
      BatchItemRequest: [
        { bId: 'c1', operation: 'create', Customer: { DisplayName: 'Batch Customer' } },
        { bId: 'q1', Query: "select * from Customer where DisplayName = 'Batch Customer'" },
        { bId: 'i1', operation: 'create', Invoice: { CustomerRef: { value: '5' }, Line: [saleLine('1')] } },
      ],
    });
    const [c1, q1, i1] = res.body.BatchItemResponse;
    expect(c1.Customer.Id).toBe('5');
    expect(q1.QueryResponse).toEqual({});
    expect(i1.Fault.Error[0].code).toBe('610');
    // After the request, the create is visible like any other record.
    expect((await h.api('GET', '/customer/5')).status).toBe(200);
  });

  it('voids with optionsData, deletes, and updates sparsely', async () => {
    const inv = (await h.api('POST', '/invoice', { CustomerRef: { value: '1' }, Line: [saleLine('1')] })).body.Invoice;
    const inv2 = (await h.api('POST', '/invoice', { CustomerRef: { value: '2' }, Line: [saleLine('1')] })).body.Invoice;
    const c = (await h.api('GET', '/customer/3')).body.Customer;
    const res = await h.api('POST', '/batch', {
      BatchItemRequest: [
        { bId: 'v', operation: 'update', optionsData: 'void', Invoice: { Id: inv.Id, SyncToken: inv.SyncToken } },
        { bId: 'd', operation: 'delete', Invoice: { Id: inv2.Id, SyncToken: inv2.SyncToken } },
        { bId: 'u', operation: 'update', Customer: { Id: c.Id, SyncToken: c.SyncToken, sparse: true, Notes: 'from batch' } },
        { bId: 'x', operation: 'merge', Customer: { Id: c.Id } },
      ],
    });
    const [v, d, u, x] = res.body.BatchItemResponse;
    expect(v.Invoice).toMatchObject({ TotalAmt: 0, PrivateNote: 'Voided' });
    expect(d.Invoice).toEqual({ domain: 'QBO', status: 'Deleted', Id: inv2.Id });
    expect(u.Customer).toMatchObject({ Notes: 'from batch', SyncToken: '1', DisplayName: c.DisplayName });
    expect(x.Fault.Error[0].code).toBe('2170');
  });

  it('refuses more than 30 items and items without bId', async () => {
    const many = Array.from({ length: 31 }, (_, i) => ({ bId: `q${i}`, Query: 'select * from Item' }));
    const res = await h.api('POST', '/batch', { BatchItemRequest: many });
    expect(res.status).toBe(400);
    expect(res.body.Fault.Error[0].Detail).toContain('maximum is 30');
    expect((await h.api('POST', '/batch', { BatchItemRequest: many.slice(0, 30) })).status).toBe(200);
    expect((await h.api('POST', '/batch', { BatchItemRequest: [{ Query: 'select * from Item' }] })).body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'bId' });
  });
});
