// The re-encrypt command: `npx tsx packages/adapters/src/intuit-oauth/rotate-vault-key-cli.ts`, with
// DATABASE_URL, and either QBO_SYNC_DATA_DIR (key file) or TOKEN_VAULT_KEY + TOKEN_VAULT_NEW_KEY.
// Prints key fingerprints and a row count, never a key.

import { createDatabase, createPool } from '../postgres/database.js';
import { rotateVaultKey } from './rotate-vault-key.js';

const main = async (): Promise<void> => {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === '') {
    process.stderr.write('rotate-vault-key: DATABASE_URL is required\n');
    process.exit(78);
  }
  const pool = createPool({ connectionString: databaseUrl, applicationName: 'qbo-sync rotate-vault-key', maxConnections: 2 });
  try {
    const result = await rotateVaultKey(createDatabase<unknown>(pool), {
      key: process.env.TOKEN_VAULT_KEY,
      previousKeys: process.env.TOKEN_VAULT_PREVIOUS_KEYS,
      newKey: process.env.TOKEN_VAULT_NEW_KEY,
      dataDir: process.env.QBO_SYNC_DATA_DIR ?? '.data',
    });
    process.stdout.write(
      `${JSON.stringify({ reencryptedRows: result.reencryptedRows, oldKeyId: result.oldKeyId, newKeyId: result.newKeyId, keyFile: result.keyFile })}\n`,
    );
    if (result.keyFile === null) {
      process.stdout.write('now set TOKEN_VAULT_KEY to the new key (keep the old one in TOKEN_VAULT_PREVIOUS_KEYS until every process restarted)\n');
    }
  } catch (error) {
    process.stderr.write(`rotate-vault-key: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
};

await main();
