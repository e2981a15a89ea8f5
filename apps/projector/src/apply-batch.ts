// Applies one delivered batch to a projection: in ONE transaction, re-read the checkpoint FOR UPDATE, drop
// events at or before it (delivery is at least once), write the rows, save the new checkpoint. A throw
// anywhere rolls all of it back, so a failure mid-batch leaves no partial rows.

import { type LogPosition, type RecordedEvent, isAfter, upcast } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import { readCheckpoint, samePosition, saveCheckpoint } from './checkpoint.js';
import type { Projection } from './projection.js';
import type { ReadModels } from './read-models.js';

export type BatchOutcome =
  | { readonly kind: 'applied'; readonly count: number; readonly checkpoint: LogPosition }
  /** Every event was at or before the stored checkpoint: a redelivery, nothing written. */
  | { readonly kind: 'already_applied'; readonly checkpoint: LogPosition | null }
  /** The stored checkpoint is not where this runner left it (a rebuild, or another instance): start over from it. */
  | { readonly kind: 'checkpoint_moved'; readonly stored: LogPosition | null };

export const applyProjectionBatch = async (
  db: Kysely<ReadModels>,
  projection: Projection,
  events: readonly RecordedEvent[],
  /** Where this runner believes the checkpoint is; undefined skips the check. */
  expected?: LogPosition | null,
): Promise<BatchOutcome> =>
  db.transaction().execute(async (trx): Promise<BatchOutcome> => {
    const stored = await readCheckpoint(trx, projection.name, { forUpdate: true });
    if (expected !== undefined && !samePosition(stored, expected)) return { kind: 'checkpoint_moved', stored };
    const fresh = events.filter((event) => isAfter(event.position, stored));
    const last = fresh[fresh.length - 1];
    if (last === undefined) return { kind: 'already_applied', checkpoint: stored };
    // Projections see every event in its current shape, whatever version wrote it.
    await projection.apply(trx, fresh.map(upcast));
    await saveCheckpoint(trx, projection.name, last.position);
    return { kind: 'applied', count: fresh.length, checkpoint: last.position };
  });
