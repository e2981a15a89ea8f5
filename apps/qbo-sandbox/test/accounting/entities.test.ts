// Create, read, full and sparse update, delete, void and deactivation against a running sandbox,
// with the faults Intuit answers, compared with the recorded fixtures where one exists.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/sandbox-harness.js';
import { fixture, q, startHarness, itWithFixtures } from '../support/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.control('POST', '/reset', { oauth: false });
});

const accountId = async (name: string) => (await h.api('GET', q(`select * from Account where Name = '${name}'`))).body.QueryResponse.Account[0].Id as string;

const serviceItem = async (name = 'Design') => {
  const income = await accountId('Services');
  const res = await h.api('POST', '/item', { Name: name, Type: 'Service', UnitPrice: 75, IncomeAccountRef: { value: income } });
  expect(res.status).toBe(200);
  return res.body.Item;
};

const customer = async (name = 'Amy\'s Bird Sanctuary') => {
  const res = await h.api('POST', '/customer', { DisplayName: name, PrimaryEmailAddr: { Address: 'birds@example.com' }, BillAddr: { Line1: '4581 Finch St.', City: 'Bayshore' } });
  expect(res.status).toBe(200);
  return res.body.Customer;
};

describe('envelopes and bookkeeping', () => {
  it('wraps a created record with a Pacific "time", numeric Id, SyncToken "0" and MetaData', async () => {
    const res = await h.api('POST', '/customer?minorversion=75', { DisplayName: 'Weiskopf Consulting' });
    expect(res.status).toBe(200);
    expect(res.headers.get('intuit_tid')).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(Object.keys(res.body).sort()).toEqual(['Customer', 'time']);
    expect(res.body.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-0[78]:00$/);
    const c = res.body.Customer;
    expect(c).toMatchObject({ domain: 'QBO', sparse: false, SyncToken: '0', Active: true, DisplayName: 'Weiskopf Consulting', Balance: 0 });
    expect(c.Id).toMatch(/^\d+$/);
    expect(c.MetaData.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00$/);
    const read = await h.api('GET', `/customer/${c.Id}`);
    expect(read.body.Customer).toEqual(c);
  });

  it('builds DisplayName from the name parts and refuses a nameless customer (6080)', async () => {
    const built = await h.api('POST', '/customer', { GivenName: 'Tony', MiddleName: 'L', FamilyName: 'Rondonuwu' });
    expect(built.body.Customer.DisplayName).toBe('Tony L Rondonuwu');
    const none = await h.api('POST', '/customer', { CompanyName: 'Only a company' });
    expect(none.status).toBe(400);
    expect(none.body.Fault.Error[0].code).toBe('6080');
  });

  itWithFixtures('answers a missing record with the exact 610 fault of the fixture, and a bad id with 2030', async () => {
    const res = await h.api('GET', '/item/9999');
    expect(res.status).toBe(400);
    expect(res.body.Fault).toEqual(fixture('fault_610_object_not_found.json').Fault);
    const bad = await h.api('GET', '/customer/1.5');
    expect(bad.body.Fault.Error[0]).toEqual(fixture('fault_2030_invalid_id.json').Fault.Error[0]);
  });

  itWithFixtures('refuses an unknown property with 2010 and an unknown path with 500 Unsupported Operation', async () => {
    const res = await h.api('POST', '/invoice', { BadJson: true });
    expect(res.status).toBe(400);
    const f = fixture('fault_2010_unsupported_property.json').Fault;
    expect(res.body.Fault.type).toBe(f.type);
    expect(res.body.Fault.Error[0].Message).toBe(f.Error[0].Message);
    expect(res.body.Fault.Error[0].code).toBe('2010');
    expect(res.body.Fault.Error[0].Detail).toContain('Unrecognized field "BadJson" (class com.intuit.schema.finance.v3.Invoice)');
    const path = await h.api('GET', '/customer/1/5');
    expect(path.body.Fault.Error[0]).toMatchObject({ Message: 'Unsupported Operation', code: '500' });
    // Resource segments are case-sensitive, as Intuit's URIs are.
    expect((await h.api('GET', '/Customer/1')).body.Fault.Error[0].code).toBe('500');
  });

  itWithFixtures('names the missing field in 2020 exactly like the recorded fault', async () => {
    const res = await h.api('POST', '/item', { Type: 'Service' });
    expect(res.status).toBe(400);
    expect(res.body.Fault).toEqual(fixture('fault_2020_required_param.json').Fault);
  });

  it('enforces string lengths with 2050', async () => {
    const res = await h.api('POST', '/customer', { DisplayName: 'x'.repeat(501) });
    expect(res.body.Fault.Error[0]).toMatchObject({ code: '2050', element: 'DisplayName' });
    expect(res.body.Fault.Error[0].Detail).toBe('String length specified does not match the supported length. Min:0 Max:500 supplied length:501');
  });
});

