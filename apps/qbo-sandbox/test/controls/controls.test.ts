// Test controls: deterministic seeding, reset, the clock, fault rules (latency, 500/503, 429,
// drop after commit, forced 5010), the request log, and clear 400s for bad control input.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/sandbox-harness.js';
import { q, startHarness } from '../support/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.control('POST', '/reset', { oauth: false });
});

const all = async (entity: string) => (await h.api('GET', q(`select * from ${entity} maxresults 1000`))).body.QueryResponse[entity] ?? [];

describe('seeding', () => {
  it('generates realistic, deterministic data with payments applied to invoices', async () => {
    const seed = { seed: 11, customers: 8, vendors: 3, items: 6, invoices: 10, payments: 4 };
    const r = await h.control('POST', `/realms/${h.realmId}/seed`, seed);
    expect(r.status).toBe(200);
    expect(r.body.invoices).toHaveLength(10);
    expect(r.body.payments).toHaveLength(4);
    const first = { customers: await all('Customer'), invoices: await all('Invoice'), items: await all('Item') };
    expect(first.customers.every((c: { DisplayName: string; PrimaryEmailAddr: { Address: string } }) => c.DisplayName && c.PrimaryEmailAddr.Address.includes('@'))).toBe(true);
    expect(new Set(first.items.map((i: { Type: string }) => i.Type))).toEqual(new Set(['Service', 'NonInventory', 'Inventory']));
    expect(first.invoices.some((i: { Line: unknown[] }) => i.Line.length > 2)).toBe(true);
    const paid = first.invoices.filter((i: { LinkedTxn: Array<{ TxnType: string }> }) => i.LinkedTxn.some((l) => l.TxnType === 'Payment'));
    expect(paid).toHaveLength(4);
    expect(paid.every((i: { Balance: number; TotalAmt: number }) => i.Balance < i.TotalAmt)).toBe(true);

    await h.control('POST', '/reset', { oauth: false });
    await h.control('POST', `/realms/${h.realmId}/seed`, seed);
    const strip = (list: Array<{ MetaData: unknown }>) => list.map(({ MetaData: _m, ...rest }) => rest);
    expect(strip(await all('Customer'))).toEqual(strip(first.customers));
    expect(strip(await all('Invoice'))).toEqual(strip(first.invoices));
  });

  it('creates more companies with their own chart of accounts', async () => {
    const res = await h.control('POST', '/realms', { companyName: 'Second Co', realmId: '123146096291789', seed: { customers: 2 } });
    expect(res.status).toBe(201);
    expect((await h.control('GET', '/realms')).body.realms).toContainEqual({ realmId: '123146096291789', companyName: 'Second Co' });
    const token = h.sandbox.oauthServer.mintTokens({ realmId: '123146096291789' }).access_token;
    const accounts = await h.api('GET', q("select * from Account where AccountSubType = 'UndepositedFunds'"), undefined, { realmId: '123146096291789', token });
    expect(accounts.body.QueryResponse.Account).toHaveLength(1);
    expect((await h.control('POST', '/realms', { companyName: 'dup', realmId: '123146096291789' })).status).toBe(409);
    // A reset brings back only the companies the sandbox started with.
    await h.control('POST', '/reset', { oauth: false });
    expect(h.sandbox.realms()).toEqual([h.realmId]);
  });

  it('names the bad field of a control request', async () => {
    const res = await h.control('POST', `/realms/${h.realmId}/seed`, { customers: 'many' });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].field).toBe('customers');
    expect((await h.control('POST', '/faults', { action: 'explode' })).body.issues[0].field).toBe('action');
    expect((await h.control('POST', '/clock', { set: 'yesterday' })).body.issues[0].field).toBe('set');
  });
});

describe('clock', () => {
  it('sets and advances the time every stamp comes from', async () => {
    const set = await h.control('POST', '/clock', { set: '2026-03-08T09:30:00Z' });
    expect(set.body.now.startsWith('2026-03-08T09:30')).toBe(true);
    const c = (await h.api('POST', '/customer', { DisplayName: 'Spring forward' })).body.Customer;
    // 09:30Z on 2026-03-08 is after the DST switch in California (10:00Z): still PST.
    expect(c.MetaData.CreateTime).toMatch(/^2026-03-08T01:30:0\d-08:00$/);
    await h.control('POST', '/clock', { advanceDays: 1 });
    const d = (await h.api('POST', '/customer', { DisplayName: 'Summer time' })).body.Customer;
    expect(d.MetaData.CreateTime).toMatch(/^2026-03-09T02:30:0\d-07:00$/);
    await h.control('POST', '/clock', { reset: true });
  });
});

