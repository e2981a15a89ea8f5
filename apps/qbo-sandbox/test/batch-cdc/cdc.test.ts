// GET /cdc: full objects then Deleted tombstones per type, the 30-day window, the 1000-object cap,
// and the empty answer.

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
  await h.control('POST', '/clock', { advanceMs: 60_000 });
});

const cdc = (entities: string, since: string) => h.api('GET', `/cdc?entities=${entities}&changedSince=${encodeURIComponent(since)}`);

describe('change data capture', () => {
  itWithFixtures('returns changed objects in full, then tombstones shaped like the documented sample', async () => {
    const since = h.sandbox.clock.now().toISOString();
    await h.control('POST', '/clock', { advanceMs: 1000 });
    await h.control('POST', `/realms/${h.realmId}/seed`, { seed: 1, customers: 2, items: 1, invoices: 2, payments: 0 });
    const invoices = (await h.api('GET', "/query?query=select%20*%20from%20Invoice")).body.QueryResponse.Invoice;
    const doomed = invoices[0];
    await h.control('POST', '/clock', { advanceMs: 1000 });
    await h.api('POST', '/invoice?operation=delete', { Id: doomed.Id, SyncToken: doomed.SyncToken });

    const res = await cdc('Customer,Invoice,Estimate', since);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['CDCResponse', 'time']);
    const responses = res.body.CDCResponse[0].QueryResponse;
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatchObject({ startPosition: 1, maxResults: 2 });
    expect(responses[0].Customer.map((c: { Id: string }) => c.Id)).toEqual(['1', '2']);
    expect(responses[0].Customer[0]).toHaveProperty('DisplayName');
    const inv = responses[1].Invoice;
    expect(inv).toHaveLength(2);
    expect(inv[0]).toMatchObject({ Id: invoices[1].Id, TotalAmt: invoices[1].TotalAmt });
    const documented = fixture('cdc_response_deleted_docsample.json').CDCResponse[0].QueryResponse[1].Estimate[2];
    expect(Object.keys(inv[1]).sort()).toEqual(Object.keys(documented).sort());
    expect(Object.keys(inv[1].MetaData)).toEqual(Object.keys(documented.MetaData));
    expect(inv[1]).toMatchObject({ status: 'Deleted', domain: 'QBO', Id: doomed.Id });
    expect(inv[1].MetaData.LastUpdatedTime).toMatch(/-0[78]:00$/);
  });

  itWithFixtures('answers no changes with one empty QueryResponse like the documented sample', async () => {
    const res = await cdc('Customer', h.sandbox.clock.now().toISOString());
    expect(res.body.CDCResponse).toEqual(fixture('cdc_response_nochanges_docsample.json').CDCResponse);
  });

  it('refuses changedSince older than 30 days, unsupported types and missing parameters', async () => {
    const old = new Date(h.sandbox.clock.now().getTime() - 31 * 86_400_000).toISOString();
    const res = await cdc('Customer', old);
    expect(res.status).toBe(400);
    expect(res.body.Fault.Error[0].Detail).toContain('older than fixed days is not supported');
    expect((await cdc('TaxCode', h.sandbox.clock.now().toISOString())).status).toBe(400);
    expect((await h.api('GET', '/cdc?entities=Customer')).body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'changedSince' });
    const ok = await cdc('Customer', new Date(h.sandbox.clock.now().getTime() - 29 * 86_400_000).toISOString());
    expect(ok.status).toBe(200);
  });

  it('caps a response at 1000 objects, keeping the oldest changes', async () => {
    const since = h.sandbox.clock.now().toISOString();
    await h.control('POST', '/clock', { advanceMs: 1000 });
    await h.control('POST', `/realms/${h.realmId}/seed`, { seed: 2, customers: 700 });
    await h.control('POST', '/clock', { advanceMs: 1000 });
    await h.control('POST', `/realms/${h.realmId}/seed`, { seed: 3, vendors: 400 });
    const res = await cdc('Vendor,Customer', since);
    const responses = res.body.CDCResponse[0].QueryResponse;
    const total = responses.reduce((n: number, r: Record<string, unknown[]>) => n + ((r.Customer ?? r.Vendor) as unknown[]).length, 0);
    expect(total).toBe(1000);
    expect(responses.find((r: Record<string, unknown>) => r.Customer).Customer).toHaveLength(700);
    expect(responses.find((r: Record<string, unknown>) => r.Vendor).Vendor).toHaveLength(300);
  });
});