describe('updates and SyncToken', () => {
  itWithFixtures('sparse update keeps other fields, bumps SyncToken; a stale token is 5010', async () => {
    const c = await customer();
    const up = await h.api('POST', '/customer', { Id: c.Id, SyncToken: c.SyncToken, sparse: true, Notes: 'VIP' });
    expect(up.status).toBe(200);
    expect(up.body.Customer).toMatchObject({ SyncToken: '1', Notes: 'VIP', PrimaryEmailAddr: { Address: 'birds@example.com' } });
    const stale = await h.api('POST', '/customer?operation=update', { Id: c.Id, SyncToken: '0', sparse: true, Notes: 'again' });
    expect(stale.status).toBe(400);
    const f = fixture('fault_5010_stale_object.json').Fault;
    expect(stale.body.Fault.type).toBe(f.type);
    expect(Object.keys(stale.body.Fault.Error[0]).sort()).toEqual(Object.keys(f.Error[0]).sort());
    expect(stale.body.Fault.Error[0]).toMatchObject({ Message: 'Stale Object Error', code: '5010', element: '' });
    expect(stale.body.Fault.Error[0].Detail).toMatch(/^Stale Object Error : You and .+ were working on this at the same time\./);
  });

  it('full update clears writable fields left out', async () => {
    const c = await customer();
    const full = await h.api('POST', '/customer', { Id: c.Id, SyncToken: c.SyncToken, DisplayName: c.DisplayName });
    expect(full.status).toBe(200);
    expect(full.body.Customer.PrimaryEmailAddr).toBeUndefined();
    expect(full.body.Customer.BillAddr).toBeUndefined();
    expect(full.body.Customer.SyncToken).toBe('1');
  });

  it('requires Id and SyncToken on update (2020)', async () => {
    const res = await h.api('POST', '/customer?operation=update', { DisplayName: 'No id' });
    expect(res.body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'Id' });
    const c = await customer();
    const noToken = await h.api('POST', '/customer', { Id: c.Id, DisplayName: 'x', sparse: true });
    expect(noToken.body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'SyncToken' });
  });
});

