// The canonical invoice. The customer and items are the host's local ids, linked through the mapping
// (a push links or creates them first). Total, balance and payment status are QBO's: a pull fills them,
// a push ignores them.

import { z } from 'zod';
import { currencyCode, decimal, isoDate, localRef, money, optional, qboRef, text } from './record-fields.js';

export const PAYMENT_STATUSES = ['unpaid', 'partial', 'paid'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const invoiceLineSchema = z.strictObject({
  /** The host's item id. A line with no item, quantity 0 and price 0 is a description-only line. */
  itemLocalId: optional(localRef),
  description: optional(text(4000)),
  quantity: decimal.default(1),
  unitPrice: decimal,
  /** Sales tax applies to the line (QBO's TaxCodeRef "TAX" or "NON", US companies). */
  taxable: optional(z.boolean()),
});

export const invoiceDiscountSchema = z.union([
  z.strictObject({ percent: z.number().min(0, 'must be at least 0').max(100, 'must be at most 100') }),
  z.strictObject({ amount: money.refine((value) => value >= 0, 'must not be negative') }),
]);

export const invoiceSchema = z.strictObject({
  /** QBO's DocNumber; matching uses it. Absent: QBO numbers it when custom numbering is off. */
  number: optional(text(21).pipe(z.string().min(1, 'must not be empty'))),
  customerLocalId: localRef,
  currency: optional(currencyCode),
  issueDate: isoDate,
  dueDate: optional(isoDate),
  lines: z.array(invoiceLineSchema).min(1, 'must hold at least one line').max(750, 'must hold at most 750 lines'),
  discount: optional(invoiceDiscountSchema),
  /** Sales tax total (QBO's TxnTaxDetail.TotalTax) and its tax code. */
  taxAmount: optional(money),
  taxCodeId: optional(qboRef),
  /** Shown to the customer on the invoice: QBO's CustomerMemo. */
  memo: optional(text(1000)),
  /** Internal note: QBO's PrivateNote (QBO prefixes "Voided" when the invoice is voided; the mapper strips it). */
  notes: optional(text(4000)),
  /** QBO's TotalAmt: filled by a pull, ignored by a push. */
  total: optional(money),
  /** QBO's Balance: filled by a pull, ignored by a push. */
  balance: optional(money),
  /** From Balance and TotalAmt: filled by a pull, ignored by a push. */
  paymentStatus: optional(z.enum(PAYMENT_STATUSES)),
  voided: z.boolean().default(false),
});

export type InvoiceInput = z.input<typeof invoiceSchema>;
export type Invoice = z.output<typeof invoiceSchema>;
export type InvoiceLine = z.output<typeof invoiceLineSchema>;

/** Paid, unpaid or partial, from QBO's Balance and TotalAmt. */
export const paymentStatusOf = (total: number, balance: number): PaymentStatus =>
  balance <= 0 ? 'paid' : balance >= total ? 'unpaid' : 'partial';
