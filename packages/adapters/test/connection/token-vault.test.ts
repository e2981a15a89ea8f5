// The token vault on real Postgres: AES-256-GCM at rest, key file created 0600, rows bound to their tenant,
// and key rotation that keeps every row readable.

import { mkdtemp, rm, stat, writeFile, chmod, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { createTokenVault, VaultDecryptionError } from '../../src/intuit-oauth/token-vault.js';
import { generateVaultKey, KEY_FILE_NAME, loadVaultKeyring, VaultKeyError } from '../../src/intuit-oauth/vault-keyring.js';
import { rotateVaultKey } from '../../src/intuit-oauth/rotate-vault-key.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index.js';

const tokens = { accessToken: 'AT-very-secret-access-token-value', refreshToken: 'RT-very-secret-refresh-token-value' };
const expiries = {
  accessTokenExpiresAt: new Date('2026-01-01T01:00:00Z'),
  refreshTokenExpiresAt: new Date('2026-04-10T00:00:00Z'),
  refreshTokenHardExpiresAt: new Date('2030-12-31T00:00:00Z'),
};

describe('token vault', () => {
  let database: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  let db: ReturnType<typeof createDatabase<unknown>>;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('token_vault');
    pool = createPool({ connectionString: database.url });
    db = createDatabase<unknown>(pool);
    await migrateToLatest(db);
    dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-vault-'));
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a 0600 key file on first use and reuses it afterwards', async () => {
    const first = await loadVaultKeyring({ dataDir });
    const info = await stat(join(dataDir, KEY_FILE_NAME));
    expect(info.mode & 0o777).toBe(0o600);
    const again = await loadVaultKeyring({ dataDir });
    expect(again.current.id).toBe(first.current.id);
  });

  it('refuses a key file other users can read, naming the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qbo-sync-vault-open-'));
    await writeFile(join(dir, KEY_FILE_NAME), `${generateVaultKey().key.toString('base64')}\n`);
    await chmod(join(dir, KEY_FILE_NAME), 0o644);
    await expect(loadVaultKeyring({ dataDir: dir })).rejects.toThrow(/readable by other users.*chmod 600/);
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects a malformed TOKEN_VAULT_KEY without echoing it', async () => {
    const attempt = loadVaultKeyring({ key: 'not-a-key-sekrit', dataDir });
    await expect(attempt).rejects.toThrow(VaultKeyError);
    await expect(attempt).rejects.not.toThrow(/sekrit/);
  });

  it('round-trips tokens and stores only ciphertext', async () => {
    const vault = createTokenVault({ db, keyring: await loadVaultKeyring({ dataDir }) });
    const version = await vault.save({ tenantId: 'acme', realmId: '111', tokens, refreshedAt: new Date(), ...expiries });
    expect(version).toBe(1n);
    const entry = await vault.read('acme');
    expect(entry).toMatchObject({ tenantId: 'acme', realmId: '111', tokens, ...expiries, version: 1n });
    expect(await vault.save({ tenantId: 'acme', realmId: '111', tokens, refreshedAt: new Date(), ...expiries })).toBe(2n);

    const { rows } = await sql<Record<string, unknown>>`select * from qbo_token_vault`.execute(db);
    const dump = JSON.stringify(rows, (_key, value: unknown) => (value instanceof Buffer || (value as { type?: string })?.type === 'Buffer' ? Buffer.from(value as Buffer).toString('latin1') : value));
    expect(dump).not.toContain('very-secret');
    expect(await vault.read('nobody')).toBeNull();
  });

  it('binds each row to its tenant: a row copied onto another tenant does not decrypt', async () => {
    const vault = createTokenVault({ db, keyring: await loadVaultKeyring({ dataDir }) });
    await vault.save({ tenantId: 'victim', realmId: '222', tokens, refreshedAt: new Date(), ...expiries });
    await sql`insert into qbo_token_vault select 'thief', realm_id, key_id, iv, ciphertext, auth_tag, access_token_expires_at,
      refresh_token_expires_at, refresh_token_hard_expires_at, refreshed_at, version, updated_at from qbo_token_vault where tenant_id = 'victim'`.execute(db);
    const failure = vault.read('thief');
    await expect(failure).rejects.toThrow(VaultDecryptionError);
    await expect(failure).rejects.not.toThrow(/very-secret/);
    await vault.clear('thief');
  });

  it('re-encrypts every row under a new key file and the old key is gone', async () => {
    const before = await loadVaultKeyring({ dataDir });
    const oldFile = await readFile(join(dataDir, KEY_FILE_NAME), 'utf8');
    const result = await rotateVaultKey(db, { dataDir });
    expect(result.oldKeyId).toBe(before.current.id);
    expect(result.newKeyId).not.toBe(before.current.id);
    expect(result.reencryptedRows).toBe(2);
    expect(await readFile(join(dataDir, KEY_FILE_NAME), 'utf8')).not.toBe(oldFile);
    expect((await stat(join(dataDir, KEY_FILE_NAME))).mode & 0o777).toBe(0o600);

    const after = await loadVaultKeyring({ dataDir });
    expect(after.all.map((key) => key.id)).toEqual([result.newKeyId]);
    const vault = createTokenVault({ db, keyring: after });
    expect((await vault.read('acme'))?.tokens).toEqual(tokens);
    const { rows } = await sql<{ key_id: string }>`select distinct key_id from qbo_token_vault`.execute(db);
    expect(rows).toEqual([{ key_id: result.newKeyId }]);
    // The old key can no longer read anything.
    await expect(createTokenVault({ db, keyring: before }).read('acme')).rejects.toThrow(/not loaded/);
  });

  it('re-encrypts under TOKEN_VAULT_NEW_KEY when keys come from the environment', async () => {
    const fileKey = (await readFile(join(dataDir, KEY_FILE_NAME), 'utf8')).trim();
    const envKey = generateVaultKey().key.toString('base64');
    // Move the rows onto an environment key first (file key as the old one).
    await rotateVaultKey(db, { key: fileKey, newKey: envKey, dataDir });
    const newer = generateVaultKey().key.toString('hex');
    await expect(rotateVaultKey(db, { key: envKey, dataDir })).rejects.toThrow(/TOKEN_VAULT_NEW_KEY/);
    const result = await rotateVaultKey(db, { key: envKey, newKey: newer, dataDir });
    expect(result.reencryptedRows).toBe(2);
    const vault = createTokenVault({ db, keyring: await loadVaultKeyring({ key: newer, dataDir }) });
    expect((await vault.read('victim'))?.tokens).toEqual(tokens);
  });
});
