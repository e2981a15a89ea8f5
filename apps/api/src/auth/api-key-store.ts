// Tenant-scoped API keys for host applications. A key reads `qsk_<id>_<secret>`: the id finds the row, the
// secret is checked against its SHA-256 hash. The whole key is returned once, at creation, and never again.

import { randomBytes } from 'node:crypto';
import type { AuthDb } from './auth-tables.js';
import type { ApiKeyRole, Principal } from './roles.js';
import { randomSecret, sameSecret, sha256 } from './secret-token.js';

export interface ApiKey {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly role: ApiKeyRole;
  /** Enough of the key for a person to tell keys apart; not enough to use it. */
  readonly prefix: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

const KEY_FORMAT = /^qsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

type Row = { id: string; tenant_id: string; name: string; role: ApiKeyRole; created_by: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };

const toApiKey = (row: Row): ApiKey => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  role: row.role,
  prefix: `qsk_${row.id}_…`,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

const columns = ['id', 'tenant_id', 'name', 'role', 'created_by', 'created_at', 'last_used_at', 'revoked_at'] as const;

export type KeyCheck = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

export const createApiKeyStore = (db: AuthDb, now: () => Date = () => new Date()) => ({
  create: async (input: { tenantId: string; name: string; role: ApiKeyRole; createdBy: string }): Promise<{ apiKey: ApiKey; key: string }> => {
    const id = randomBytes(8).toString('hex');
    const secret = randomSecret();
    const row = await db
      .insertInto('api_keys')
      .values({
        id,
        tenant_id: input.tenantId,
        name: input.name,
        role: input.role,
        secret_hash: sha256(secret),
        created_by: input.createdBy,
        created_at: now(),
        last_used_at: null,
        revoked_at: null,
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    return { apiKey: toApiKey(row), key: `qsk_${id}_${secret}` };
  },
  list: async (tenantId: string): Promise<ApiKey[]> =>
    (await db.selectFrom('api_keys').select(columns).where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').execute()).map(toApiKey),
  /** Null when the tenant has no such key; revoking twice keeps the first time. */
  revoke: async (tenantId: string, id: string): Promise<ApiKey | null> => {
    await db.updateTable('api_keys').set({ revoked_at: now() }).where('tenant_id', '=', tenantId).where('id', '=', id).where('revoked_at', 'is', null).execute();
    const row = await db.selectFrom('api_keys').select(columns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toApiKey(row);
  },
  check: async (key: string): Promise<KeyCheck> => {
    const match = KEY_FORMAT.exec(key);
    if (match === null) return { ok: false, reason: 'the API key is malformed (expected qsk_<id>_<secret>)' };
    const [, id = '', secret = ''] = match;
    const row = await db.selectFrom('api_keys').select([...columns, 'secret_hash']).where('id', '=', id).executeTakeFirst();
    if (row === undefined || !sameSecret(row.secret_hash, sha256(secret))) return { ok: false, reason: 'the API key is not valid' };
    if (row.revoked_at !== null) return { ok: false, reason: 'the API key was revoked' };
    // At most one write a minute per key: last-used is for people, not an audit trail.
    const at = now();
    if (row.last_used_at === null || at.getTime() - row.last_used_at.getTime() > 60_000) {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    }
    return { ok: true, principal: { kind: 'api_key', keyId: row.id, name: row.name, tenantId: row.tenant_id, role: row.role } };
  },
});

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
