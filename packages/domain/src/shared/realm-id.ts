// A QuickBooks company id (Intuit calls it the realm id): a string of digits, as Intuit's callback and
// every API path carry it.

import { z } from 'zod';

export type RealmId = string & { readonly __brand: 'RealmId' };

export const realmIdSchema = z
  .string()
  .regex(/^[0-9]{1,32}$/, 'must be a QuickBooks realm id (digits only)')
  .transform((value) => value as RealmId);

export const realmId = (value: string): RealmId => realmIdSchema.parse(value);
