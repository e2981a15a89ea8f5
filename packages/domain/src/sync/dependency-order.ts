// What must exist in QBO before a record can be pushed: an invoice needs its customer and items, a payment
// its customer and invoices. Types are pushed in dependency order, and a record whose dependency could not
// be linked fails with "dependency_failed" instead of being sent to QBO to fail there.

import { recordReferences } from '../records/canonical-record.js';
import { RECORD_TYPES, type RecordType } from '../records/record-type.js';

export const TYPE_DEPENDENCIES: Record<RecordType, readonly RecordType[]> = {
  customer: [],
  item: [],
  invoice: ['customer', 'item'],
  payment: ['customer', 'invoice'],
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

/** A record's references that are not linked to QBO yet. */
export const unlinkedReferences = (type: RecordType, record: Record<string, unknown>, isLinked: (ref: RecordRef) => boolean): RecordRef[] =>
  recordReferences(type, record).filter((ref) => !isLinked(ref));

/**
 * The records to push first, per type in dependency order, for a set of records about to be pushed:
 * their unlinked references, and those references' own (a payment's invoice needs its customer and items).
 * `recordOf` answers the canonical record of a local record (null when the host never sent it).
 */
export const dependencyPushes = (
  records: readonly ({ readonly type: RecordType; readonly record: Record<string, unknown> })[],
  isLinked: (ref: RecordRef) => boolean,
  recordOf: (ref: RecordRef) => Record<string, unknown> | null,
): { readonly type: RecordType; readonly localIds: readonly string[] }[] => {
  const needed = new Map<RecordType, Set<string>>();
  const queue: RecordRef[] = records.flatMap(({ type, record }) => unlinkedReferences(type, record, isLinked));
  while (queue.length > 0) {
    const ref = queue.shift() as RecordRef;
    const seen = needed.get(ref.type) ?? new Set<string>();
    if (seen.has(ref.localId)) continue;
    seen.add(ref.localId);
    needed.set(ref.type, seen);
    const record = recordOf(ref);
    if (record !== null) queue.push(...unlinkedReferences(ref.type, record, isLinked));
  }
  return typesInDependencyOrder([...needed.keys()]).map((type) => ({ type, localIds: [...(needed.get(type) ?? [])].sort() }));
};
