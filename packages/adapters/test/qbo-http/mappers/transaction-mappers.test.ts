// Invoice and payment ↔ QBO: the recorded payloads map field by field through the links; every mapped
// field round-trips; void, paid, partial and unpaid are read from QBO's amounts; unlinked references refuse.

import { invoiceSchema, paymentSchema } from '@qbo-sync/domain';
import { describe, expect, it } from 'vitest';
import {
  MissingReferenceError,
  type QboObject,
  invoiceFromQbo,
  invoiceToQbo,
  mapReferenceResolver,
  paidInvoiceQboIds,
  paymentFromQbo,
  paymentToQbo,
  transactionStatus,
} from '../../../src/qbo-http/mappers/index.js';
import { fixtureEntity, itWithFixtures } from './fixture.js';

const refs = mapReferenceResolver({
  customer: new Map([['cust-24', '24'], ['cust-1', '1'], ['cust-2', '2']]),
  item: new Map([['pump', '11'], ['fountain', '5']]),
  invoice: new Map([['inv-130', '130'], ['inv-131', '131']]),
});
const asRead = (body: Record<string, unknown>, extra: Record<string, unknown> = {}): QboObject => ({ ...body, Id: '900', SyncToken: '0', ...extra });

describe('invoice mapper', () => {
  itWithFixtures('reads the recorded invoice: links, lines, tax, totals and payment status', () => {
    const qbo = fixtureEntity('invoice_read.json', 'Invoice');
    expect(invoiceFromQbo(qbo, refs)).toEqual({
      number: '1037',
      customerLocalId: 'cust-24',
      currency: 'USD',
      issueDate: '2026-04-08',
      dueDate: '2026-05-08',
      lines: [
        { itemLocalId: 'fountain', description: 'Rock Fountain', quantity: 1, unitPrice: 275, taxable: true },
        { itemLocalId: 'pump', description: 'Fountain Pump', quantity: 1, unitPrice: 12.75, taxable: true },
        // Item 3 has no local link: it is named by its mirror id.
        { itemLocalId: 'qbo-3', description: 'Concrete for fountain installation', quantity: 5, unitPrice: 9.5, taxable: true },
      ],
      taxAmount: 26.82,
      taxCodeId: '2',
      memo: 'Thank you for your business and have a great day!',
      notes: 'Test update from Nango action retry',
      total: 362.07,
      balance: 362.07,
      paymentStatus: 'unpaid',
      voided: false,
    });
    expect(transactionStatus(qbo)).toBe('active');
  });

  itWithFixtures('reads the recorded void as voided, with the note it had before', () => {
    const qbo = fixtureEntity('invoice_void_response.json', 'Invoice');
    const invoice = invoiceFromQbo(qbo, refs);
    expect(invoice).toMatchObject({ voided: true, total: 0, customerLocalId: 'cust-1' });
    expect(invoice.paymentStatus).toBeUndefined();
    expect(invoice.notes).toBeUndefined();
    expect(transactionStatus(qbo)).toBe('voided');
    expect(transactionStatus({ Id: '1', SyncToken: '', status: 'Deleted' })).toBe('deleted');
  });

  it('round-trips every mapped field, with amounts as QBO checks them', () => {
    const invoice = invoiceSchema.parse({
      number: 'INV-0001',
      customerLocalId: 'cust-2',
      currency: 'USD',
      issueDate: '2026-05-01',
      dueDate: '2026-05-31',
      lines: [
        { itemLocalId: 'pump', description: 'Pump', quantity: 3, unitPrice: 12.75, taxable: true },
        { itemLocalId: 'fountain', quantity: 0.5, unitPrice: 275, taxable: false },
        { description: 'Delivered Tuesday', quantity: 0, unitPrice: 0 },
      ],
      discount: { percent: 10 },
      taxAmount: 3.06,
      taxCodeId: '2',
      memo: 'Thanks!',
      notes: 'Internal: rush',
    });
    const body = invoiceToQbo(invoice, refs);
    expect(body).toEqual({
      DocNumber: 'INV-0001',
      CustomerRef: { value: '2' },
      CurrencyRef: { value: 'USD' },
      TxnDate: '2026-05-01',
      DueDate: '2026-05-31',
      Line: [
        { DetailType: 'SalesItemLineDetail', Description: 'Pump', Amount: 38.25, SalesItemLineDetail: { ItemRef: { value: '11' }, Qty: 3, UnitPrice: 12.75, TaxCodeRef: { value: 'TAX' } } },
        { DetailType: 'SalesItemLineDetail', Amount: 137.5, SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: 0.5, UnitPrice: 275, TaxCodeRef: { value: 'NON' } } },
        { DetailType: 'DescriptionOnly', Description: 'Delivered Tuesday', DescriptionLineDetail: {} },
        { DetailType: 'DiscountLineDetail', DiscountLineDetail: { PercentBased: true, DiscountPercent: 10 } },
      ],
      TxnTaxDetail: { TotalTax: 3.06, TxnTaxCodeRef: { value: '2' } },
      CustomerMemo: { value: 'Thanks!' },
      PrivateNote: 'Internal: rush',
    });
    // What QBO adds: computed totals, a subtotal line. The canonical form takes total, balance and status from them.
    const read = asRead(body, { TotalAmt: 161.06, Balance: 61.06, Line: [...(body['Line'] as unknown[]), { Amount: 175.75, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }] });
    expect(invoiceFromQbo(read, refs)).toEqual({ ...invoice, total: 161.06, balance: 61.06, paymentStatus: 'partial' });
    const amountDiscount = invoiceSchema.parse({ ...invoice, discount: { amount: 5 } });
    const withAmount = invoiceToQbo(amountDiscount, refs);
    expect((withAmount['Line'] as unknown[]).at(-1)).toEqual({ DetailType: 'DiscountLineDetail', Amount: 5, DiscountLineDetail: { PercentBased: false } });
    expect(invoiceFromQbo(asRead(withAmount, { TotalAmt: 10, Balance: 0 }), refs)).toMatchObject({ discount: { amount: 5 }, paymentStatus: 'paid' });
  });

  it('updates sparsely with the version, and refuses a customer or item that is not linked yet', () => {
    const invoice = invoiceSchema.parse({ customerLocalId: 'cust-2', issueDate: '2026-05-01', lines: [{ itemLocalId: 'pump', unitPrice: 1 }] });
    expect(invoiceToQbo(invoice, refs, { Id: '130', SyncToken: '3' })).toMatchObject({ Id: '130', SyncToken: '3', sparse: true, PrivateNote: '', CustomerMemo: { value: '' } });
    expect(() => invoiceToQbo({ ...invoice, customerLocalId: 'nobody' }, refs)).toThrow(MissingReferenceError);
    expect(() => invoiceToQbo({ ...invoice, lines: [{ itemLocalId: 'ghost', quantity: 1, unitPrice: 1 }] }, refs)).toThrow(/lines\.0\.itemLocalId names item "ghost"/);
  });
});

