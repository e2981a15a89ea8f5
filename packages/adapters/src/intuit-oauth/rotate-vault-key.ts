// Re-encrypts the whole token vault under a new key. With a key file (the embedded default) it writes the
// new key beside the old one first, re-encrypts in one transaction, then promotes the new file, so a stop at
// any point leaves every row readable. With TOKEN_VAULT_KEY the operator supplies the new key and swaps the
// variable afterwards (keeping the old one in TOKEN_VAULT_PREVIOUS_KEYS until every process restarted).

import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createTokenVault } from './token-vault.js';
import {
  KEY_FILE_NAME,
  NEXT_KEY_FILE_NAME,
  type KeyringSource,
  VaultKeyError,
  createKeyring,
  generateVaultKey,
  loadVaultKeyring,
  parseVaultKey,
  readKeyFile,
  writeKeyFile,
} from './vault-keyring.js';

export interface RotationResult {
  readonly reencryptedRows: number;
  /** Fingerprints only; never the keys. */
  readonly oldKeyId: string;
  readonly newKeyId: string;
  readonly keyFile: string | null;
}

export const rotateVaultKey = async (db: Kysely<unknown>, source: KeyringSource & { newKey?: string | undefined }): Promise<RotationResult> => {
  const loaded = await loadVaultKeyring(source);
  const usesKeyFile = source.key === undefined || source.key.trim() === '';
  if (!usesKeyFile) {
    if (source.newKey === undefined || source.newKey.trim() === '') {
      throw new VaultKeyError('TOKEN_VAULT_KEY is set, so the new key must be given in TOKEN_VAULT_NEW_KEY');
    }
    const next = parseVaultKey(source.newKey, 'TOKEN_VAULT_NEW_KEY');
    const keyring = createKeyring(next, loaded.all);
    const reencryptedRows = await createTokenVault({ db, keyring }).reencryptAll();
    return { reencryptedRows, oldKeyId: loaded.current.id, newKeyId: next.id, keyFile: null };
  }
  const nextPath = join(source.dataDir, NEXT_KEY_FILE_NAME);
  const keyPath = join(source.dataDir, KEY_FILE_NAME);
  // A run that stopped half way left its next key: finish with that one rather than mint a third.
  let next = await readKeyFile(nextPath);
  if (next === null) {
    next = source.newKey !== undefined ? parseVaultKey(source.newKey, 'TOKEN_VAULT_NEW_KEY') : generateVaultKey();
    await writeKeyFile(nextPath, next);
  }
  const keyring = createKeyring(next, loaded.all);
  const reencryptedRows = await createTokenVault({ db, keyring }).reencryptAll();
  await rename(nextPath, keyPath);
  return { reencryptedRows, oldKeyId: loaded.current.id, newKeyId: next.id, keyFile: keyPath };
};
