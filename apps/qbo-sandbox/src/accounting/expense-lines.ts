// Lines of purchase forms (PurchaseOrder, Bill): item-based lines (Amount = Qty × UnitPrice) and
// account-based lines; TotalAmt is their sum.

import { amountMismatch, invalidEnumeration, requiredParam } from '../faults/fault-catalog.js';
import type { Body, QboObject } from '../store/company.js';
import { recordsOf } from '../store/company.js';
import { isBlank, maxLength, oneOf } from './field-rules.js';
import { round2, toNumber } from './money.js';
import { resolveRef } from './references.js';
import { assignLineIds } from './transaction-rules.js';
import type { WriteContext } from './write-context.js';

export const EXPENSE_FORM_PROPERTIES = [
  'DocNumber', 'TxnDate', 'DepartmentRef', 'CurrencyRef', 'ExchangeRate', 'PrivateNote', 'LinkedTxn', 'Line', 'VendorRef',
  'APAccountRef', 'TotalAmt', 'HomeTotalAmt', 'ClassRef', 'TransactionLocationType', 'TxnSource', 'Tag', 'ProjectRef',
];

export const prepareExpenseLines = (
  raw: Body[],
  ctx: WriteContext,
  existing: QboObject | undefined,
  atLeastOne: boolean,
): { lines: Body[]; total: number } => {
  if (atLeastOne && raw.length === 0) throw requiredParam('Line');
  let total = 0;
  const lines = assignLineIds(raw, existing).map((line, i) => {
    if (isBlank(line.DetailType)) throw requiredParam('Line.DetailType');
    maxLength(line, 'Description', 4000, 'Line.Description');
    if (line.Amount === undefined || line.Amount === null) throw requiredParam('Line.Amount');
    const amount = toNumber(line.Amount);
    if (amount === undefined) throw requiredParam('Line.Amount');
    const l: Body = { ...line, Amount: round2(amount), LineNum: i + 1 };
    if (l.DetailType === 'ItemBasedExpenseLineDetail') {
      const d: Body = { ...(l.ItemBasedExpenseLineDetail ?? {}) };
      d.ItemRef = resolveRef(ctx, 'Item', d.ItemRef, 'Line.ItemBasedExpenseLineDetail.ItemRef').ref;
      const qty = toNumber(d.Qty);
      const price = toNumber(d.UnitPrice);
      if (qty !== undefined && price !== undefined && Math.abs(round2(qty * price) - l.Amount) > 0.005) throw amountMismatch(i + 1);
      if (d.CustomerRef) d.CustomerRef = resolveRef(ctx, 'Customer', d.CustomerRef, 'Line.ItemBasedExpenseLineDetail.CustomerRef').ref;
      oneOf(d, 'BillableStatus', ['Billable', 'NotBillable', 'HasBeenBilled'], 'Line.ItemBasedExpenseLineDetail.BillableStatus');
      if (d.BillableStatus === undefined) d.BillableStatus = 'NotBillable';
      if (!d.TaxCodeRef) d.TaxCodeRef = { value: 'NON' };
      l.ItemBasedExpenseLineDetail = d;
    } else if (l.DetailType === 'AccountBasedExpenseLineDetail') {
      const d: Body = { ...(l.AccountBasedExpenseLineDetail ?? {}) };
      d.AccountRef = resolveRef(ctx, 'Account', d.AccountRef, 'Line.AccountBasedExpenseLineDetail.AccountRef').ref;
      if (d.CustomerRef) d.CustomerRef = resolveRef(ctx, 'Customer', d.CustomerRef, 'Line.AccountBasedExpenseLineDetail.CustomerRef').ref;
      oneOf(d, 'BillableStatus', ['Billable', 'NotBillable', 'HasBeenBilled'], 'Line.AccountBasedExpenseLineDetail.BillableStatus');
      if (d.BillableStatus === undefined) d.BillableStatus = 'NotBillable';
      if (!d.TaxCodeRef) d.TaxCodeRef = { value: 'NON' };
      l.AccountBasedExpenseLineDetail = d;
    } else {
      throw invalidEnumeration('Line.DetailType', String(l.DetailType));
    }
    total += l.Amount as number;
    return l;
  });
  return { lines, total: round2(total) };
};

/** Vendor Balance = open bills (read-only, no SyncToken change). */
export const refreshVendorBalances = (ctx: WriteContext, vendorIds: Iterable<string | undefined>): void => {
  const vendors = recordsOf(ctx.company, 'Vendor');
  for (const id of new Set([...vendorIds].filter((x): x is string => !!x))) {
    const rec = vendors.get(id);
    if (!rec) continue;
    let balance = 0;
    for (const r of recordsOf(ctx.company, 'Bill').values()) if (r.object.VendorRef?.value === id) balance += Number(r.object.Balance ?? 0);
    balance = round2(balance);
    if (balance !== rec.object.Balance) vendors.set(id, { ...rec, object: { ...rec.object, Balance: balance } });
  }
};
