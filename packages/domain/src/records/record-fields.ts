// Field rules shared by the canonical schemas: QBO's own limits, applied at the edge so a bad value gets a
// 400 naming the field instead of a QBO fault in the middle of a run.

import { z } from 'zod';

/**
 * An optional field the host may leave out or send as null. Both mean "absent": the parsed record drops
 * the key, so the content hash does not change between a host that sends null and one that omits it.
 */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === null ? undefined : value), schema.optional());

/** Free text with a length limit; no control characters but tab and newline. */
export const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value), 'must not contain control characters');

/**
 * A QBO list name (DisplayName, Item Name). QBO uses ":" to join a parent and child name, and refuses
 * tabs and newlines, so those are refused here by name, before anything is sent.
 */
export const listName = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes(':'), 'must not contain a colon (":"); QuickBooks uses it to separate parent and child names')
    .refine((value) => !/[\t\n\r]/.test(value), 'must not contain a tab or a line break')
    .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value), 'must not contain control characters');

/** A calendar date, as QBO's TxnDate and DueDate carry it. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'must be a real calendar date');

/** An ISO 4217 currency code. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 currency code in capitals, e.g. "USD"');

/** A money amount: finite, at most two decimals as QBO keeps them, within QBO's range. */
export const money = z
  .number()
  .finite('must be a finite number')
  .refine((value) => Math.abs(value) < 1e11, 'must be below 100,000,000,000')
  .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'must have at most two decimal places');

/** A quantity or unit price: QBO keeps up to seven decimals on those. */
export const decimal = z
  .number()
  .finite('must be a finite number')
  .refine((value) => Math.abs(value) < 1e11, 'must be below 100,000,000,000');

/** The host's id of another record (a customer, an item, an invoice): it is linked through the mapping. */
export const localRef = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** A QBO entity id (accounts, tax codes): digits as QBO hands them out. */
export const qboRef = z.string().regex(/^[0-9]{1,20}$/, 'must be a QuickBooks id (digits)');
