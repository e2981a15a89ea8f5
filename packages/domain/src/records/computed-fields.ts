// Fields QBO computes and the host never owns: an invoice's total, balance and payment status (a payment moves
// them), an inventory item's quantity on hand (sales and adjustments move it). A pull brings them home; a push
// never writes them; and they are never a change of the record a person must decide about. The content hash
// that says "the two sides agree" is taken over the owned content only, so a payment that changes an invoice's
// balance is not an edit of the invoice.

import type { RecordType } from './record-type.js';

export const COMPUTED_FIELDS: Record<RecordType, readonly string[]> = {
  customer: [],
  item: ['quantityOnHand'],
  invoice: ['total', 'balance', 'paymentStatus'],
  payment: [],
};

/** The record without the fields QBO computes: what a push owns, and what the content hash covers. */
export const ownedContent = (type: RecordType, record: Record<string, unknown>): Record<string, unknown> => {
  const computed = COMPUTED_FIELDS[type];
  if (computed.length === 0) return record;
  return Object.fromEntries(Object.entries(record).filter(([field]) => !computed.includes(field)));
};

/** Only the fields QBO computes, as a record carries them. */
export const computedContent = (type: RecordType, record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([field]) => COMPUTED_FIELDS[type].includes(field)));
