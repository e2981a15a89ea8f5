// The record types the engine syncs. Each has a canonical schema (records/<type>.ts), QBO mappers in
// adapters, and matching rules. Later types join this list; the engine is written against the list.

import { z } from 'zod';

export const RECORD_TYPES = ['customer', 'item', 'invoice', 'payment'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export const recordTypeSchema = z.enum(RECORD_TYPES);

/** The QBO entity behind each record type, as its API names it. */
export const QBO_ENTITY: Record<RecordType, string> = {
  customer: 'Customer',
  item: 'Item',
  invoice: 'Invoice',
  payment: 'Payment',
};

/** Name lists are deactivated in QBO (never deleted); transactions are voided or deleted. */
export const IS_NAME_LIST: Record<RecordType, boolean> = {
  customer: true,
  item: true,
  invoice: false,
  payment: false,
};
