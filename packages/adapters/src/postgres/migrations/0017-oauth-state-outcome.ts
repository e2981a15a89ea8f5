// How the connect of a used OAuth state ended, so a callback that comes again (a replayed URL, the back
// button, a double click) is answered from here instead of exchanging its code twice at Intuit. Null while the
// first callback is under way; 'connected' with the company it connected, or 'failed'. Neither is a secret.

import { type Kysely, type Migration, sql } from 'kysely';

export const oauthStateOutcomeColumns: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`ALTER TABLE oauth_states
      ADD COLUMN outcome text CHECK (outcome IN ('connected', 'failed')),
      ADD COLUMN realm_id text,
      ADD COLUMN company_name text`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`ALTER TABLE oauth_states DROP COLUMN outcome, DROP COLUMN realm_id, DROP COLUMN company_name`.execute(db);
  },
};
