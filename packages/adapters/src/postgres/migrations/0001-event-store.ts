// The event log: one row per stream holding its last revision (the row that appends lock), and one row per
// event carrying the id of the transaction that wrote it (xid8), so readers can stop below the oldest
// transaction still running and never skip an event that commits late.

import { type Kysely, type Migration, sql } from 'kysely';

export const eventStoreTables: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      CREATE TABLE event_streams (
        stream_name text PRIMARY KEY,
        category    text   NOT NULL,
        revision    bigint NOT NULL CHECK (revision >= 0)
      )`.execute(db);
    await sql`
      CREATE TABLE events (
        global_position bigserial PRIMARY KEY,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid        NOT NULL,
        stream_name     text        NOT NULL REFERENCES event_streams (stream_name),
        category        text        NOT NULL,
        stream_revision bigint      NOT NULL,
        event_type      text        NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_event_id_unique UNIQUE (event_id),
        CONSTRAINT events_stream_revision_unique UNIQUE (stream_name, stream_revision)
      )`.execute(db);
    await sql`CREATE INDEX events_log_order ON events (transaction_id, global_position)`.execute(db);
    await sql`CREATE INDEX events_category_log_order ON events (category, transaction_id, global_position)`.execute(db);
    await sql`CREATE INDEX events_type_log_order ON events (event_type, transaction_id, global_position)`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`DROP TABLE events`.execute(db);
    await sql`DROP TABLE event_streams`.execute(db);
  },
};
