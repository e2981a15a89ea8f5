// The SHA-256 of every authorization code this service exchanged, kept a week: a code that comes again under
// a fresh state is refused without calling Intuit, whose second exchange of a code may end the live grant
// the first one made. Only hashes: the table never holds a code that could be exchanged.

import { type Kysely, type Migration, sql } from 'kysely';

export const oauthUsedCodesTable: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`CREATE TABLE oauth_used_codes (code_hash text PRIMARY KEY, used_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`DROP TABLE oauth_used_codes`.execute(db);
  },
};
