// Invoice: CustomerRef and at least one line; DocNumber numbering; TotalAmt from lines, discount
// and tax; Balance = TotalAmt − payments applied; void zeroes it; payments block delete/void.

import { businessValidation, requiredParam } from '../../faults/fault-catalog.js';
import type { Body } from '../../store/company.js';
import { addDays } from '../../time/pacific-time.js';
import type { EntityDefinition } from '../entity-definition.js';
import { isBlank, oneOf } from '../field-rules.js';
import { round2 } from '../money.js';
import { invoicePaymentState, paymentsApplied, refreshCustomerBalances } from '../payment-links.js';
import { optionalRef, resolveRef } from '../references.js';
import { prepareSalesLines, txnTax, voidSalesLines } from '../sales-lines.js';
import { applyDocNumber, applyHomeAmounts, applyTxnHeader, requireLines, voidNote } from '../transaction-rules.js';

export const SALES_FORM_PROPERTIES = [
  'DocNumber', 'TxnDate', 'DepartmentRef', 'CurrencyRef', 'ExchangeRate', 'PrivateNote', 'TxnStatus', 'LinkedTxn', 'Line',
  'TxnTaxDetail', 'CustomerRef', 'CustomerMemo', 'BillAddr', 'ShipAddr', 'ShipFromAddr', 'FreeFormAddress', 'ClassRef',
  'SalesTermRef', 'DueDate', 'ShipMethodRef', 'ShipDate', 'TrackingNum', 'GlobalTaxCalculation', 'TotalAmt', 'HomeTotalAmt',
  'ApplyTaxAfterDiscount', 'PrintStatus', 'EmailStatus', 'BillEmail', 'BillEmailCc', 'BillEmailBcc', 'Balance', 'HomeBalance',
  'DeliveryInfo', 'CustomField', 'TransactionLocationType', 'TaxExemptionRef', 'RecurDataRef', 'TxnSource', 'Tag',
  'ProjectRef', 'PaymentMethodRef', 'PaymentRefNum', 'DepositToAccountRef', 'AllowIPNPayment', 'AllowOnlinePayment',
  'AllowOnlineCreditCardPayment', 'AllowOnlineACHPayment', 'InvoiceLink', 'Deposit', 'CreditCardPayment', 'PONumber',
];

const known = new Set(SALES_FORM_PROPERTIES);

/** Header fields of sales forms: customer (with address defaults), statuses, e-mail rule. */
export const prepareSalesHeader = (out: Body, ctx: Parameters<EntityDefinition['prepare']>[1], customerRequired: boolean) => {
  if (customerRequired && isBlank(out.CustomerRef)) throw requiredParam('CustomerRef');
  if (out.CustomerRef) {
    const { ref, target } = resolveRef(ctx, 'Customer', out.CustomerRef, 'CustomerRef');
    out.CustomerRef = ref;
    if (!out.BillAddr && target.BillAddr) out.BillAddr = target.BillAddr;
    if (!out.ShipAddr && target.ShipAddr) out.ShipAddr = target.ShipAddr;
    if (!out.BillEmail && target.PrimaryEmailAddr?.Address) out.BillEmail = { Address: target.PrimaryEmailAddr.Address };
  }
  oneOf(out, 'PrintStatus', ['NotSet', 'NeedToPrint', 'PrintComplete']);
  oneOf(out, 'EmailStatus', ['NotSet', 'NeedToSend', 'EmailSent']);
  if (out.EmailStatus === 'NeedToSend' && isBlank(out.BillEmail?.Address)) throw requiredParam('BillEmail');
  if (out.PrintStatus === undefined) out.PrintStatus = 'NotSet';
  if (out.EmailStatus === undefined) out.EmailStatus = 'NotSet';
  if (out.ApplyTaxAfterDiscount === undefined) out.ApplyTaxAfterDiscount = false;
  for (const f of ['ClassRef', 'DepartmentRef'] as const) if (out[f]) out[f] = { value: String(out[f].value), ...(out[f].name ? { name: out[f].name } : {}) };
};

export const invoiceDefinition: EntityDefinition = {
  name: 'Invoice',
  kind: 'transaction',
  known,
  prepare(body, ctx, existing) {
    const out = applyTxnHeader(body, ctx);
    prepareSalesHeader(out, ctx, true);
    const { lines, subtotal, discount } = prepareSalesLines(requireLines(out), ctx, existing);
    out.Line = lines;
    const tax = txnTax(out);
    out.TotalAmt = round2(subtotal - discount + tax);
    if (out.TotalAmt < 0) throw businessValidation('The invoice total cannot be negative.', 'TotalAmt');
    if (isBlank(out.DueDate)) out.DueDate = addDays(out.TxnDate as string, 30);
    const deposit = optionalRef(ctx, 'Account', out.DepositToAccountRef, 'DepositToAccountRef');
    if (deposit) out.DepositToAccountRef = deposit;
    applyDocNumber('Invoice', out, ctx, existing);
    const { applied, linked } = invoicePaymentState(ctx, out, existing?.Id);
    if (applied > out.TotalAmt) {
      throw businessValidation(`The invoice total (${out.TotalAmt}) is less than the payments applied to it (${applied}).`, 'TotalAmt');
    }
    out.LinkedTxn = linked;
    out.Balance = round2(out.TotalAmt - applied);
    if (out.AllowOnlinePayment === undefined) out.AllowOnlinePayment = false;
    if (out.AllowIPNPayment === undefined) out.AllowIPNPayment = false;
    applyHomeAmounts(out, ctx);
    return out;
  },
  voided(existing) {
    return {
      ...existing,
      Line: voidSalesLines(existing.Line as Body[]),
      TxnTaxDetail: { TotalTax: 0 },
      TotalAmt: 0,
      Balance: 0,
      ...(existing.HomeTotalAmt !== undefined ? { HomeTotalAmt: 0, HomeBalance: 0 } : {}),
      PrivateNote: voidNote(existing.PrivateNote),
    };
  },
  beforeRemove(ctx, existing) {
    if (paymentsApplied(ctx, existing.Id).size > 0) {
      throw businessValidation('This invoice has payments applied to it. Remove or void the payments first.', 'LinkedTxn');
    }
  },
  afterWrite(ctx, before, after) {
    refreshCustomerBalances(ctx, [before?.CustomerRef?.value, after?.CustomerRef?.value]);
  },
};
