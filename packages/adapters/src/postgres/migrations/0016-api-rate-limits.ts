// Counters of the api's own limits (sign-in attempts, requests per API key), shared by every api process so a
// second process or a restart does not reset them. The shape is the one rate-limiter-flexible's
// RateLimiterPostgres reads and writes (it is told the table exists and never creates it at run time).

import { type Kysely, type Migration, sql } from 'kysely';

export const apiRateLimitsTable: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`CREATE TABLE api_rate_limits (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    )`.execute(db);
    await sql`CREATE INDEX api_rate_limits_expire ON api_rate_limits (expire)`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`DROP TABLE api_rate_limits`.execute(db);
  },
};
