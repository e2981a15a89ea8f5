// Login sessions: the cookie holds a random token, the table only its hash, with the session's CSRF token
// and an absolute expiry. Each lookup reads the user afresh, so a role change or a disabled account applies
// to the very next request.

import type { AuthDb } from './auth-tables.js';
import type { Principal } from './roles.js';
import { randomSecret, sha256 } from './secret-token.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export const createSessionStore = (db: AuthDb, now: () => Date = () => new Date()) => ({
  /** Returns the cookie value (shown to the browser only) and the CSRF token. */
  open: async (userId: string): Promise<{ token: string; csrfToken: string; expiresAt: Date }> => {
    const token = randomSecret();
    const csrfToken = randomSecret();
    const created = now();
    const expiresAt = new Date(created.getTime() + SESSION_TTL_MS);
    await db
      .insertInto('auth_sessions')
      .values({ token_hash: sha256(token), user_id: userId, csrf_token: csrfToken, created_at: created, expires_at: expiresAt, last_seen_at: created })
      .execute();
    // Sweep a few expired sessions so the table does not grow without bound.
    await db.deleteFrom('auth_sessions').where('expires_at', '<', created).execute();
    return { token, csrfToken, expiresAt };
  },
  principal: async (token: string): Promise<Principal | null> => {
    const tokenHash = sha256(token);
    const row = await db
      .selectFrom('auth_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.csrf_token', 's.expires_at', 'u.id', 'u.email', 'u.name', 'u.role', 'u.disabled_at'])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (row === undefined || row.disabled_at !== null || row.expires_at.getTime() <= now().getTime()) return null;
    const tenants = await db.selectFrom('user_tenants').select('tenant_id').where('user_id', '=', row.id).orderBy('tenant_id').execute();
    return {
      kind: 'user',
      userId: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      tenants: tenants.map((tenant) => tenant.tenant_id),
      sessionTokenHash: tokenHash,
      csrfToken: row.csrf_token,
    };
  },
  close: async (tokenHash: string): Promise<void> => {
    await db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash).execute();
  },
});

export type SessionStore = ReturnType<typeof createSessionStore>;