describe('names', () => {
  itWithFixtures('shares one DisplayName space across customers, vendors and employees (6240), case-insensitively', async () => {
    await customer('Robertson & Associates');
    const vendor = await h.api('POST', '/vendor', { DisplayName: 'robertson & associates' });
    expect(vendor.status).toBe(400);
    expect(vendor.body.Fault.type).toBe('ValidationFault');
    expect(vendor.body.Fault.Error[0]).toMatchObject({ Message: 'Duplicate Name Exists Error', code: '6240' });
    expect(Object.keys(vendor.body.Fault.Error[0]).sort()).toEqual(Object.keys(fixture('fault_6240_duplicate_name.json').Fault.Error[0]).sort());
    const employee = await h.api('POST', '/employee', { GivenName: 'Robertson', FamilyName: '& Associates' });
    expect(employee.body.Fault.Error[0].code).toBe('6240');
  });

  it('deactivation appends " (deleted)", frees the name, hides it from queries; delete is refused', async () => {
    const c = await customer('Dylan Sollfrank');
    const del = await h.api('POST', '/customer?operation=delete', { Id: c.Id, SyncToken: c.SyncToken });
    expect(del.body.Fault.Error[0].code).toBe('500');
    const off = await h.api('POST', '/customer', { Id: c.Id, SyncToken: c.SyncToken, sparse: true, Active: false });
    expect(off.body.Customer).toMatchObject({ Active: false, DisplayName: 'Dylan Sollfrank (deleted)' });
    expect((await h.api('GET', q(`select * from Customer where Id = '${c.Id}'`))).body.QueryResponse).toEqual({});
    const all = await h.api('GET', q(`select * from Customer where Id = '${c.Id}' and Active IN (true, false)`));
    expect(all.body.QueryResponse.Customer).toHaveLength(1);
    expect((await h.api('POST', '/customer', { DisplayName: 'Dylan Sollfrank' })).status).toBe(200);
  });

  itWithFixtures('keeps item and account names unique; references to inactive records are 610', async () => {
    const item = await serviceItem('Gardening');
    expect((await h.api('POST', '/item', { Name: 'GARDENING', Type: 'Service', IncomeAccountRef: { value: item.IncomeAccountRef.value } })).body.Fault.Error[0].code).toBe('6240');
    expect((await h.api('POST', '/account', { Name: 'Services', AccountType: 'Income' })).body.Fault.Error[0].code).toBe('6240');
    expect((await h.api('POST', '/account', { Name: 'No type' })).body.Fault.Error[0].code).toBe('6010');
    const c = await customer();
    await h.api('POST', '/item', { Id: item.Id, SyncToken: item.SyncToken, sparse: true, Active: false });
    const inv = await h.api('POST', '/invoice', { CustomerRef: { value: c.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: item.Id } } }] });
    expect(inv.body.Fault).toEqual(fixture('fault_610_object_not_found.json').Fault);
  });

  it('requires the inventory fields of an Inventory item', async () => {
    const income = await accountId('Sales of Product Income');
    const res = await h.api('POST', '/item', { Name: 'Pump', Type: 'Inventory', IncomeAccountRef: { value: income } });
    expect(res.body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'TrackQtyOnHand' });
    const ok = await h.api('POST', '/item', {
      Name: 'Pump', Type: 'Inventory', TrackQtyOnHand: true, QtyOnHand: 10, InvStartDate: '2026-01-01',
      IncomeAccountRef: { value: income }, ExpenseAccountRef: { value: await accountId('Cost of Goods Sold') }, AssetAccountRef: { value: await accountId('Inventory Asset') },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.Item).toMatchObject({ Type: 'Inventory', QtyOnHand: 10, IncomeAccountRef: { name: 'Sales of Product Income' } });
  });
});

