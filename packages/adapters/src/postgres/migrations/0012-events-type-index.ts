// Every subscriber that filters by event type also filters by category (the dispatcher: `sync` and
// `SyncRequested`), which the category index serves; the type index cost every append an index entry per
// event and served no read. The activity log read model answers queries by type.

import { type Kysely, type Migration, sql } from 'kysely';

export const dropEventsTypeIndex: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`DROP INDEX IF EXISTS events_type_log_order`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`CREATE INDEX events_type_log_order ON events (event_type, transaction_id, global_position)`.execute(db);
  },
};