describe('payment mapper', () => {
  itWithFixtures('reads the recorded unapplied payment', () => {
    const qbo = fixtureEntity('payment_read.json', 'Payment');
    expect(paymentFromQbo(qbo, refs)).toEqual({
      customerLocalId: 'cust-2',
      amount: 100,
      currency: 'USD',
      date: '2026-05-05',
      invoices: [],
      depositAccountId: '35',
      voided: false,
    });
    expect(paidInvoiceQboIds(qbo)).toEqual([]);
  });

  it('round-trips every mapped field and names the invoices whose status it changes', () => {
    const payment = paymentSchema.parse({
      customerLocalId: 'cust-24',
      amount: 150,
      currency: 'USD',
      date: '2026-05-06',
      reference: 'CHK 1042',
      invoices: [{ invoiceLocalId: 'inv-130', amount: 100 }, { invoiceLocalId: 'inv-131', amount: 50 }],
      depositAccountId: '35',
      notes: "Paid at the counter, 'cash'",
    });
    const body = paymentToQbo(payment, refs);
    expect(body).toEqual({
      CustomerRef: { value: '24' },
      TotalAmt: 150,
      CurrencyRef: { value: 'USD' },
      TxnDate: '2026-05-06',
      PaymentRefNum: 'CHK 1042',
      DepositToAccountRef: { value: '35' },
      PrivateNote: "Paid at the counter, 'cash'",
      Line: [
        { Amount: 100, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] },
        { Amount: 50, LinkedTxn: [{ TxnId: '131', TxnType: 'Invoice' }] },
      ],
    });
    const read = asRead(body);
    expect(paymentFromQbo(read, refs)).toEqual(payment);
    expect(paidInvoiceQboIds(read)).toEqual(['130', '131']);
    expect(paymentToQbo(payment, refs, { Id: '170', SyncToken: '1' })).toMatchObject({ Id: '170', SyncToken: '1', sparse: true });
  });

  it('reads a voided payment as voided with no invoices paid', () => {
    const voided = asRead({ CustomerRef: { value: '24' }, TotalAmt: 0, TxnDate: '2026-05-06', PrivateNote: 'Voided - counter', Line: [{ Amount: 0, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] }] });
    expect(paymentFromQbo(voided, refs)).toMatchObject({ voided: true, amount: 0, invoices: [], notes: 'counter' });
    expect(transactionStatus(voided)).toBe('voided');
  });
});
