// Every step a record went through in a run, in log order (linked, pushed, a conflict detected and resolved,
// a failed attempt, a write found by a lookup after a lost answer...), so a run's detail shows a record's
// story and not only where it ended. Filled by the sync_runs projection; rebuilt from the log with it.

import { type Kysely, type Migration, sql } from 'kysely';

export const runRecordStepsTable: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      CREATE TABLE sync_run_record_steps (
        sync_id          text        NOT NULL,
        record_type      text        NOT NULL,
        local_id         text        NOT NULL,
        commit_position  bigint      NOT NULL,
        prepare_position bigint      NOT NULL,
        tenant_id        text        NOT NULL,
        event_type       text        NOT NULL,
        detail           jsonb       NOT NULL,
        at               timestamptz NOT NULL,
        PRIMARY KEY (sync_id, record_type, local_id, commit_position, prepare_position)
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`DROP TABLE sync_run_record_steps`.execute(db);
  },
};
