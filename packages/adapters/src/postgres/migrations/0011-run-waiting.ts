// Until when a run waits on QuickBooks' limits (a 429), so its progress can say so while it waits.

import { type Kysely, type Migration, sql } from 'kysely';

export const runWaitingColumn: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`ALTER TABLE sync_runs ADD COLUMN waiting_until timestamptz`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`ALTER TABLE sync_runs DROP COLUMN waiting_until`.execute(db);
  },
};