describe('invoices and payments', () => {
  const invoice = async (customerId: string, itemId: string, extra: Record<string, unknown> = {}) =>
    h.api('POST', '/invoice', {
      CustomerRef: { value: customerId },
      TxnDate: '2026-01-15',
      Line: [
        { DetailType: 'SalesItemLineDetail', Amount: 337.5, SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 4.5, UnitPrice: 75 } },
        { DetailType: 'SalesItemLineDetail', Amount: 100, SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 1, UnitPrice: 100 } },
      ],
      ...extra,
    });

  itWithFixtures('computes totals, SubTotal line, DocNumber, DueDate and Balance like the recorded create', async () => {
    const c = await customer();
    const item = await serviceItem();
    const res = await invoice(c.Id, item.Id);
    expect(res.status).toBe(200);
    const inv = res.body.Invoice;
    const recorded = fixture('invoice_create_response.json').Invoice;
    for (const key of ['Id', 'SyncToken', 'DocNumber', 'TxnDate', 'DueDate', 'TotalAmt', 'Balance', 'Line', 'CustomerRef', 'LinkedTxn', 'TxnTaxDetail', 'CurrencyRef', 'PrintStatus', 'EmailStatus']) {
      expect(inv, key).toHaveProperty(key);
      expect(typeof inv[key], key).toBe(typeof recorded[key]);
    }
    expect(inv).toMatchObject({ TotalAmt: 437.5, Balance: 437.5, DueDate: '2026-02-14', DocNumber: '1001', CustomerRef: { value: c.Id, name: c.DisplayName } });
    expect(inv.Line.at(-1)).toEqual({ Amount: 437.5, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
    expect(inv.Line[0]).toMatchObject({ Id: '1', LineNum: 1, SalesItemLineDetail: { ItemRef: { value: item.Id, name: 'Design' }, ItemAccountRef: { name: 'Services' } } });
    expect(inv.BillAddr).toMatchObject({ Line1: '4581 Finch St.' });
    expect((await h.api('GET', `/customer/${c.Id}`)).body.Customer.Balance).toBe(437.5);
    expect((await invoice(c.Id, item.Id)).body.Invoice.DocNumber).toBe('1002');
  });

  it('refuses Amount ≠ Qty × UnitPrice (6070), a missing CustomerRef or Line (2020)', async () => {
    const c = await customer();
    const item = await serviceItem();
    const bad = await h.api('POST', '/invoice', { CustomerRef: { value: c.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 2, UnitPrice: 4 } }] });
    expect(bad.body.Fault.Error[0].code).toBe('6070');
    expect((await h.api('POST', '/invoice', { Line: [] })).body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'CustomerRef' });
    expect((await h.api('POST', '/invoice', { CustomerRef: { value: c.Id } })).body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'Line' });
    expect((await h.api('POST', '/invoice', { CustomerRef: { value: '424242' }, Line: [{ DetailType: 'DescriptionOnly', Description: 'x' }] })).body.Fault.Error[0].code).toBe('610');
  });

  it('refuses a duplicate DocNumber (6140) unless include=allowduplicatedocnum', async () => {
    const c = await customer();
    const item = await serviceItem();
    await invoice(c.Id, item.Id, { DocNumber: 'App_1000' });
    const dup = await invoice(c.Id, item.Id, { DocNumber: 'App_1000' });
    expect(dup.status).toBe(400);
    expect(dup.body.Fault.Error[0]).toMatchObject({ code: '6140', Message: 'Duplicate Document Number Error' });
    expect(dup.body.Fault.Error[0].Detail).toContain('DocNumber=App_1000 is assigned to TxnType=Invoice with TxnId=');
    const allowed = await h.api('POST', '/invoice?include=allowduplicatedocnum', {
      CustomerRef: { value: c.Id }, DocNumber: 'App_1000', Line: [{ DetailType: 'SalesItemLineDetail', Amount: 75, SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 1, UnitPrice: 75 } }],
    });
    expect(allowed.status).toBe(200);
  });

  it('custom transaction numbers: no DocNumber unless one is sent', async () => {
    const prefs = (await h.api('GET', '/preferences')).body.Preferences;
    const up = await h.api('POST', '/preferences', { SyncToken: prefs.SyncToken, sparse: true, SalesFormsPrefs: { CustomTxnNumbers: true } });
    expect(up.body.Preferences.SalesFormsPrefs).toMatchObject({ CustomTxnNumbers: true, AllowEstimates: true });
    const c = await customer();
    const item = await serviceItem();
    expect((await invoice(c.Id, item.Id)).body.Invoice.DocNumber).toBeUndefined();
  });

  it('applying a payment lowers Balance and links both sides; the invoice SyncToken moves', async () => {
    const c = await customer();
    const item = await serviceItem();
    const inv = (await invoice(c.Id, item.Id)).body.Invoice;
    const pay = await h.api('POST', '/payment', { CustomerRef: { value: c.Id }, TotalAmt: 500, Line: [{ Amount: 400, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] });
    expect(pay.status).toBe(200);
    expect(pay.body.Payment).toMatchObject({ TotalAmt: 500, UnappliedAmt: 100, DepositToAccountRef: { name: 'Undeposited Funds' } });
    const after = (await h.api('GET', `/invoice/${inv.Id}`)).body.Invoice;
    expect(after).toMatchObject({ Balance: 37.5, SyncToken: '1', LinkedTxn: [{ TxnId: pay.body.Payment.Id, TxnType: 'Payment' }] });
    expect((await h.api('GET', `/customer/${c.Id}`)).body.Customer.Balance).toBe(-62.5);

    const over = await h.api('POST', '/payment', { CustomerRef: { value: c.Id }, TotalAmt: 50, Line: [{ Amount: 50, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] });
    expect(over.body.Fault.Error[0].code).toBe('6000');

    // Editing an invoice with a stale token after the payment touched it is 5010.
    expect((await h.api('POST', '/invoice', { Id: inv.Id, SyncToken: inv.SyncToken, sparse: true, PrivateNote: 'x' })).body.Fault.Error[0].code).toBe('5010');
    expect((await h.api('POST', '/invoice?operation=delete', { Id: inv.Id, SyncToken: after.SyncToken })).body.Fault.Error[0].code).toBe('6000');

    const voided = await h.api('POST', '/payment?operation=update&include=void', { Id: pay.body.Payment.Id, SyncToken: pay.body.Payment.SyncToken, sparse: true });
    expect(voided.body.Payment).toMatchObject({ TotalAmt: 0, UnappliedAmt: 0, PrivateNote: 'Voided', SyncToken: '1' });
    const restored = (await h.api('GET', `/invoice/${inv.Id}`)).body.Invoice;
    expect(restored).toMatchObject({ Balance: 437.5, LinkedTxn: [], SyncToken: '2' });
  });

  itWithFixtures('voids an invoice like the recorded void and deletes a transaction with a Deleted stub', async () => {
    const c = await customer();
    const item = await serviceItem();
    const inv = (await invoice(c.Id, item.Id)).body.Invoice;
    const viaUpdate = await h.api('POST', '/invoice?operation=update&include=void', { Id: inv.Id, SyncToken: inv.SyncToken, sparse: true });
    expect(viaUpdate.body.Fault.Error[0].code).toBe('500');
    const v = await h.api('POST', '/invoice?operation=void', { Id: inv.Id, SyncToken: inv.SyncToken });
    const recorded = fixture('invoice_void_response.json').Invoice;
    expect(v.body.Invoice).toMatchObject({ TotalAmt: recorded.TotalAmt, Balance: recorded.Balance, PrivateNote: recorded.PrivateNote, SyncToken: '1' });
    expect(v.body.Invoice.Line[0].Amount).toBe(0);
    expect(v.body.Invoice.Line[0].SalesItemLineDetail.Qty).toBeUndefined();

    const inv2 = (await invoice(c.Id, item.Id)).body.Invoice;
    const del = await h.api('POST', '/invoice?operation=delete', { Id: inv2.Id, SyncToken: inv2.SyncToken });
    expect(Object.keys(del.body).sort()).toEqual(Object.keys(fixture('invoice_delete_response.json')).sort());
    expect(del.body.Invoice).toEqual({ domain: 'QBO', status: 'Deleted', Id: inv2.Id });
    const gone = await h.api('GET', `/invoice/${inv2.Id}`);
    expect(gone.body.Fault.Error[0]).toMatchObject({ code: '610', Detail: 'Object Not Found : Another user has deleted this transaction.' });
  });

  it('upserts lines by Id and drops lines left out', async () => {
    const c = await customer();
    const item = await serviceItem();
    const inv = (await invoice(c.Id, item.Id)).body.Invoice;
    const first = inv.Line[0];
    const up = await h.api('POST', '/invoice', {
      Id: inv.Id, SyncToken: inv.SyncToken, sparse: true,
      Line: [{ ...first, Amount: 150, SalesItemLineDetail: { ...first.SalesItemLineDetail, Qty: 2 } }, { DetailType: 'SalesItemLineDetail', Amount: 5, SalesItemLineDetail: { ItemRef: { value: item.Id } } }],
    });
    expect(up.status).toBe(200);
    const lines = up.body.Invoice.Line;
    expect(lines.map((l: { Id?: string }) => l.Id)).toEqual(['1', '3', undefined]);
    expect(up.body.Invoice.TotalAmt).toBe(155);
  });
});

