// Committed writes reach the webhook dispatcher: one event per record written, including the
// invoices a payment touched; reads, faults and requestid replays send nothing.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/sandbox-harness.js';
import { startHarness } from '../support/sandbox-harness.js';

let h: Harness;
const received: Array<{ signature: string | undefined; body: string }> = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({ signature: req.headers['intuit-signature'] as string | undefined, body });
    res.writeHead(200).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  h = await startHarness({ webhooks: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, batchDelayMs: 0 } });
});
afterAll(async () => {
  await h.close();
  await new Promise((r) => receiver.close(r));
});

const events = () =>
  received.flatMap((r) => JSON.parse(r.body).eventNotifications.flatMap((n: { realmId: string; dataChangeEvent: { entities: unknown[] } }) => n.dataChangeEvent.entities.map((e) => ({ realmId: n.realmId, ...(e as object) }))));

describe('change notifications', () => {
  it('reports creates, updates (incl. invoices a payment moved), voids and deletes', async () => {
    const c = (await h.api('POST', '/customer', { DisplayName: 'Hooked' })).body.Customer;
    const item = (await h.api('GET', "/query?query=select%20*%20from%20Account%20where%20Name%20%3D%20'Services'")).body.QueryResponse.Account[0];
    const it1 = (await h.api('POST', '/item', { Name: 'Hook Service', Type: 'Service', IncomeAccountRef: { value: item.Id } })).body.Item;
    const inv = (await h.api('POST', '/invoice', { CustomerRef: { value: c.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: it1.Id } } }] })).body.Invoice;
    const pay = (await h.api('POST', '/payment?requestid=hook-pay', { CustomerRef: { value: c.Id }, TotalAmt: 10, Line: [{ Amount: 10, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] })).body.Payment;
    await h.api('POST', '/payment?requestid=hook-pay', { CustomerRef: { value: c.Id }, TotalAmt: 10 });
    await h.api('GET', `/invoice/${inv.Id}`);
    await h.api('POST', '/customer', { DisplayName: 'Hooked' });
    await h.api('POST', '/payment?operation=update&include=void', { Id: pay.Id, SyncToken: pay.SyncToken, sparse: true });
    await h.sandbox.webhooks.flush();

    const seen = events().map((e: { name: string; id: string; operation: string }) => `${e.operation} ${e.name} ${e.id}`);
    expect(seen).toEqual([
      `Create Customer ${c.Id}`,
      `Create Item ${it1.Id}`,
      `Create Invoice ${inv.Id}`,
      `Create Payment ${pay.Id}`,
      `Update Invoice ${inv.Id}`,
      `Void Payment ${pay.Id}`,
      `Update Invoice ${inv.Id}`,
    ]);
    expect(events().every((e: { realmId: string }) => e.realmId === h.realmId)).toBe(true);
    expect(received.every((r) => typeof r.signature === 'string' && r.signature.length > 0)).toBe(true);
  });
});
