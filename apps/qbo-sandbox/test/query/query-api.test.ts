// The query endpoint over HTTP: GET and POST application/text, envelopes as recorded, paging,
// COUNT, active-only name lists, reference and datetime comparisons, and the 4000/4001 faults.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/sandbox-harness.js';
import { fixture, q, startHarness, itWithFixtures } from '../support/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ seed: { seed: 7, customers: 120, vendors: 6, items: 9, invoices: 30, paymentRatio: 0.5 } });
});
afterAll(() => h.close());

describe('query endpoint', () => {
  itWithFixtures('pages with 1-based STARTPOSITION and maxResults = rows returned, like the recordings', async () => {
    const first = await h.api('GET', q('SELECT * FROM Customer MAXRESULTS 5 STARTPOSITION 1'));
    expect(first.status).toBe(200);
    const recorded = fixture('query_customer_page.json');
    expect(Object.keys(first.body).sort()).toEqual(Object.keys(recorded).sort());
    expect(Object.keys(first.body.QueryResponse).sort()).toEqual(Object.keys(recorded.QueryResponse).sort());
    expect(first.body.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 5 });
    expect(first.body.QueryResponse.Customer.map((c: { Id: string }) => c.Id)).toEqual(['1', '2', '3', '4', '5']);

    const last = await h.api('GET', q('select * from Customer startposition 116 maxresults 10'));
    expect(Object.keys(last.body.QueryResponse).sort()).toEqual(Object.keys(fixture('query_vendor_page_last.json').QueryResponse).sort().map((k) => (k === 'Vendor' ? 'Customer' : k)).sort());
    expect(last.body.QueryResponse).toMatchObject({ startPosition: 116, maxResults: 5 });
  });

  it('defaults to 100 rows and never returns more than 1000', async () => {
    expect((await h.api('GET', q('select * from Customer'))).body.QueryResponse.maxResults).toBe(100);
    await h.control('POST', `/realms/${h.realmId}/seed`, { seed: 8, customers: 1000 });
    const big = await h.api('GET', q('select * from Customer maxresults 5000'));
    expect(big.body.QueryResponse.maxResults).toBe(1000);
  });

  itWithFixtures('counts with COUNT(*) and answers an empty result with an empty QueryResponse', async () => {
    const count = await h.api('GET', q("select count(*) from Invoice where TotalAmt > '0'"));
    expect(Object.keys(count.body.QueryResponse)).toEqual(Object.keys(fixture('query_count.json').QueryResponse));
    expect(count.body.QueryResponse.totalCount).toBe(30);
    const empty = await h.api('GET', q("select * from Invoice where DocNumber = 'nope'"));
    expect(Object.keys(empty.body).sort()).toEqual(Object.keys(fixture('query_empty.json')).sort());
    expect(empty.body.QueryResponse).toEqual({});
  });

  it('accepts POST with Content-Type application/text', async () => {
    const res = await h.api('POST', '/query', "select * from Vendor where Active = true", { contentType: 'application/text' });
    expect(res.status).toBe(200);
    expect(res.body.QueryResponse.Vendor).toHaveLength(6);
  });

  it('is case-insensitive in keywords, entity and field names, and in values', async () => {
    const a = await h.api('GET', q("SeLeCt * FrOm customer WHERE displayname = 'ZZZ-nobody'"));
    expect(a.status).toBe(200);
    const c1 = (await h.api('GET', `/customer/1`)).body.Customer;
    const b = await h.api('GET', q(`select * from CUSTOMER where DISPLAYNAME = '${c1.DisplayName.toUpperCase().replace(/'/g, "\\'")}' and metadata.lastupdatedtime > '2000-01-01T00:00:00Z'`));
    expect(b.body.QueryResponse.Customer.map((c: { Id: string }) => c.Id)).toEqual(['1']);
  });

  it("finds names with \\' escapes and LIKE wildcards", async () => {
    await h.api('POST', '/customer', { DisplayName: "Adam's Candy Shop" });
    const exact = await h.api('GET', q("select * from Customer where DisplayName = 'Adam\\'s Candy Shop'"));
    expect(exact.body.QueryResponse.Customer).toHaveLength(1);
    const like = await h.api('GET', q("select * from Customer where DisplayName like 'adam%shop'"));
    expect(like.body.QueryResponse.Customer[0].DisplayName).toBe("Adam's Candy Shop");
  });

  it('filters references by id, returns only active names by default, and refuses non-filterable fields', async () => {
    const inv = (await h.api('GET', '/invoice/1')).body.Invoice;
    const byCustomer = await h.api('GET', q(`select * from Invoice where CustomerRef = '${inv.CustomerRef.value}'`));
    expect(byCustomer.body.QueryResponse.Invoice.every((i: { CustomerRef: { value: string } }) => i.CustomerRef.value === inv.CustomerRef.value)).toBe(true);
    const vendor = (await h.api('GET', '/vendor/1')).body.Vendor;
    await h.api('POST', '/vendor', { Id: vendor.Id, SyncToken: vendor.SyncToken, sparse: true, Active: false });
    expect((await h.api('GET', q('select count(*) from Vendor'))).body.QueryResponse.totalCount).toBe(5);
    expect((await h.api('GET', q('select count(*) from Vendor where Active in (true, false)'))).body.QueryResponse.totalCount).toBe(6);
    const bad = await h.api('GET', q("select * from Customer where Notes = 'x'"));
    expect(bad.body.Fault.Error[0].code).toBe('4001');
    expect((await h.api('GET', q("select * from Customer where Id > '3'"))).body.Fault.Error[0].code).toBe('4001');
  });

  it('compares datetimes with their offsets', async () => {
    await h.control('POST', '/clock', { advanceMs: 60_000 });
    const before = new Date(h.sandbox.clock.now().getTime() - 1000);
    const c = (await h.api('POST', '/customer', { DisplayName: 'Fresh Customer' })).body.Customer;
    const utc = before.toISOString();
    // The same instant written with a Pacific offset.
    const pacific = c.MetaData.LastUpdatedTime.slice(19);
    const shifted = new Date(before.getTime() + (pacific.startsWith('-07') ? -7 : -8) * 3600_000).toISOString().slice(0, 19) + pacific;
    for (const since of [utc, shifted]) {
      const res = await h.api('GET', q(`select * from Customer where MetaData.LastUpdatedTime > '${since}' orderby MetaData.LastUpdatedTime`));
      expect(res.body.QueryResponse.Customer.map((x: { Id: string }) => x.Id), since).toEqual([c.Id]);
    }
  });

  itWithFixtures('answers bad syntax with 4000 and an unknown entity with 4001, shaped like the recordings', async () => {
    const parse = await h.api('GET', q("select * from Customer where DisplayName = 'a' OR Id = '1'"));
    expect(parse.status).toBe(400);
    const f4000 = fixture('fault_4000_query_parse_error.json');
    expect(Object.keys(parse.body.Fault.Error[0]).sort()).toEqual(Object.keys(f4000.Fault.Error[0]).sort());
    expect(parse.body.Fault).toMatchObject({ type: f4000.Fault.type, Error: [{ Message: f4000.Fault.Error[0].Message, code: '4000' }] });
    expect(parse.body.Fault.Error[0].Detail).toMatch(/^QueryParserError: Encountered /);
    const unknown = await h.api('GET', q('SELECT * FROM Custmoer'));
    expect(unknown.body.Fault).toEqual(fixture('fault_4001_invalid_query.json').Fault);
  });
});
