// Fidelity checked by a client nobody here wrote: node-quickbooks, unchanged but for its base URL,
// against a sandbox on a free port, with an access token obtained through the sandbox's own OAuth
// authorization-code flow. Create, read, query, sparse update, batch, CDC, void and faults.

import QuickBooks from 'node-quickbooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../src/index.js';
import { startSandbox } from '../src/index.js';

type Callback = (err: unknown, body: any, res?: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Qbo = Record<string, (...args: any[]) => void>;

let sandbox: SandboxHandle;
let qbo: Qbo;
let realmId: string;

/** Calls a node-quickbooks method and resolves with (err, body) exactly as its callback got them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (method: string, ...args: unknown[]): Promise<{ err: any; body: any; res: any }> =>
  new Promise((resolve) => {
    const cb: Callback = (err, body, res) => resolve({ err, body, res });
    qbo[method]!(...args, cb);
  });

const ok = async (method: string, ...args: unknown[]) => {
  const { err, body } = await call(method, ...args);
  if (err) throw new Error(`${method} failed: ${JSON.stringify(err.Fault ?? err.message ?? err)}`);
  return body;
};

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, limits: false, autoApprove: true, seed: { seed: 9, customers: 5, items: 3, invoices: 0 } });
  realmId = sandbox.realms()[0]!;

  // Authorization code flow, as a browser and the app's callback would drive it.
  const redirectUri = 'http://localhost:9999/callback';
  const authorize = new URL(sandbox.oauth.authorizeUrl);
  authorize.search = new URLSearchParams({ client_id: 'sandbox-client-id', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: redirectUri, state: 'nq-state' }).toString();
  const consent = await fetch(authorize, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const callback = new URL(consent.headers.get('location')!);
  expect(callback.searchParams.get('state')).toBe('nq-state');
  expect(callback.searchParams.get('realmId')).toBe(realmId);
  const tokenRes = await fetch(sandbox.oauth.tokenUrl, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: redirectUri }).toString(),
  });
  expect(tokenRes.status).toBe(200);
  const tokens = (await tokenRes.json()) as { access_token: string; refresh_token: string };

  // The only change to node-quickbooks: where its API lives.
  QuickBooks.V3_ENDPOINT_BASE_URL = sandbox.accountingBaseUrl;
  qbo = new QuickBooks('sandbox-client-id', 'sandbox-client-secret', tokens.access_token, false, realmId, true, false, '75', '2.0', tokens.refresh_token) as unknown as Qbo;
});
afterAll(() => sandbox?.close());

describe('node-quickbooks against the sandbox', () => {
  it('creates, reads and sparse-updates a customer', async () => {
    const created = await ok('createCustomer', { DisplayName: "Bob's Burgers", PrimaryEmailAddr: { Address: 'bob@example.com' } });
    expect(created).toMatchObject({ DisplayName: "Bob's Burgers", SyncToken: '0' });
    const read = await ok('getCustomer', created.Id);
    expect(read).toEqual(created);
    const updated = await ok('updateCustomer', { Id: created.Id, SyncToken: created.SyncToken, CompanyName: 'Burgers Inc.' });
    expect(updated).toMatchObject({ SyncToken: '1', CompanyName: 'Burgers Inc.', PrimaryEmailAddr: { Address: 'bob@example.com' } });
  });

  it('queries with criteria (apostrophes escaped by the client), counts and fetches all pages', async () => {
    const found = await ok('findCustomers', { DisplayName: "Bob's Burgers" });
    expect(found.QueryResponse.Customer).toHaveLength(1);
    const count = await ok('findCustomers', { count: true });
    expect(count.QueryResponse.totalCount).toBe(6);
    const items = await ok('findItems', [{ field: 'fetchAll', value: true }, { field: 'limit', value: 2 }]);
    expect(items.QueryResponse.Item).toHaveLength(3);
    const none = await ok('findInvoices', { DocNumber: 'missing' });
    expect(none.QueryResponse).toEqual({});
  });

  it('creates an invoice, applies a payment, voids and deletes', async () => {
    const customer = (await ok('findCustomers', { DisplayName: "Bob's Burgers" })).QueryResponse.Customer[0];
    const item = await ok('getItem', '1');
    const invoice = await ok('createInvoice', {
      CustomerRef: { value: customer.Id },
      Line: [{ DetailType: 'SalesItemLineDetail', Amount: item.UnitPrice * 2, SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 2, UnitPrice: item.UnitPrice } }],
    });
    expect(invoice).toMatchObject({ TotalAmt: item.UnitPrice * 2, Balance: item.UnitPrice * 2 });
    const payment = await ok('createPayment', { CustomerRef: { value: customer.Id }, TotalAmt: item.UnitPrice, Line: [{ Amount: item.UnitPrice, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }] });
    expect(payment.UnappliedAmt).toBe(0);
    expect((await ok('getInvoice', invoice.Id)).Balance).toBe(item.UnitPrice);
    const voidedPayment = await ok('voidPayment', { Id: payment.Id, SyncToken: payment.SyncToken });
    expect(voidedPayment).toMatchObject({ TotalAmt: 0, PrivateNote: 'Voided' });
    const fresh = await ok('getInvoice', invoice.Id);
    expect(fresh.Balance).toBe(item.UnitPrice * 2);
    const voided = await ok('voidInvoice', { Id: fresh.Id, SyncToken: fresh.SyncToken });
    expect(voided.Invoice).toMatchObject({ TotalAmt: 0, Balance: 0 });
    const deleted = await ok('deleteInvoice', invoice.Id);
    expect(deleted.Invoice).toEqual({ domain: 'QBO', status: 'Deleted', Id: invoice.Id });
  });

  it('gets Intuit faults through its error callback', async () => {
    // A 400 reaches the callback as axios' error, with Intuit's Fault as the response data.
    const dup = await call('createVendor', { DisplayName: "Bob's Burgers" });
    expect(dup.err).toBeTruthy();
    expect(dup.res.status).toBe(400);
    expect(dup.res.data.Fault.Error[0].code).toBe('6240');
    const missing = await call('getCustomer', '98765');
    expect(missing.res.data.Fault.Error[0].code).toBe('610');
    expect(missing.res.headers.intuit_tid).toMatch(/^1-/);
  });

  it('runs a batch', async () => {
    const body = await ok('batch', [
      { bId: 'bid1', operation: 'create', Vendor: { DisplayName: 'Boraski Family Store' } },
      { bId: 'bid2', operation: 'delete', Invoice: { Id: '129', SyncToken: '0' } },
      { bId: 'bid3', Query: 'select * from Customer maxresults 2' },
    ]);
    const [a, b, c] = body.BatchItemResponse;
    expect(a).toMatchObject({ bId: 'bid1', Vendor: { DisplayName: 'Boraski Family Store' } });
    expect(b).toMatchObject({ bId: 'bid2', Fault: { type: 'ValidationFault', Error: [{ code: '610' }] } });
    expect(c.QueryResponse.maxResults).toBe(2);
  });

  it('reads changes through CDC', async () => {
    const since = new Date(sandbox.clock.now().getTime() - 60_000);
    const body = await ok('changeDataCapture', ['Customer', 'Invoice', 'Vendor'], since);
    const responses = body.CDCResponse[0].QueryResponse;
    const byType = Object.fromEntries(responses.map((r: Record<string, unknown>) => [Object.keys(r).find((k) => /^[A-Z]/.test(k)), r]));
    expect(byType.Customer.Customer.length).toBe(6);
    expect(byType.Vendor.Vendor.map((v: { DisplayName: string }) => v.DisplayName)).toContain('Boraski Family Store');
    expect(byType.Invoice.Invoice.at(-1)).toMatchObject({ status: 'Deleted' });
  });

  it('reads company info and preferences', async () => {
    expect((await ok('getCompanyInfo', realmId)).CompanyName).toBe('Sandbox Company_US_1');
    expect((await ok('getPreferences')).CurrencyPrefs).toMatchObject({ HomeCurrency: { value: 'USD' } });
  });
});
