// What makes a QBO write the same write: tenant, type, the local records and their revisions, the generation
// (bumped when QBO deleted the record, so a replay never resurrects the old Id) and the operation. Retries and
// a restarted worker derive the same seed, so QBO answers the replay instead of writing twice. The hashing
// down to QBO's length limit happens in adapters (the domain has no crypto).

import type { RecordType } from '../records/record-type.js';

export type WriteOperation = 'create' | 'update' | 'deactivate' | 'void' | 'delete';

export interface WriteIdentity {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly localId: string;
  readonly localRevision: number;
  readonly generation: number;
  readonly operation: WriteOperation;
  /**
   * The SyncToken the write goes over (null for a create). QBO answers a repeated requestid with its first
   * answer, a 5010 fault included: a write over a newer version is a new write and needs a new id.
   */
  readonly over: string | null;
}

const SEED_VERSION = 'qbo-sync/requestid/v2';

const parts = (write: WriteIdentity) => [write.tenantId, write.recordType, write.localId, write.localRevision, write.generation, write.operation, write.over];

/**
 * The seed of a batch call's requestid: its writes, in a fixed order, so the same chunk gives the same id;
 * `answered` counts the definite answers the chunk already had, so a resend after a retriable item fault is a
 * new call while a resend after a lost answer repeats the same id (and QBO replays it).
 */
export const batchSeed = (writes: readonly WriteIdentity[], answered = 0): string =>
  JSON.stringify([SEED_VERSION, 'batch', answered, ...writes.map(parts).map((p) => JSON.stringify(p)).sort()]);
