// SalesReceipt: a sale paid at once. Lines required, customer optional, Balance always 0,
// deposited to Undeposited Funds unless told otherwise; can be voided.

import type { Body } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';
import { maxLength } from '../field-rules.js';
import { round2 } from '../money.js';
import { findAccountBySubType, optionalRef } from '../references.js';
import { prepareSalesLines, txnTax, voidSalesLines } from '../sales-lines.js';
import { applyDocNumber, applyHomeAmounts, applyTxnHeader, requireLines, voidNote } from '../transaction-rules.js';
import { SALES_FORM_PROPERTIES, prepareSalesHeader } from './invoice.js';

export const salesReceiptDefinition: EntityDefinition = {
  name: 'SalesReceipt',
  kind: 'transaction',
  known: new Set(SALES_FORM_PROPERTIES),
  prepare(body, ctx, existing) {
    const out = applyTxnHeader(body, ctx);
    prepareSalesHeader(out, ctx, false);
    const { lines, subtotal, discount } = prepareSalesLines(requireLines(out), ctx, existing);
    out.Line = lines;
    const tax = txnTax(out);
    out.TotalAmt = round2(subtotal - discount + tax);
    out.Balance = 0;
    maxLength(out, 'PaymentRefNum', 21);
    out.DepositToAccountRef = optionalRef(ctx, 'Account', out.DepositToAccountRef, 'DepositToAccountRef') ?? findAccountBySubType(ctx, 'UndepositedFunds');
    if (!out.DepositToAccountRef) delete out.DepositToAccountRef;
    const pm = out.PaymentMethodRef;
    if (pm) out.PaymentMethodRef = { value: String(pm.value), ...(pm.name ? { name: pm.name } : {}) };
    applyDocNumber('SalesReceipt', out, ctx, existing);
    delete out.DueDate;
    applyHomeAmounts(out, ctx);
    return out;
  },
  voided(existing) {
    const v: Body = {
      ...existing,
      Line: voidSalesLines(existing.Line as Body[]),
      TxnTaxDetail: { TotalTax: 0 },
      TotalAmt: 0,
      Balance: 0,
      PrivateNote: voidNote(existing.PrivateNote),
    };
    if (existing.HomeTotalAmt !== undefined) v.HomeTotalAmt = 0;
    return v;
  },
};
