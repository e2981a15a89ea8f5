// Rebuild from zero: one transaction deletes the projection's rows and resets its checkpoint to 'start'.
// Whichever runner holds the projection (here or in another process) sees the checkpoint move and replays
// the whole log; with none running, the next one to start does.

import type { Kysely } from 'kysely';
import { ensureCheckpointRow, readCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { Projection } from './projection.js';
import type { ReadModels } from './read-models.js';

export const rebuildProjection = async (db: Kysely<ReadModels>, projection: Projection): Promise<void> => {
  await ensureCheckpointRow(db, projection.name);
  await db.transaction().execute(async (trx) => {
    // Taking the row first waits out a batch in flight, so it cannot commit rows after the reset.
    await readCheckpoint(trx, projection.name, { forUpdate: true });
    await projection.reset(trx);
    await saveCheckpoint(trx, projection.name, null);
  });
};
