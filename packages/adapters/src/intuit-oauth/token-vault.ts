// The token vault (the TokenVault port) in Postgres: a tenant's QBO tokens, encrypted at rest with AES-256-GCM.
// The tenant and realm are bound into each ciphertext as associated data, so a row copied onto another tenant
// does not decrypt. Expiries sit in clear columns: they are not secrets, and refresh decisions read them
// without decrypting. Reads and writes can join a caller's transaction (the single-flight refresher's).

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { QboTokens, StoredTokens, TokenVault, TokensToStore } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import type { VaultKey, VaultKeyring } from './vault-keyring.js';

export class VaultDecryptionError extends Error {
  override readonly name = 'VaultDecryptionError';
}

interface VaultRow {
  tenant_id: string;
  realm_id: string;
  key_id: string;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
  access_token_expires_at: Date;
  refresh_token_expires_at: Date;
  refresh_token_hard_expires_at: Date | null;
  refreshed_at: Date;
  version: string;
}

type Db = Kysely<unknown>;

const associatedData = (tenantId: string, realmId: string) => Buffer.from(`qbo-sync token vault v1|${tenantId}|${realmId}`);

export const encryptTokens = (key: VaultKey, tenantId: string, realmId: string, tokens: QboTokens) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(associatedData(tenantId, realmId));
  const plaintext = Buffer.from(JSON.stringify({ a: tokens.accessToken, r: tokens.refreshToken }));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: key.id, iv, ciphertext, authTag: cipher.getAuthTag() };
};

const decryptRow = (keyring: VaultKeyring, row: VaultRow): QboTokens => {
  const key = keyring.byId(row.key_id);
  if (key === undefined) {
    throw new VaultDecryptionError(`the token vault row of tenant ${row.tenant_id} was written under key ${row.key_id}, which is not loaded`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, row.iv);
    decipher.setAAD(associatedData(row.tenant_id, row.realm_id));
    decipher.setAuthTag(row.auth_tag);
    const plain = JSON.parse(Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8')) as { a: string; r: string };
    return { accessToken: plain.a, refreshToken: plain.r };
  } catch {
    // Never carry the cause: it could hold partial plaintext in some failure modes.
    throw new VaultDecryptionError(`the token vault row of tenant ${row.tenant_id} failed authentication under key ${row.key_id}`);
  }
};

const toEntry = (keyring: VaultKeyring, row: VaultRow): StoredTokens => ({
  tenantId: row.tenant_id,
  realmId: row.realm_id,
  tokens: decryptRow(keyring, row),
  accessTokenExpiresAt: row.access_token_expires_at,
  refreshTokenExpiresAt: row.refresh_token_expires_at,
  refreshTokenHardExpiresAt: row.refresh_token_hard_expires_at,
  refreshedAt: row.refreshed_at,
  version: BigInt(row.version),
});

export interface PostgresTokenVault extends TokenVault {
  /** Reads a tenant's tokens; inside a transaction, `forUpdate` locks the row until it ends. */
  read(tenantId: string, options?: { db?: Db; forUpdate?: boolean }): Promise<StoredTokens | null>;
  /** Replaces a tenant's tokens (connect, refresh). Returns the new version. */
  save(entry: TokensToStore, options?: { db?: Db }): Promise<bigint>;
  clear(tenantId: string, options?: { db?: Db }): Promise<boolean>;
  /** Re-encrypts every row under the keyring's current key; returns how many rows changed key. */
  reencryptAll(): Promise<number>;
}

export const createTokenVault = (options: { db: Db; keyring: VaultKeyring }): PostgresTokenVault => {
  const { keyring } = options;
  const select = (db: Db, tenantId: string, forUpdate: boolean) =>
    sql<VaultRow>`
      select tenant_id, realm_id, key_id, iv, ciphertext, auth_tag, access_token_expires_at, refresh_token_expires_at,
             refresh_token_hard_expires_at, refreshed_at, version
      from qbo_token_vault where tenant_id = ${tenantId} ${forUpdate ? sql`for update` : sql``}`.execute(db);

  return {
    read: async (tenantId, { db = options.db, forUpdate = false } = {}) => {
      const { rows } = await select(db, tenantId, forUpdate);
      const row = rows[0];
      return row === undefined ? null : toEntry(keyring, row);
    },
    save: async (entry, { db = options.db } = {}) => {
      const sealed = encryptTokens(keyring.current, entry.tenantId, entry.realmId, entry.tokens);
      const { rows } = await sql<{ version: string }>`
        insert into qbo_token_vault (tenant_id, realm_id, key_id, iv, ciphertext, auth_tag, access_token_expires_at,
          refresh_token_expires_at, refresh_token_hard_expires_at, refreshed_at, version, updated_at)
        values (${entry.tenantId}, ${entry.realmId}, ${sealed.keyId}, ${sealed.iv}, ${sealed.ciphertext}, ${sealed.authTag},
          ${entry.accessTokenExpiresAt}, ${entry.refreshTokenExpiresAt}, ${entry.refreshTokenHardExpiresAt}, ${entry.refreshedAt}, 1, now())
        on conflict (tenant_id) do update set
          realm_id = excluded.realm_id, key_id = excluded.key_id, iv = excluded.iv, ciphertext = excluded.ciphertext,
          auth_tag = excluded.auth_tag, access_token_expires_at = excluded.access_token_expires_at,
          refresh_token_expires_at = excluded.refresh_token_expires_at,
          refresh_token_hard_expires_at = excluded.refresh_token_hard_expires_at, refreshed_at = excluded.refreshed_at,
          version = qbo_token_vault.version + 1, updated_at = now()
        returning version`.execute(db);
      return BigInt(rows[0]?.version ?? '0');
    },
    clear: async (tenantId, { db = options.db } = {}) => {
      const result = await sql`delete from qbo_token_vault where tenant_id = ${tenantId}`.execute(db);
      return Number(result.numAffectedRows ?? 0n) > 0;
    },
    dueForRefresh: async (before, staleBefore) => {
      const { rows } = await sql<{ tenant_id: string; realm_id: string }>`
        select tenant_id, realm_id from qbo_token_vault
        where access_token_expires_at < ${before} or refreshed_at < ${staleBefore}
        order by access_token_expires_at`.execute(options.db);
      return rows.map((row) => ({ tenantId: row.tenant_id, realmId: row.realm_id }));
    },
    holdersOf: async (realmId) => {
      const { rows } = await sql<{ tenant_id: string }>`select tenant_id from qbo_token_vault where realm_id = ${realmId} order by tenant_id`.execute(options.db);
      return rows.map((row) => row.tenant_id);
    },
    reencryptAll: async () =>
      options.db.transaction().execute(async (trx) => {
        const { rows } = await sql<VaultRow>`
          select tenant_id, realm_id, key_id, iv, ciphertext, auth_tag, access_token_expires_at, refresh_token_expires_at,
                 refresh_token_hard_expires_at, refreshed_at, version
          from qbo_token_vault for update`.execute(trx);
        let changed = 0;
        for (const row of rows) {
          if (row.key_id === keyring.current.id) continue;
          const sealed = encryptTokens(keyring.current, row.tenant_id, row.realm_id, decryptRow(keyring, row));
          await sql`
            update qbo_token_vault set key_id = ${sealed.keyId}, iv = ${sealed.iv}, ciphertext = ${sealed.ciphertext},
              auth_tag = ${sealed.authTag}, updated_at = now()
            where tenant_id = ${row.tenant_id}`.execute(trx);
          changed += 1;
        }
        return changed;
      }),
  };
};
