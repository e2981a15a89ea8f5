// A tenant's id: the key every stream, row and route is scoped by. It sits inside stream names such as
// `connection-{tenant}` and `record-{tenant}.{type}.{id}`, so it holds no dot and no whitespace.

import { z } from 'zod';

export type TenantId = string & { readonly __brand: 'TenantId' };

export const tenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1 to 63 lower-case letters, digits, "_" or "-", starting with a letter or digit')
  .transform((value) => value as TenantId);

export const tenantId = (value: string): TenantId => tenantIdSchema.parse(value);
