// The canonical payment received: the invoices it pays are the host's local ids, linked through the mapping.
// Pulling a payment also changes those invoices' payment status in QBO; the pull re-reads them.

import { z } from 'zod';
import { currencyCode, isoDate, localRef, money, optional, qboRef, text } from './record-fields.js';

export const paymentApplicationSchema = z.strictObject({
  invoiceLocalId: localRef,
  amount: money.refine((value) => value > 0, 'must be greater than 0'),
});

export const paymentSchema = z
  .strictObject({
    customerLocalId: localRef,
    amount: money.refine((value) => value >= 0, 'must not be negative'),
    currency: optional(currencyCode),
    date: isoDate,
    /** QBO's PaymentRefNum, e.g. a cheque number. */
    reference: optional(text(21)),
    invoices: z.array(paymentApplicationSchema).max(500, 'must hold at most 500 invoices').default([]),
    /** QBO's DepositToAccountRef; absent: Undeposited Funds. */
    depositAccountId: optional(qboRef),
    notes: optional(text(4000)),
    voided: z.boolean().default(false),
  })
  .superRefine((payment, ctx) => {
    const applied = payment.invoices.reduce((sum, line) => sum + Math.round(line.amount * 100), 0);
    if (applied > Math.round(payment.amount * 100)) {
      ctx.addIssue({ code: 'custom', path: ['invoices'], message: `apply ${applied / 100}, more than the payment's amount ${payment.amount}` });
    }
    const seen = new Set<string>();
    payment.invoices.forEach((line, index) => {
      if (seen.has(line.invoiceLocalId)) ctx.addIssue({ code: 'custom', path: ['invoices', index, 'invoiceLocalId'], message: `names invoice "${line.invoiceLocalId}" twice` });
      seen.add(line.invoiceLocalId);
    });
  });

export type PaymentInput = z.input<typeof paymentSchema>;
export type Payment = z.output<typeof paymentSchema>;
