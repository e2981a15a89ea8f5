// Tables of the sync worker's runtime: the dispatcher's checkpoint (saved in the same transaction as the
// graphile-worker jobs it adds, so a SyncRequested is enqueued exactly once), and worker heartbeats, so
// jobs locked by a worker that died (kill -9) are unlocked in seconds instead of graphile's hours.

import { type Kysely, type Migration, sql } from 'kysely';

export const syncRuntimeTables: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      CREATE TABLE sync_dispatcher_checkpoints (
        dispatcher       text PRIMARY KEY,
        commit_position  bigint,
        prepare_position bigint,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CHECK ((commit_position IS NULL) = (prepare_position IS NULL))
      )`.execute(db);
    await sql`
      CREATE TABLE worker_heartbeats (
        worker_id  text PRIMARY KEY,
        process    text        NOT NULL,
        beat_at    timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`DROP TABLE worker_heartbeats`.execute(db);
    await sql`DROP TABLE sync_dispatcher_checkpoints`.execute(db);
  },
};