describe('other transactions', () => {
  it('sales receipt, estimate, purchase order, bill and a balanced journal entry', async () => {
    const c = await customer();
    const item = await serviceItem();
    const line = { DetailType: 'SalesItemLineDetail', Amount: 75, SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 1, UnitPrice: 75 } };
    const sr = await h.api('POST', '/salesreceipt', { Line: [line] });
    expect(sr.body.SalesReceipt).toMatchObject({ TotalAmt: 75, Balance: 0, DepositToAccountRef: { name: 'Undeposited Funds' } });
    const srVoid = await h.api('POST', '/salesreceipt?operation=update&include=void', { Id: sr.body.SalesReceipt.Id, SyncToken: '0', sparse: true });
    expect(srVoid.body.SalesReceipt).toMatchObject({ TotalAmt: 0, PrivateNote: 'Voided' });
    expect((await h.api('POST', '/estimate', { Line: [line] })).body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'CustomerRef' });
    expect((await h.api('POST', '/estimate', { CustomerRef: { value: c.Id }, Line: [line] })).body.Estimate).toMatchObject({ TxnStatus: 'Pending', TotalAmt: 75 });

    const vendor = (await h.api('POST', '/vendor', { DisplayName: 'Norton Lumber' })).body.Vendor;
    const expense = await accountId('Office Expenses');
    const po = await h.api('POST', '/purchaseorder', { VendorRef: { value: vendor.Id }, Line: [{ DetailType: 'AccountBasedExpenseLineDetail', Amount: 20, AccountBasedExpenseLineDetail: { AccountRef: { value: expense } } }] });
    expect(po.body.PurchaseOrder).toMatchObject({ POStatus: 'Open', TotalAmt: 20, APAccountRef: { name: 'Accounts Payable (A/P)' } });
    const bill = await h.api('POST', '/bill', { VendorRef: { value: vendor.Id }, Line: [{ DetailType: 'AccountBasedExpenseLineDetail', Amount: 99.99, AccountBasedExpenseLineDetail: { AccountRef: { value: expense } } }] });
    expect(bill.body.Bill).toMatchObject({ TotalAmt: 99.99, Balance: 99.99 });
    expect((await h.api('GET', `/vendor/${vendor.Id}`)).body.Vendor.Balance).toBe(99.99);
    expect((await h.api('POST', '/bill', { Line: [] })).body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'VendorRef' });

    const checking = await accountId('Checking');
    const je = (amounts: [number, number]) => h.api('POST', '/journalentry', {
      Line: [
        { DetailType: 'JournalEntryLineDetail', Amount: amounts[0], JournalEntryLineDetail: { PostingType: 'Debit', AccountRef: { value: expense } } },
        { DetailType: 'JournalEntryLineDetail', Amount: amounts[1], JournalEntryLineDetail: { PostingType: 'Credit', AccountRef: { value: checking } } },
      ],
    });
    expect((await je([10, 9])).body.Fault.Error[0].code).toBe('6000');
    expect((await je([10, 10])).body.JournalEntry).toMatchObject({ TotalAmt: 10, Adjustment: false });
  });

  itWithFixtures('serves CompanyInfo and Preferences, which update but never delete', async () => {
    const info = await h.api('GET', `/companyinfo/${h.realmId}`);
    expect(info.body.CompanyInfo).toMatchObject({ Id: '1', CompanyName: 'Sandbox Company_US_1', Country: 'US', CompanyAddr: { Country: 'USA' } });
    const up = await h.api('POST', '/companyinfo', { Id: '1', SyncToken: info.body.CompanyInfo.SyncToken, sparse: true, LegalName: 'Sandbox LLC' });
    expect(up.body.CompanyInfo).toMatchObject({ LegalName: 'Sandbox LLC', SyncToken: '1', CompanyName: 'Sandbox Company_US_1' });
    expect((await h.api('POST', '/companyinfo?operation=delete', { Id: '1', SyncToken: '1' })).body.Fault.Error[0].code).toBe('500');
    const prefs = await h.api('GET', '/preferences');
    expect(Object.keys(prefs.body.Preferences)).toEqual(expect.arrayContaining(Object.keys(fixture('preferences_read.json').Preferences).filter((k) => k !== 'EmailMessagesPrefs')));
  });
});
