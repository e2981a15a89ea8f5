// What must exist in QBO before a record can be pushed: an invoice needs its customer and items, a payment
// its customer and invoices (a record's own references are `recordReferences`). A push pushes what a page
// references first, type by type in dependency order, and a record whose dependency could not be linked fails
// with "dependency_failed" instead of being sent to QBO to fail there.

import { RECORD_TYPES, type RecordType } from '../records/record-type.js';

export const TYPE_DEPENDENCIES: Record<RecordType, readonly RecordType[]> = {
  customer: [],
  item: [],
  invoice: ['customer', 'item'],
  payment: ['customer', 'invoice'],
};

/**
 * Types whose QBO side changes when a record of this type is written: a payment changes the balance of the
 * invoices it pays, so a pull of payments reads those invoices again.
 */
export const TYPE_TOUCHES: Record<RecordType, readonly RecordType[]> = {
  customer: [],
  item: [],
  invoice: [],
  payment: ['invoice'],
};

/** The given types, each after every type it depends on (transitively). */
export const typesInDependencyOrder = (types: readonly RecordType[]): RecordType[] => {
  const wanted = new Set(types);
  const ordered: RecordType[] = [];
  const visit = (type: RecordType) => {
    if (ordered.includes(type)) return;
    for (const dependency of TYPE_DEPENDENCIES[type]) visit(dependency);
    ordered.push(type);
  };
  for (const type of RECORD_TYPES) if (wanted.has(type)) visit(type);
  return ordered.filter((type) => wanted.has(type));
};

export interface RecordRef {
  readonly type: RecordType;
  readonly localId: string;
}
