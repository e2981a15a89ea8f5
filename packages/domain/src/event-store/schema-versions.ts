// The current shape of each event type, and the upcasters that bring older shapes up to it. Events are
// immutable: a change of shape gets a new schemaVersion here, and every reader (deciders through the
// application, projections through the projector) reads the log through `upcast`, so no reader ever sees
// an old shape.

import { SYNC_OUTCOMES } from '../sync/sync-events.js';

/** Event types whose shape changed, with their current version; every other type is at version 1. */
export const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  // v2: carries the run (syncId) and the QBO record (qboId) it settled.
  RecordConflictResolved: 2,
  // v2: how many calls the write took, whether a lookup found it after a lost answer, and QBO's hash of it.
  RecordPushed: 2,
  // v2: counts have a bucket for every outcome (voided, deactivated, pulled, remote_deleted, conflict…).
  SyncCompleted: 2,
  SyncFailed: 2,
};

export const schemaVersionOf = (type: string): number => SCHEMA_VERSIONS[type] ?? 1;

interface Upcastable {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly schemaVersion: number; readonly correlationId: string };
}

const withAllBuckets = (counts: unknown): unknown => {
  if (counts === null || typeof counts !== 'object') return counts;
  const zeros = Object.fromEntries(SYNC_OUTCOMES.map((outcome) => [outcome, 0]));
  return { ...zeros, ...(counts as Record<string, unknown>) };
};

/** The event in its current shape (the same object when it already is). */
export const upcast = <E extends Upcastable>(event: E): E => {
  const version = event.metadata.schemaVersion;
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'RecordConflictResolved':
      if (version >= 2) return event;
      // v1 knew the run only through the correlation id, and only when the policy (inside a run) resolved it.
      return { ...event, data: { qboId: null, ...data, syncId: data['resolvedBy'] === 'policy' ? event.metadata.correlationId : null } };
    case 'RecordPushed':
      if (version >= 2) return event;
      return { ...event, data: { attempts: 1, foundByLookup: false, remoteContentHash: null, ...data } };
    case 'SyncCompleted':
    case 'SyncFailed':
      if (version >= 2) return event;
      return { ...event, data: { ...data, counts: withAllBuckets(data['counts']) } };
    default:
      return event;
  }
};
