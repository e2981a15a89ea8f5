// The canonical schema of each record type, for whoever holds only the type's name (the API's routes, the
// worker's mappers). Parse with it at every edge: the parsed output is what gets hashed and stored.

import type { z } from 'zod';
import { customerSchema, type Customer } from './customer.js';
import { invoiceSchema, type Invoice } from './invoice.js';
import { itemSchema, type Item } from './item.js';
import { paymentSchema, type Payment } from './payment.js';
import type { RecordType } from './record-type.js';

export const canonicalSchemas = {
  customer: customerSchema,
  item: itemSchema,
  invoice: invoiceSchema,
  payment: paymentSchema,
} as const satisfies Record<RecordType, z.ZodType>;

export type CanonicalRecordOf = { customer: Customer; item: Item; invoice: Invoice; payment: Payment };
export type CanonicalRecord = CanonicalRecordOf[RecordType];

/** Which other records a record needs linked in QBO before it can be pushed, by type and local id. */
export const recordReferences = (type: RecordType, record: Record<string, unknown>): readonly { readonly type: RecordType; readonly localId: string }[] => {
  switch (type) {
    case 'customer':
    case 'item':
      return [];
    case 'invoice': {
      const invoice = record as Invoice;
      const items = invoice.lines.flatMap((line) => (line.itemLocalId === undefined ? [] : [line.itemLocalId]));
      return [{ type: 'customer', localId: invoice.customerLocalId }, ...[...new Set(items)].map((localId) => ({ type: 'item' as const, localId }))];
    }
    case 'payment': {
      const payment = record as Payment;
      return [{ type: 'customer', localId: payment.customerLocalId }, ...payment.invoices.map((line) => ({ type: 'invoice' as const, localId: line.invoiceLocalId }))];
    }
  }
};
