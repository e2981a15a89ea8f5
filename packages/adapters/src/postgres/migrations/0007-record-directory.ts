// The write side's record directory (see postgres/record-directory/): written by an inline projection in the
// same transaction as every record event from now on, and built here, once, from the log that exists.

import { type Kysely, type Migration, sql } from 'kysely';
import { type EventRow, toRecorded } from '../postgres-event-store.js';
import { foldDirectoryRows, writeDirectoryRows } from '../record-directory/record-directory-rows.js';

const BACKFILL_BATCH = 5_000;

export const recordDirectoryTables: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      CREATE TABLE record_directory (
        tenant_id     text    NOT NULL,
        record_type   text    NOT NULL,
        local_id      text    NOT NULL,
        revision      bigint  NOT NULL,
        state         jsonb   NOT NULL,
        qbo_id        text,
        needs_push    boolean NOT NULL,
        deleted       boolean NOT NULL,
        record_exists boolean NOT NULL,
        remote_status text,
        PRIMARY KEY (tenant_id, record_type, local_id)
      )`.execute(db);
    await sql`CREATE INDEX record_directory_qbo ON record_directory (tenant_id, record_type, qbo_id) WHERE qbo_id IS NOT NULL`.execute(db);
    await sql`CREATE INDEX record_directory_order ON record_directory (tenant_id, record_type, (local_id COLLATE "C"))`.execute(db);
    await sql`CREATE INDEX record_directory_push ON record_directory (tenant_id, record_type, (local_id COLLATE "C")) WHERE needs_push`.execute(db);
    await sql`
      CREATE TABLE record_match_keys (
        tenant_id   text NOT NULL,
        record_type text NOT NULL,
        rule        text NOT NULL,
        match_key   text NOT NULL,
        local_id    text NOT NULL,
        PRIMARY KEY (tenant_id, record_type, rule, match_key, local_id)
      )`.execute(db);
    // A record's keys are replaced whenever the record changes: found by the record, not by the key.
    await sql`CREATE INDEX record_match_keys_record ON record_match_keys (tenant_id, record_type, local_id)`.execute(db);
    // Built from the log as it stands, stream by stream in revision order (the events table belongs to the
    // event store; its migrations are the one other place that reads it).
    for (let after: { stream: string; revision: string } | null = null; ; ) {
      const { rows } = await sql<EventRow>`
        SELECT global_position, transaction_id::text AS transaction_id, event_id, stream_name, stream_revision, event_type, data, metadata, recorded_at
        FROM events
        WHERE category = 'record' ${after === null ? sql`` : sql`AND (stream_name, stream_revision) > (${after.stream}, ${after.revision}::bigint)`}
        ORDER BY stream_name, stream_revision LIMIT ${BACKFILL_BATCH}`.execute(db);
      if (rows.length === 0) break;
      const events = rows.map(toRecorded);
      await writeDirectoryRows(db, await foldDirectoryRows(db, events));
      const last = rows[rows.length - 1] as (typeof rows)[number];
      after = { stream: last.stream_name, revision: last.stream_revision };
    }
  },
  down: async (db: Kysely<unknown>) => {
    await sql`DROP TABLE record_match_keys`.execute(db);
    await sql`DROP TABLE record_directory`.execute(db);
  },
};
