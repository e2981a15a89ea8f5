// Resolving {"value":"<Id>"} references: a missing, deleted, hidden (same-batch) or inactive
// target is Intuit's 610; the stored reference gets the target's current name like QBO returns it.

import { objectNotFound } from '../faults/fault-catalog.js';
import type { Body, QboObject } from '../store/company.js';
import { recordsOf } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import { requireRefShape } from './field-rules.js';
import type { WriteContext } from './write-context.js';

export const displayNameOf = (entity: EntityName, obj: Body): string | undefined => {
  if (entity === 'Customer' || entity === 'Vendor' || entity === 'Employee') return obj.DisplayName as string | undefined;
  if (entity === 'Item' || entity === 'Account') return (obj.FullyQualifiedName ?? obj.Name) as string | undefined;
  return undefined;
};

export const findVisible = (ctx: WriteContext, entity: EntityName, id: string): QboObject | undefined => {
  const rec = recordsOf(ctx.company, entity).get(id);
  if (!rec || !ctx.isVisible(entity, id)) return undefined;
  return rec.object;
};

/**
 * Checks a reference and returns it normalised ({value, name}). `allowInactive` is for a write
 * that keeps an existing reference (e.g. an old invoice of a customer deactivated since).
 */
export const resolveRef = (
  ctx: WriteContext,
  entity: EntityName,
  ref: unknown,
  element: string,
  opts: { allowInactive?: boolean } = {},
): { ref: Body; target: QboObject } => {
  const id = requireRefShape(ref, element);
  const target = findVisible(ctx, entity, id);
  if (!target) throw objectNotFound();
  if (target.Active === false && !opts.allowInactive) throw objectNotFound();
  const name = displayNameOf(entity, target);
  return { ref: name === undefined ? { value: id } : { value: id, name }, target };
};

export const optionalRef = (
  ctx: WriteContext,
  entity: EntityName,
  ref: unknown,
  element: string,
  opts: { allowInactive?: boolean } = {},
): Body | undefined => (ref === undefined || ref === null ? undefined : resolveRef(ctx, entity, ref, element, opts).ref);

/** Finds an account by AccountSubType (e.g. the default Undeposited Funds) to fill a default reference. */
export const findAccountBySubType = (ctx: WriteContext, subType: string): Body | undefined => {
  for (const rec of recordsOf(ctx.company, 'Account').values()) {
    const a = rec.object;
    if (a.AccountSubType === subType && a.Active !== false && ctx.isVisible('Account', a.Id)) return { value: a.Id, name: a.Name };
  }
  return undefined;
};

export const findAccountsByType = (ctx: WriteContext, accountType: string): QboObject[] =>
  [...recordsOf(ctx.company, 'Account').values()]
    .map((r) => r.object)
    .filter((a) => a.AccountType === accountType && a.Active !== false && ctx.isVisible('Account', a.Id));
