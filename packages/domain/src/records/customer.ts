// The canonical customer: what the host sends and what a pull hands back. Limits are QBO's, so a record that
// passes here is one QBO accepts. See docs/records.md for the field-by-field mapping.

import { z } from 'zod';
import { addressSchema } from './address.js';
import { currencyCode, listName, optional, text } from './record-fields.js';

/** QBO's DisplayName limit. */
export const CUSTOMER_DISPLAY_NAME_MAX = 500;

// Built once: the transform below checks every record's derived display name with it, and building a zod
// schema costs far more than running it (it was most of a pull's parsing time).
const displayNameSchema = listName(CUSTOMER_DISPLAY_NAME_MAX);

export const customerSchema = z
  .strictObject({
    /** Unique across customers, vendors and employees in QBO. Built from given + family name when absent. */
    displayName: optional(displayNameSchema),
    givenName: optional(text(100)),
    familyName: optional(text(100)),
    companyName: optional(text(100)),
    /** QBO keeps what it is given here (even two addresses with a comma), so only the "@" is checked. */
    email: optional(text(100).refine((value) => value.split(',').every((part) => /^[^@\s]+@[^@\s]+$/.test(part.trim())), 'must be an email address')),
    phone: optional(text(30)),
    billingAddress: optional(addressSchema),
    shippingAddress: optional(addressSchema),
    notes: optional(text(2000)),
    currency: optional(currencyCode),
    active: z.boolean().default(true),
  })
  .transform((customer, ctx) => {
    const derived = [customer.givenName, customer.familyName].filter((part) => part !== undefined && part.trim() !== '').join(' ').trim();
    const displayName = customer.displayName ?? (derived === '' ? undefined : derived);
    if (displayName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['displayName'], message: 'is required when givenName and familyName are both absent' });
      return z.NEVER;
    }
    const checked = displayNameSchema.safeParse(displayName);
    if (!checked.success) {
      for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', path: ['displayName'], message: `(built from givenName and familyName) ${issue.message}` });
      return z.NEVER;
    }
    return { ...customer, displayName: checked.data };
  });

export type CustomerInput = z.input<typeof customerSchema>;
export type Customer = z.output<typeof customerSchema>;
