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
}

const SEED_VERSION = 'qbo-sync/requestid/v1';

const parts = (write: WriteIdentity) => [write.tenantId, write.recordType, write.localId, write.localRevision, write.generation, write.operation];

/** The seed of one write's requestid (and of its batch item id). JSON keeps any local id unambiguous. */
export const writeSeed = (write: WriteIdentity): string => JSON.stringify([SEED_VERSION, ...parts(write)]);

/** The seed of a batch call's requestid: its writes, in a fixed order, so the same chunk gives the same id. */
export const batchSeed = (writes: readonly WriteIdentity[]): string =>
  JSON.stringify([SEED_VERSION, 'batch', ...writes.map(parts).map((p) => JSON.stringify(p)).sort()]);
