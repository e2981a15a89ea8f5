// The event feed read model: every event of the log, one row each, numbered by the projector in log order
// (`feed_position`), so outside subscribers and auditors page a tenant's events by a single keyset whether
// the log lives in Postgres or EventStoreDB (whose positions are not Postgres's). The tenant comes from
// the event's metadata, not its stream name (`sync-{id}` carries none). Filters each have an index that
// starts with the tenant and ends with the position, so every page is an index range, however deep.

import { type Kysely, type Migration, sql } from 'kysely';

export const eventFeedTable: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`CREATE TABLE event_feed (
      feed_position bigint PRIMARY KEY,
      event_id text NOT NULL UNIQUE,
      tenant_id text NOT NULL,
      event_type text NOT NULL,
      stream_name text NOT NULL,
      stream_revision bigint NOT NULL,
      commit_position bigint NOT NULL,
      prepare_position bigint NOT NULL,
      record_type text,
      local_id text,
      sync_id text,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL
    )`.execute(db);
    await sql`CREATE INDEX event_feed_tenant ON event_feed (tenant_id, feed_position)`.execute(db);
    await sql`CREATE INDEX event_feed_tenant_type ON event_feed (tenant_id, event_type, feed_position)`.execute(db);
    await sql`CREATE INDEX event_feed_tenant_record ON event_feed (tenant_id, record_type, local_id, feed_position)`.execute(db);
    await sql`CREATE INDEX event_feed_tenant_sync ON event_feed (tenant_id, sync_id, feed_position) WHERE sync_id IS NOT NULL`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`DROP TABLE event_feed`.execute(db);
  },
};
