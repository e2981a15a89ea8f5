// OAuth `state` values (the OAuthStates port) in Postgres: random, bound to the tenant and user that started
// the connect, single-use, and expiring. Only their SHA-256 is stored, so the table never holds a value that
// would pass the callback. A used state keeps how its connect ended (the company it connected, or failed) for
// a week after it expired, so a repeated callback is answered without a second code exchange; the hashes of
// exchanged authorization codes are kept a week too, so a code is never exchanged twice under any state.

import { createHash, randomBytes } from 'node:crypto';
import type { OAuthStateOutcome, OAuthStates } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

interface StateRow {
  tenant_id: string;
  user_id: string;
  confirm_realm_change: boolean;
  used: boolean;
  outcome: 'connected' | 'failed' | null;
  realm_id: string | null;
  company_name: string | null;
}

const outcomeOf = (row: StateRow): OAuthStateOutcome =>
  row.outcome === 'connected' && row.realm_id !== null ? { kind: 'connected', realmId: row.realm_id, companyName: row.company_name ?? '' } : row.outcome === 'failed' ? { kind: 'failed' } : { kind: 'pending' };

export const createOAuthStateStore = (options: { db: Kysely<unknown>; ttlSeconds: number }): OAuthStates => ({
  issue: async (binding) => {
    const state = randomBytes(32).toString('base64url');
    await sql`delete from oauth_states where expires_at < now() - interval '7 days'`.execute(options.db);
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
    const { rows: known } = await sql<StateRow>`
      select tenant_id, user_id, confirm_realm_change, used_at is not null as used, outcome, realm_id, company_name
      from oauth_states where state_hash = ${hash(state)}`.execute(options.db);
    const found = known[0];
    if (found === undefined) return { ok: false, reason: 'unknown' };
    if (!found.used) return { ok: false, reason: 'expired' };
    return {
      ok: false,
      reason: 'used',
      binding: { tenantId: found.tenant_id, userId: found.user_id, confirmRealmChange: found.confirm_realm_change },
      outcome: outcomeOf(found),
    };
  },
  claimCode: async (code) => {
    await sql`delete from oauth_used_codes where used_at < now() - interval '7 days'`.execute(options.db);
    const { rows } = await sql<{ code_hash: string }>`
      insert into oauth_used_codes (code_hash) values (${hash(code)}) on conflict do nothing returning code_hash`.execute(options.db);
    return rows.length === 1;
  },
  settle: async (state, connected) => {
    await sql`update oauth_states
              set outcome = ${connected === null ? 'failed' : 'connected'}, realm_id = ${connected?.realmId ?? null}, company_name = ${connected?.companyName ?? null}
              where state_hash = ${hash(state)} and used_at is not null`.execute(options.db);
  },
});
