// Lines of sales forms (Invoice, SalesReceipt, Estimate): item lines with Amount = Qty × UnitPrice
// (6070), discounts, description-only lines, and the SubTotal line QBO computes itself.

import { amountMismatch, businessValidation, invalidEnumeration, requiredParam } from '../faults/fault-catalog.js';
import type { Body, QboObject } from '../store/company.js';
import { isBlank, maxLength } from './field-rules.js';
import { round2, toNumber } from './money.js';
import { resolveRef } from './references.js';
import { assignLineIds } from './transaction-rules.js';
import type { WriteContext } from './write-context.js';

const SALES_DETAIL_TYPES = ['SalesItemLineDetail', 'GroupLineDetail', 'DescriptionOnly', 'DiscountLineDetail', 'SubTotalLineDetail'];

const amountOf = (line: Body, index: number): number => {
  if (line.Amount === undefined || line.Amount === null) throw requiredParam('Line.Amount');
  const amount = toNumber(line.Amount);
  if (amount === undefined) throw businessValidation(`Line ${index + 1}: Amount must be a number.`, 'Line.Amount');
  if (Math.abs(amount) >= 1e10) throw businessValidation(`Line ${index + 1}: Amount exceeds 10 digits before the decimal point.`, 'Line.Amount');
  return round2(amount);
};

export interface SalesTotals {
  lines: Body[];
  subtotal: number;
  discount: number;
}

export const prepareSalesLines = (rawLines: Body[], ctx: WriteContext, existing: QboObject | undefined): SalesTotals => {
  const withoutSubtotals = rawLines.filter((l) => l && l.DetailType !== 'SubTotalLineDetail');
  const lines = assignLineIds(withoutSubtotals, existing);
  let subtotal = 0;
  let lineNum = 0;
  const out: Body[] = [];
  const discounts: Body[] = [];
  lines.forEach((line, i) => {
    if (isBlank(line.DetailType)) throw requiredParam('Line.DetailType');
    if (!SALES_DETAIL_TYPES.includes(line.DetailType)) throw invalidEnumeration('Line.DetailType', String(line.DetailType));
    maxLength(line, 'Description', 4000, 'Line.Description');
    const l: Body = { ...line };
    if (l.DetailType === 'SalesItemLineDetail') {
      const d: Body = { ...(l.SalesItemLineDetail ?? {}) };
      const amount = amountOf(l, i);
      const qty = toNumber(d.Qty);
      const price = toNumber(d.UnitPrice);
      if (qty !== undefined && price !== undefined && Math.abs(round2(qty * price) - amount) > 0.005) throw amountMismatch(i + 1);
      if (qty !== undefined) d.Qty = qty;
      if (price !== undefined) d.UnitPrice = price;
      if (qty !== undefined && price === undefined && qty !== 0) d.UnitPrice = round2(amount / qty);
      if (d.ItemRef !== undefined) {
        const { ref, target } = resolveRef(ctx, 'Item', d.ItemRef, 'Line.SalesItemLineDetail.ItemRef');
        d.ItemRef = ref;
        if (target.IncomeAccountRef) d.ItemAccountRef = target.IncomeAccountRef;
      }
      if (!d.TaxCodeRef) d.TaxCodeRef = { value: 'NON' };
      l.Amount = amount;
      l.SalesItemLineDetail = d;
      l.LineNum = ++lineNum;
      subtotal += amount;
    } else if (l.DetailType === 'GroupLineDetail') {
      l.Amount = l.Amount === undefined ? 0 : amountOf(l, i);
      l.LineNum = ++lineNum;
      subtotal += l.Amount as number;
    } else if (l.DetailType === 'DescriptionOnly') {
      l.LineNum = ++lineNum;
      if (l.Amount !== undefined) l.Amount = amountOf(l, i);
    } else if (l.DetailType === 'DiscountLineDetail') {
      discounts.push(l);
      return;
    }
    out.push(l);
  });
  subtotal = round2(subtotal);
  let discount = 0;
  for (const l of discounts) {
    const d: Body = { ...(l.DiscountLineDetail ?? {}) };
    let amount: number;
    if (d.PercentBased === true || d.PercentBased === 'true') {
      const pct = toNumber(d.DiscountPercent);
      if (pct === undefined) throw requiredParam('Line.DiscountLineDetail.DiscountPercent');
      d.PercentBased = true;
      d.DiscountPercent = pct;
      amount = round2((subtotal * pct) / 100);
    } else {
      amount = amountOf(l, out.length);
      d.PercentBased = false;
    }
    if (d.DiscountAccountRef) d.DiscountAccountRef = resolveRef(ctx, 'Account', d.DiscountAccountRef, 'Line.DiscountLineDetail.DiscountAccountRef').ref;
    discount += amount;
    out.push({ ...l, Amount: amount, DiscountLineDetail: d });
  }
  out.push({ Amount: subtotal, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
  return { lines: out, subtotal, discount: round2(discount) };
};

/** Tax is taken as sent (the sandbox has no tax engine); absent means none. */
export const txnTax = (out: Body): number => {
  const total = toNumber(out.TxnTaxDetail?.TotalTax) ?? 0;
  out.TxnTaxDetail = { ...(out.TxnTaxDetail ?? {}), TotalTax: round2(total) };
  return round2(total);
};

/** Voided sales lines keep their items but lose quantities, prices and amounts. */
export const voidSalesLines = (lines: Body[] | undefined): Body[] =>
  (lines ?? []).map((l) => {
    const v: Body = { ...l, Amount: 0 };
    if (l.SalesItemLineDetail) {
      const { Qty: _q, UnitPrice: _p, ...rest } = l.SalesItemLineDetail as Body;
      v.SalesItemLineDetail = rest;
    }
    return v;
  });
