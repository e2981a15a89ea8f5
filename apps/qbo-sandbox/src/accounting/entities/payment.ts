// Payment: TotalAmt and CustomerRef required; lines apply amounts to the customer's invoices
// (never more than an invoice's open balance, never more than TotalAmt); UnappliedAmt is the rest.
// Writing, voiding or deleting a payment moves the invoices' Balance and LinkedTxn with it.

import { businessValidation, deletedTransaction, objectNotFound, requiredParam } from '../../faults/fault-catalog.js';
import type { Body, QboObject } from '../../store/company.js';
import { tombstonesOf } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';
import { isBlank, maxLength } from '../field-rules.js';
import { round2, toNumber } from '../money.js';
import { appliedLinesOf, paymentsApplied, refreshCustomerBalances, refreshInvoices } from '../payment-links.js';
import { findAccountBySubType, findVisible, optionalRef, resolveRef } from '../references.js';
import { applyHomeAmounts, applyTxnHeader, voidNote } from '../transaction-rules.js';

const known = new Set([
  'TxnDate', 'CurrencyRef', 'ExchangeRate', 'PrivateNote', 'Line', 'CustomerRef', 'DepositToAccountRef', 'PaymentMethodRef',
  'PaymentRefNum', 'ARAccountRef', 'TotalAmt', 'UnappliedAmt', 'HomeTotalAmt', 'ProcessPayment', 'CreditCardPayment',
  'TxnSource', 'TransactionLocationType', 'TaxExemptionRef', 'LinkedTxn', 'TxnStatus', 'DocNumber', 'ProjectRef',
]);

export const paymentDefinition: EntityDefinition = {
  name: 'Payment',
  kind: 'transaction',
  known,
  prepare(body, ctx, existing) {
    const out = applyTxnHeader(body, ctx);
    if (out.TotalAmt === undefined || out.TotalAmt === null) throw requiredParam('TotalAmt');
    if (isBlank(out.CustomerRef)) throw requiredParam('CustomerRef');
    const total = toNumber(out.TotalAmt);
    if (total === undefined || total < 0) throw businessValidation('TotalAmt must be a number of zero or more.', 'TotalAmt');
    out.TotalAmt = round2(total);
    const customer = resolveRef(ctx, 'Customer', out.CustomerRef, 'CustomerRef');
    out.CustomerRef = customer.ref;
    maxLength(out, 'PaymentRefNum', 21);

    const lines = Array.isArray(out.Line) ? (out.Line as Body[]) : [];
    let applied = 0;
    const perInvoice = new Map<string, number>();
    out.Line = lines.map((line, i) => {
      const amount = toNumber(line.Amount);
      if (amount === undefined) throw requiredParam('Line.Amount');
      const links = (line.LinkedTxn as Body[] | undefined) ?? [];
      if (links.length === 0) throw requiredParam('Line.LinkedTxn');
      for (const link of links) {
        if (link.TxnType !== 'Invoice') {
          throw businessValidation(`Line ${i + 1}: the sandbox applies payments to invoices only (TxnType "${String(link.TxnType)}").`, 'Line.LinkedTxn.TxnType');
        }
        const invoiceId = String(link.TxnId);
        const invoice = findVisible(ctx, 'Invoice', invoiceId);
        if (!invoice) throw tombstonesOf(ctx.company, 'Invoice').has(invoiceId) ? deletedTransaction() : objectNotFound();
        if (invoice.CustomerRef?.value !== out.CustomerRef.value) {
          throw businessValidation(`Invoice ${invoiceId} belongs to another customer.`, 'Line.LinkedTxn.TxnId');
        }
        perInvoice.set(invoiceId, round2((perInvoice.get(invoiceId) ?? 0) + amount));
      }
      applied += amount;
      return { Amount: round2(amount), LinkedTxn: links.map((l) => ({ TxnId: String(l.TxnId), TxnType: 'Invoice' })) };
    });
    for (const [invoiceId, amount] of perInvoice) {
      const invoice = findVisible(ctx, 'Invoice', invoiceId) as QboObject;
      const byOthers = [...paymentsApplied(ctx, invoiceId, existing?.Id).values()].reduce((a, b) => a + b, 0);
      const open = round2(Number(invoice.TotalAmt ?? 0) - byOthers);
      if (amount > open + 0.005) {
        throw businessValidation(`The payment amount applied to invoice ${invoiceId} (${amount}) is more than its open balance (${open}).`, 'Line.Amount');
      }
    }
    applied = round2(applied);
    if (applied > out.TotalAmt + 0.005) {
      throw businessValidation(`The amounts applied (${applied}) are more than the payment's TotalAmt (${out.TotalAmt}).`, 'TotalAmt');
    }
    out.UnappliedAmt = round2(out.TotalAmt - applied);
    out.DepositToAccountRef = optionalRef(ctx, 'Account', out.DepositToAccountRef, 'DepositToAccountRef') ?? findAccountBySubType(ctx, 'UndepositedFunds');
    if (!out.DepositToAccountRef) delete out.DepositToAccountRef;
    const ar = optionalRef(ctx, 'Account', out.ARAccountRef, 'ARAccountRef');
    if (ar) out.ARAccountRef = ar;
    if (out.ProcessPayment === undefined) out.ProcessPayment = false;
    applyHomeAmounts(out, ctx);
    return out;
  },
  voided(existing) {
    return {
      ...existing,
      TotalAmt: 0,
      UnappliedAmt: 0,
      Line: ((existing.Line as Body[] | undefined) ?? []).map((l) => ({ ...l, Amount: 0 })),
      ...(existing.HomeTotalAmt !== undefined ? { HomeTotalAmt: 0 } : {}),
      PrivateNote: voidNote(existing.PrivateNote),
    };
  },
  afterWrite(ctx, before, after) {
    const touched = [...(before ? appliedLinesOf(before) : []), ...(after ? appliedLinesOf(after) : [])].map((a) => a.invoiceId);
    refreshInvoices(ctx, touched);
    refreshCustomerBalances(ctx, [before?.CustomerRef?.value, after?.CustomerRef?.value]);
  },
};
