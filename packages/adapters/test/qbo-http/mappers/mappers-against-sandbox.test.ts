// The mappers against the QBO sandbox over real HTTP: what the mapper writes, QBO accepts, and what QBO
// reads back maps to the same canonical record (plus the fields only QBO computes). Sparse updates clear
// the fields the host dropped; an inactive customer and a voided invoice read back as such.

import { customerSchema, invoiceSchema, itemSchema, paymentSchema } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type QboObject,
  customerFromQbo,
  customerToQbo,
  invoiceFromQbo,
  invoiceToQbo,
  itemFromQbo,
  itemToQbo,
  mapReferenceResolver,
  nameListStatus,
  paymentFromQbo,
  paymentToQbo,
  transactionStatus,
} from '../../../src/qbo-http/mappers/index.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';


describe('mappers against the QBO sandbox', () => {
  let sandbox: SandboxProcess;
  let token: string;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${sandbox.url}/v3/company/${sandbox.realmId}${path}${path.includes('?') ? '&' : '?'}minorversion=75`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const entity = async (name: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<QboObject> => (await call(method, path, body))[name] as QboObject;
  const accountId = async (type: string): Promise<string> => {
    const found = await call('GET', `/query?query=${encodeURIComponent(`select * from Account where AccountType = '${type}'`)}`);
    return ((found['QueryResponse'] as { Account: { Id: string }[] }).Account[0] as { Id: string }).Id;
  };

  beforeAll(async () => {
    sandbox = await startSandboxProcess();
    token = ((await sandbox.control('POST', '/oauth/tokens', { realmId: sandbox.realmId })) as { access_token: string }).access_token;
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('customer: create, read back equal; sparse update clears dropped fields; deactivate reads back inactive', async () => {
    const customer = customerSchema.parse({
      displayName: `O'Brien "Bob" — Zürich ${Date.now()}`,
      givenName: 'Bob',
      familyName: "O'Brien",
      companyName: 'Bob & Sons',
      email: 'bob@example.com',
      phone: '+41 44 000 00 00',
      billingAddress: { line1: 'Bahnhofstr. 1', line2: 'Floor 2', city: 'Zürich', region: 'ZH', postalCode: '8001', country: 'CH' },
      shippingAddress: { line1: 'Dock 4', city: 'Basel', country: 'CH' },
      notes: 'Pays on the 1st',
      currency: 'USD',
    });
    const created = await entity('Customer', 'POST', '/customer', customerToQbo(customer));
    expect(customerFromQbo(created)).toEqual(customer);
    const slimmer = customerSchema.parse({ displayName: customer.displayName, email: 'new@example.com', currency: 'USD' });
    const updated = await entity('Customer', 'POST', '/customer', customerToQbo(slimmer, created));
    expect(customerFromQbo(updated)).toEqual(slimmer);
    const inactive = await entity('Customer', 'POST', '/customer', customerToQbo({ ...slimmer, active: false }, updated));
    expect(nameListStatus(inactive)).toBe('inactive');
    expect(customerFromQbo(inactive)).toEqual({ ...slimmer, active: false });
  });

  it('item, invoice and payment: written through the links, read back with QBO totals and payment status', async () => {
    const accounts = { incomeAccountId: await accountId('Income'), expenseAccountId: await accountId('Cost of Goods Sold'), assetAccountId: await accountId('Other Current Asset') };
    const stamp = Date.now();
    const item = itemSchema.parse({ name: `Pump ${stamp}`, sku: `TAG-${stamp}`, description: 'Fountain pump', type: 'inventory', salesPrice: 12.75, costPrice: 8, quantityOnHand: 10, inventoryStartDate: '2026-01-01', ...accounts });
    const createdItem = await entity('Item', 'POST', '/item', itemToQbo(item, {}));
    expect(itemFromQbo(createdItem)).toEqual(item);
    const customer = await entity('Customer', 'POST', '/customer', customerToQbo(customerSchema.parse({ displayName: `Invoice customer ${stamp}` })));

    const refs = mapReferenceResolver({ customer: new Map([['c1', customer.Id]]), item: new Map([['i1', createdItem.Id]]) });
    const invoice = invoiceSchema.parse({
      number: `T-${stamp % 1_000_000}`,
      customerLocalId: 'c1',
      issueDate: '2026-05-01',
      dueDate: '2026-05-31',
      lines: [
        { itemLocalId: 'i1', description: 'Pump', quantity: 3, unitPrice: 12.75, taxable: false },
        { description: 'Delivered Tuesday', quantity: 0, unitPrice: 0 },
      ],
      discount: { amount: 5 },
      memo: 'Thanks!',
      notes: 'rush',
    });
    const createdInvoice = await entity('Invoice', 'POST', '/invoice', invoiceToQbo(invoice, refs));
    expect(invoiceFromQbo(createdInvoice, refs)).toEqual({ ...invoice, currency: 'USD', total: 33.25, balance: 33.25, paymentStatus: 'unpaid' });

    const invoiceRefs = mapReferenceResolver({ customer: new Map([['c1', customer.Id]]), invoice: new Map([['inv1', createdInvoice.Id]]) });
    const payment = paymentSchema.parse({ customerLocalId: 'c1', amount: 20, date: '2026-05-06', reference: 'CHK 1', invoices: [{ invoiceLocalId: 'inv1', amount: 20 }], notes: 'counter' });
    const createdPayment = await entity('Payment', 'POST', '/payment', paymentToQbo(payment, invoiceRefs));
    const readPayment = paymentFromQbo(createdPayment, invoiceRefs);
    expect(readPayment).toEqual({ ...payment, currency: 'USD', depositAccountId: expect.any(String) });

    const partlyPaid = await entity('Invoice', 'GET', `/invoice/${createdInvoice.Id}`);
    expect(invoiceFromQbo(partlyPaid, refs)).toMatchObject({ balance: 13.25, paymentStatus: 'partial' });

    const voidedPayment = await entity('Payment', 'POST', '/payment?operation=update&include=void', { Id: createdPayment.Id, SyncToken: createdPayment.SyncToken, sparse: true });
    expect(transactionStatus(voidedPayment)).toBe('voided');
    expect(paymentFromQbo(voidedPayment, invoiceRefs)).toMatchObject({ voided: true, amount: 0, notes: 'counter' });

    const unpaid = await entity('Invoice', 'GET', `/invoice/${createdInvoice.Id}`);
    const voidedInvoice = await entity('Invoice', 'POST', '/invoice?operation=void', { Id: unpaid.Id, SyncToken: unpaid.SyncToken });
    expect(transactionStatus(voidedInvoice)).toBe('voided');
    expect(invoiceFromQbo(voidedInvoice, refs)).toMatchObject({ voided: true, total: 0, notes: 'rush', number: invoice.number });
  });
});
