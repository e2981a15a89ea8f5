// When QBO will not void a transaction: an invoice with payments applied (QBO answers 6000; the payment must be
// voided or deleted first). Known here from the fields QBO computes as the last pull saw them, so the host is
// told as soon as the service knows, by name and with what to do, instead of a pull that says "pulled" and a
// record left pending until a push fails.

import type { SyncError } from '../sync/sync-error.js';
import type { RecordType } from './record-type.js';

export const voidBlocker = (type: RecordType, record: Record<string, unknown> | null): SyncError | null => {
  if (type !== 'invoice' || record === null) return null;
  const status = record['paymentStatus'];
  if (status !== 'paid' && status !== 'partial') return null;
  return {
    kind: 'business_rule',
    qboCode: null,
    message: `the host deleted or voided this invoice, but QuickBooks shows it ${status === 'paid' ? 'paid' : 'partly paid'}: a transaction with payments applied cannot be voided`,
    hint: 'void or delete the payment first (in the host, then push payments; or in QuickBooks), pull invoices, then retry this record',
    retriable: false,
    intuitTid: null,
  };
};
