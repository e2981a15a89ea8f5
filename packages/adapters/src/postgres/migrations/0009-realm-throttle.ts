// A realm's throttle, shared by every process: after a 429 the rate limiter notes until when the realm (or its
// batch budget) is throttled, and every acquire for that realm waits until then. Waiting callers then share
// one wait instead of each sleeping its own, and no caller walks into a throttled realm meanwhile.

import { type Kysely, type Migration, sql } from 'kysely';

export const realmThrottleColumns: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      ALTER TABLE qbo_realm_activity
        ADD COLUMN throttled_until       timestamptz,
        ADD COLUMN batch_throttled_until timestamptz`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`ALTER TABLE qbo_realm_activity DROP COLUMN throttled_until, DROP COLUMN batch_throttled_until`.execute(db);
  },
};
