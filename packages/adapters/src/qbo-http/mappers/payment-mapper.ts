// Canonical payment ↔ QBO Payment JSON. Each invoice it pays is one line linked to that invoice; pulling a
// payment changes those invoices' Balance in QBO, so the pull re-reads them (paidInvoiceQboIds).

import { type Payment, paymentSchema } from '@qbo-sync/domain';
import { type ReferenceResolver, localIdFor, requireQboId } from './mapping-context.js';
import { parseCanonical } from './parse-canonical.js';
import { type QboObject, type QboVersion, type QboWriteBody, compact, isVoidedTransaction, noteBeforeVoid, num, obj, refValue, str } from './qbo-object.js';

export const paymentToQbo = (payment: Payment, refs: ReferenceResolver, existing?: QboVersion): QboWriteBody => {
  const fields = compact({
    CustomerRef: { value: requireQboId(refs, 'customer', payment.customerLocalId, 'customerLocalId') },
    TotalAmt: payment.amount,
    CurrencyRef: payment.currency === undefined ? undefined : { value: payment.currency },
    TxnDate: payment.date,
    PaymentRefNum: payment.reference,
    DepositToAccountRef: payment.depositAccountId === undefined ? undefined : { value: payment.depositAccountId },
    PrivateNote: payment.notes,
    Line: payment.invoices.map((application, index) => ({
      Amount: application.amount,
      LinkedTxn: [{ TxnId: requireQboId(refs, 'invoice', application.invoiceLocalId, `invoices.${index}.invoiceLocalId`), TxnType: 'Invoice' }],
    })),
  });
  if (existing === undefined) return fields;
  return { PaymentRefNum: '', PrivateNote: '', ...fields, Id: existing.Id, SyncToken: existing.SyncToken, sparse: true };
};

const invoiceLinks = (qbo: QboObject): { readonly invoiceId: string; readonly amount: number }[] =>
  (Array.isArray(qbo['Line']) ? (qbo['Line'] as unknown[]) : []).flatMap((raw) => {
    const line = obj(raw);
    const links = Array.isArray(line?.['LinkedTxn']) ? (line['LinkedTxn'] as unknown[]).map(obj) : [];
    const invoices = links.filter((link) => link?.['TxnType'] === 'Invoice' && str(link['TxnId']) !== undefined);
    // QBO gives one amount per line; a line linking several invoices is split evenly is not knowable, so the first gets it.
    return invoices.slice(0, 1).map((link) => ({ invoiceId: String(link?.['TxnId']), amount: num(line?.['Amount']) ?? 0 }));
  });

export const paymentFromQbo = (qbo: QboObject, refs: ReferenceResolver): Payment => {
  const voided = isVoidedTransaction(qbo);
  const customerId = refValue(qbo['CustomerRef']);
  return parseCanonical(paymentSchema, 'Payment', qbo.Id, {
    customerLocalId: customerId === undefined ? undefined : localIdFor(refs, 'customer', customerId),
    amount: num(qbo['TotalAmt']),
    currency: refValue(qbo['CurrencyRef']),
    date: str(qbo['TxnDate']),
    reference: str(qbo['PaymentRefNum']),
    invoices: invoiceLinks(qbo)
      .filter((link) => link.amount > 0)
      .map((link) => ({ invoiceLocalId: localIdFor(refs, 'invoice', link.invoiceId), amount: link.amount })),
    depositAccountId: refValue(qbo['DepositToAccountRef']),
    notes: voided ? noteBeforeVoid(str(qbo['PrivateNote'])) : str(qbo['PrivateNote']),
    voided,
  });
};

/** The QBO ids of the invoices a payment pays: their payment status changed with it. */
export const paidInvoiceQboIds = (qbo: QboObject): readonly string[] => [...new Set(invoiceLinks(qbo).map((link) => link.invoiceId))];
