// Display names are unique across Customer, Vendor and Employee together (6240); Item and Account
// names within their own type. Whether Intuit compares case-insensitively is unconfirmed, so the
// sandbox takes the strict reading: trimmed and case-insensitive.

import { duplicateName } from '../faults/fault-catalog.js';
import { recordsOf } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import type { WriteContext } from './write-context.js';

export const DELETED_SUFFIX = ' (deleted)';

const norm = (s: string) => s.trim().toLowerCase();

const PEOPLE: EntityName[] = ['Customer', 'Vendor', 'Employee'];

export const assertDisplayNameFree = (ctx: WriteContext, self: { entity: EntityName; id?: string }, displayName: string): void => {
  const wanted = norm(displayName);
  for (const entity of PEOPLE) {
    for (const rec of recordsOf(ctx.company, entity).values()) {
      if (entity === self.entity && rec.object.Id === self.id) continue;
      if (typeof rec.object.DisplayName === 'string' && norm(rec.object.DisplayName) === wanted) {
        throw duplicateName('Another customer, vendor or employee is already using this name. Please use a different name.');
      }
    }
  }
};

export const assertNameFreeWithin = (
  ctx: WriteContext,
  entity: 'Item' | 'Account',
  selfId: string | undefined,
  fullyQualifiedName: string,
): void => {
  const wanted = norm(fullyQualifiedName);
  for (const rec of recordsOf(ctx.company, entity).values()) {
    if (rec.object.Id === selfId) continue;
    const fqn = (rec.object.FullyQualifiedName ?? rec.object.Name) as string | undefined;
    if (typeof fqn === 'string' && norm(fqn) === wanted) {
      throw duplicateName(
        entity === 'Item'
          ? 'Another product or service is already using this name. Please use a different name.'
          : 'Another account is already using this name. Please use a different name.',
      );
    }
  }
};

/** Inactive list records read back with " (deleted)" appended, which frees the name. */
export const withDeletedSuffix = (name: string): string => (name.endsWith(DELETED_SUFFIX) ? name : `${name}${DELETED_SUFFIX}`);
export const withoutDeletedSuffix = (name: string): string =>
  name.endsWith(DELETED_SUFFIX) ? name.slice(0, -DELETED_SUFFIX.length) : name;
