// OAuth `state` values (the OAuthStates port) in Postgres: random, bound to the tenant and user that started
// the connect, single-use, and expiring. Only their SHA-256 is stored, so the table never holds a value that
// would pass the callback.

import { createHash, randomBytes } from 'node:crypto';
import type { OAuthStates } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

export const createOAuthStateStore = (options: { db: Kysely<unknown>; ttlSeconds: number }): OAuthStates => ({
  issue: async (binding) => {
    const state = randomBytes(32).toString('base64url');
    await sql`delete from oauth_states where expires_at < now() - interval '1 day'`.execute(options.db);
    await sql`insert into oauth_states (state_hash, tenant_id, user_id, confirm_realm_change, expires_at)
              values (${hash(state)}, ${binding.tenantId}, ${binding.userId}, ${binding.confirmRealmChange},
                      now() + make_interval(secs => ${options.ttlSeconds}))`.execute(options.db);
    return state;
  },
  consume: async (state) => {
    if (state.length === 0 || state.length > 200) return { ok: false, reason: 'unknown' };
    const { rows } = await sql<{ tenant_id: string; user_id: string; confirm_realm_change: boolean }>`
      update oauth_states set used_at = now()
      where state_hash = ${hash(state)} and used_at is null and expires_at > now()
      returning tenant_id, user_id, confirm_realm_change`.execute(options.db);
    const row = rows[0];
    if (row !== undefined) return { ok: true, tenantId: row.tenant_id, userId: row.user_id, confirmRealmChange: row.confirm_realm_change };
    const { rows: known } = await sql<{ used: boolean }>`
      select used_at is not null as used from oauth_states where state_hash = ${hash(state)}`.execute(options.db);
    if (known[0] === undefined) return { ok: false, reason: 'unknown' };
    return { ok: false, reason: known[0].used ? 'used' : 'expired' };
  },
});
