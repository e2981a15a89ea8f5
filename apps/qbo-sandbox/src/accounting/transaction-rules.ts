// Header rules every transaction shares: TxnDate default and shape, currency (CurrencyRef required
// when multicurrency is on, ExchangeRate → HomeTotalAmt), DocNumber numbering and duplicates (6140),
// note lengths, and Id-based line upsert (lines left out are removed).

import { businessValidation, duplicateDocNumber, requiredParam } from '../faults/fault-catalog.js';
import type { Body, QboObject } from '../store/company.js';
import { recordsOf } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import { pacificDate } from '../time/pacific-time.js';
import { isBlank, maxLength } from './field-rules.js';
import { round2, toNumber } from './money.js';
import { HOME_CURRENCY } from './person-rules.js';
import { customTxnNumbers, multiCurrency, otherPref } from './preferences-access.js';
import type { WriteContext } from './write-context.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const checkDate = (body: Body, field: string): void => {
  const v = body[field];
  if (v === undefined || v === null) return;
  if (typeof v !== 'string' || !DATE.test(v.slice(0, 10)) || Number.isNaN(Date.parse(v.slice(0, 10)))) {
    throw businessValidation(`${field} must be a date in the form YYYY-MM-DD. Supplied value:${String(v)}`, field);
  }
  body[field] = v.slice(0, 10);
};

export const applyTxnHeader = (body: Body, ctx: WriteContext): Body => {
  const out = { ...body };
  if (isBlank(out.TxnDate)) out.TxnDate = pacificDate(ctx.now);
  checkDate(out, 'TxnDate');
  checkDate(out, 'DueDate');
  maxLength(out, 'PrivateNote', 4000);
  maxLength(out, 'DocNumber', 21);
  if (out.CustomerMemo && typeof out.CustomerMemo.value === 'string') maxLength({ CustomerMemo: out.CustomerMemo.value }, 'CustomerMemo', 1000);

  const mc = multiCurrency(ctx.company);
  const currency = out.CurrencyRef?.value as string | undefined;
  if (mc.enabled) {
    if (!currency) throw requiredParam('CurrencyRef');
    out.CurrencyRef = currency === HOME_CURRENCY.value ? HOME_CURRENCY : { value: currency, name: currency };
    const rate = out.ExchangeRate === undefined ? 1 : toNumber(out.ExchangeRate);
    if (rate === undefined || rate <= 0) throw businessValidation('ExchangeRate must be a positive number.', 'ExchangeRate');
    out.ExchangeRate = currency === mc.home ? 1 : rate;
  } else {
    if (currency && currency !== mc.home) {
      throw businessValidation(`Multicurrency is not enabled for this company; CurrencyRef must be ${mc.home}.`, 'CurrencyRef');
    }
    out.CurrencyRef = HOME_CURRENCY;
    delete out.ExchangeRate;
  }
  return out;
};

/** HomeTotalAmt/HomeBalance exist only when the company uses multicurrency. */
export const applyHomeAmounts = (out: Body, ctx: WriteContext): void => {
  if (!multiCurrency(ctx.company).enabled) {
    delete out.HomeTotalAmt;
    delete out.HomeBalance;
    return;
  }
  const rate = Number(out.ExchangeRate ?? 1);
  out.HomeTotalAmt = round2(Number(out.TotalAmt ?? 0) * rate);
  if (out.Balance !== undefined) out.HomeBalance = round2(Number(out.Balance) * rate);
};

const TXN_TYPE_LABEL: Partial<Record<EntityName, string>> = {
  Invoice: 'Invoice',
  SalesReceipt: 'Sales Receipt',
  Estimate: 'Estimate',
  PurchaseOrder: 'Purchase Order',
  Bill: 'Bill',
  JournalEntry: 'Journal Entry',
};

/**
 * Sales forms are numbered by QBO unless the company uses custom transaction numbers. A number
 * already used by the same type is 6140 unless the request says include=allowduplicatedocnum
 * (bills and journal entries only when the company asks to be warned about duplicates).
 */
export const applyDocNumber = (entity: EntityName, out: Body, ctx: WriteContext, existing: QboObject | undefined): void => {
  const autoNumbered = entity === 'Invoice' || entity === 'SalesReceipt' || entity === 'Estimate' || entity === 'PurchaseOrder';
  if (isBlank(out.DocNumber)) {
    if (existing?.DocNumber && out.DocNumber === undefined) {
      out.DocNumber = existing.DocNumber;
    } else if (autoNumbered && !customTxnNumbers(ctx.company) && !existing) {
      const start = entity === 'PurchaseOrder' ? 1001 : 1001;
      let next = ctx.company.nextDocNumber.get(entity) ?? start;
      const used = new Set([...recordsOf(ctx.company, entity).values()].map((r) => r.object.DocNumber));
      while (used.has(String(next))) next += 1;
      ctx.company.nextDocNumber.set(entity, next + 1);
      out.DocNumber = String(next);
      return;
    } else {
      delete out.DocNumber;
      return;
    }
  }
  out.DocNumber = String(out.DocNumber);
  const checked =
    autoNumbered ||
    (entity === 'Bill' && otherPref(ctx.company, 'WarnDuplicateBillNumber') === 'true') ||
    (entity === 'JournalEntry' && otherPref(ctx.company, 'WarnDuplicateJournalNumber') === 'true');
  if (!checked || ctx.allowDuplicateDocNum) return;
  if (existing && existing.DocNumber === out.DocNumber) return;
  for (const rec of recordsOf(ctx.company, entity).values()) {
    if (rec.object.Id !== existing?.Id && rec.object.DocNumber === out.DocNumber) {
      throw duplicateDocNumber(out.DocNumber, TXN_TYPE_LABEL[entity] ?? entity, rec.object.Id);
    }
  }
};

/**
 * Line ids: a line whose Id names a line of the stored transaction updates it; any other line is
 * new and gets the next id. Lines not sent are gone.
 */
export const assignLineIds = (lines: Body[], existing: QboObject | undefined): Body[] => {
  const oldIds = new Set<string>(((existing?.Line as Body[] | undefined) ?? []).map((l) => String(l.Id)).filter((id) => id !== 'undefined'));
  let next = Math.max(0, ...[...oldIds].map(Number).filter(Number.isFinite)) + 1;
  return lines.map((l) => {
    const id = l.Id === undefined || l.Id === null ? undefined : String(l.Id);
    if (id && Number(id) > 0 && oldIds.has(id)) return { ...l, Id: id };
    return { ...l, Id: String(next++) };
  });
};

export const requireLines = (out: Body): Body[] => {
  if (!Array.isArray(out.Line) || out.Line.length === 0) throw requiredParam('Line');
  return out.Line as Body[];
};

/** The note a void leaves, as QBO writes it. */
export const voidNote = (note: unknown): string => (typeof note === 'string' && note !== '' ? `Voided - ${note}` : 'Voided');
