// Reads and writes a projection's checkpoint row. Reads inside a batch take the row FOR UPDATE, which
// serialises concurrent batches and rebuilds of one projection even if two runners briefly overlap.

import { type LogPosition, comparePositions } from '@qbo-sync/domain';
import { type Kysely, type Transaction, sql } from 'kysely';
import type { ReadModels } from './read-models.js';

type Db = Kysely<ReadModels> | Transaction<ReadModels>;

const toPosition = (row: { commit_position: string | null; prepare_position: string | null } | undefined): LogPosition | null =>
  row === undefined || row.commit_position === null || row.prepare_position === null
    ? null
    : { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };

export const samePosition = (a: LogPosition | null, b: LogPosition | null): boolean =>
  a === null || b === null ? a === b : comparePositions(a, b) === 0;

export const ensureCheckpointRow = async (db: Db, projection: string): Promise<void> => {
  await db
    .insertInto('projection_checkpoints')
    .values({ projection, commit_position: null, prepare_position: null })
    .onConflict((conflict) => conflict.column('projection').doNothing())
    .execute();
};

export const readCheckpoint = async (db: Db, projection: string, options: { forUpdate?: boolean } = {}): Promise<LogPosition | null> => {
  const query = db
    .selectFrom('projection_checkpoints')
    .select(['commit_position', 'prepare_position'])
    .where('projection', '=', projection);
  return toPosition(await (options.forUpdate ? query.forUpdate() : query).executeTakeFirst());
};

export const saveCheckpoint = async (db: Db, projection: string, position: LogPosition | null): Promise<void> => {
  const result = await db
    .updateTable('projection_checkpoints')
    .set({
      commit_position: position?.commit ?? null,
      prepare_position: position?.prepare ?? null,
      updated_at: sql<Date>`now()`,
    })
    .where('projection', '=', projection)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new Error(`projection ${projection}: checkpoint row is missing`);
};