describe('fault rules', () => {
  it('answers 500 and 503 for matching requests, a set number of times', async () => {
    const rule = await h.control('POST', '/faults', { action: 'error', status: 503, entity: 'Customer', operation: 'create', times: 1 });
    expect(rule.status).toBe(201);
    const failed = await h.api('POST', '/customer', { DisplayName: 'Unlucky' });
    expect(failed.status).toBe(503);
    expect(failed.body.Fault.type).toBe('SystemFault');
    expect((await h.api('POST', '/customer', { DisplayName: 'Unlucky' })).status).toBe(200);
    await h.control('POST', '/faults', { action: 'error', path: '/invoice' });
    const five = await h.api('GET', '/invoice/1');
    expect(five.status).toBe(500);
    expect(five.body.Fault.Error[0]).toMatchObject({ code: '10000', Message: 'An application error has occurred while processing your request' });
  });

  it('throttles and delays on demand', async () => {
    await h.control('POST', '/faults', { action: 'throttle', operation: 'query', times: 1 });
    expect((await h.api('GET', q('select * from Item'))).status).toBe(429);
    await h.control('POST', '/faults', { action: 'latency', latencyMs: 250, operation: 'read', times: 1 });
    const started = Date.now();
    expect((await h.api('GET', '/preferences')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('drops the connection after the write committed', async () => {
    await h.control('POST', '/faults', { action: 'drop', entity: 'Customer', operation: 'create', times: 1 });
    await expect(h.api('POST', '/customer?requestid=lost-1', { DisplayName: 'Committed But Lost' })).rejects.toThrow();
    const found = await h.api('GET', q("select * from Customer where DisplayName = 'Committed But Lost'"));
    expect(found.body.QueryResponse.Customer).toHaveLength(1);
    // The retry with the same requestid gets the committed answer instead of a duplicate.
    const retry = await h.api('POST', '/customer?requestid=lost-1', { DisplayName: 'Committed But Lost' });
    expect(retry.body.Customer.Id).toBe(found.body.QueryResponse.Customer[0].Id);
    const log = (await h.control('GET', '/requests')).body.requests;
    expect(log.find((r: { dropped?: boolean }) => r.dropped)).toMatchObject({ status: 0, operation: 'create', entity: 'Customer' });
  });

  it('fails a seeded share of matching requests, the same ones in every run', async () => {
    const pattern = async (seed: number) => {
      await h.control('DELETE', '/faults');
      const rule = await h.control('POST', '/faults', { action: 'error', operation: 'read', probability: 0.1, seed });
      expect(rule.body).toMatchObject({ probability: 0.1, seed });
      const statuses: number[] = [];
      for (let n = 0; n < 200; n += 1) statuses.push((await h.api('GET', '/preferences')).status);
      return statuses;
    };
    const first = await pattern(42);
    const failures = first.filter((status) => status === 500).length;
    // About one in ten: a rule that fired on every match, or on none, is far outside this band.
    expect(failures).toBeGreaterThanOrEqual(8);
    expect(failures).toBeLessThanOrEqual(35);
    expect(first.filter((status) => status !== 500 && status !== 200)).toEqual([]);
    expect(await pattern(42)).toEqual(first);
    expect(await pattern(43)).not.toEqual(first);
    expect((await h.control('POST', '/faults', { action: 'error', probability: 1.5 })).status).toBe(400);
  });

  it('forces a stale SyncToken', async () => {
    const c = (await h.api('POST', '/customer', { DisplayName: 'Contested' })).body.Customer;
    await h.control('POST', '/faults', { action: 'stale', entity: 'Customer', times: 1 });
    const res = await h.api('POST', '/customer', { Id: c.Id, SyncToken: c.SyncToken, sparse: true, Notes: 'x' });
    expect(res.body.Fault.Error[0].code).toBe('5010');
    expect((await h.api('POST', '/customer', { Id: c.Id, SyncToken: c.SyncToken, sparse: true, Notes: 'x' })).status).toBe(200);
  });
});

describe('request log', () => {
  it('records each Accounting call with realm, entity, operation, status and fault code', async () => {
    await h.control('DELETE', '/requests');
    await h.api('GET', '/customer/9999');
    await h.api('POST', '/customer', { DisplayName: 'Logged' });
    const log = (await h.control('GET', `/requests?realmId=${h.realmId}`)).body.requests;
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ method: 'GET', realmId: h.realmId, entity: 'Customer', operation: 'read', status: 400, faultCode: '610' });
    expect(log[1]).toMatchObject({ method: 'POST', operation: 'create', status: 200, clientId: 'sandbox-client-id' });
    expect(log[1].intuitTid).toMatch(/^1-/);
    const since = (await h.control('GET', `/requests?since=${log[0].seq}`)).body.requests;
    expect(since).toHaveLength(1);
    expect(JSON.stringify(log)).not.toContain(h.token);
  });
});
