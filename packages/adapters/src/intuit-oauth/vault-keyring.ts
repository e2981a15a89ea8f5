// The keys of the token vault. The current key encrypts; every loaded key can decrypt the rows it wrote
// (each row names its key by a fingerprint), which is what lets the re-encrypt command rotate keys without
// a moment where some rows cannot be read. Keys come from TOKEN_VAULT_KEY, or from a 0600 key file in the
// data folder that the embedded default creates on first use.

import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface VaultKey {
  /** A fingerprint of the key (not the key): safe to store beside each row and to log. */
  readonly id: string;
  readonly key: Buffer;
}

export interface VaultKeyring {
  readonly current: VaultKey;
  byId(id: string): VaultKey | undefined;
  readonly all: readonly VaultKey[];
}

export class VaultKeyError extends Error {
  override readonly name = 'VaultKeyError';
}

export const KEY_FILE_NAME = 'token-vault.key';
/** Written by the re-encrypt command before it re-encrypts; promoted to the key file when it is done. */
export const NEXT_KEY_FILE_NAME = 'token-vault.key.next';

export const vaultKeyFrom = (key: Buffer): VaultKey => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 16), key });

/** Accepts 32 bytes as base64 (44 chars) or hex (64 chars). The message never echoes the value. */
export const parseVaultKey = (text: string, source: string): VaultKey => {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32) throw new VaultKeyError(`${source} must hold a 256-bit key: 32 bytes as base64 or 64 hex digits`);
  return vaultKeyFrom(bytes);
};

export const generateVaultKey = (): VaultKey => vaultKeyFrom(randomBytes(32));

export const createKeyring = (current: VaultKey, others: readonly VaultKey[] = []): VaultKeyring => {
  const all = [current, ...others.filter((key) => key.id !== current.id)];
  return { current, all, byId: (id) => all.find((key) => key.id === id) };
};

export const readKeyFile = async (path: string): Promise<VaultKey | null> => {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if ((info.mode & 0o077) !== 0) {
    throw new VaultKeyError(`the token vault key file ${path} is readable by other users (mode ${(info.mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  }
  return parseVaultKey(await readFile(path, 'utf8'), path);
};

/** Writes a new key file with mode 0600; fails if the file exists, so a key is never overwritten by accident. */
export const writeKeyFile = async (path: string, key: VaultKey): Promise<void> => {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The umask may have narrowed the mode further, never widened it; make it exact anyway.
  await chmod(path, 0o600);
};

export interface KeyringSource {
  /** TOKEN_VAULT_KEY */
  readonly key?: string | undefined;
  /** TOKEN_VAULT_PREVIOUS_KEYS: comma-separated keys still accepted for decryption during a rotation. */
  readonly previousKeys?: string | undefined;
  /** Where the key file lives when no key is given (QBO_SYNC_DATA_DIR). */
  readonly dataDir: string;
}

export const loadVaultKeyring = async (source: KeyringSource): Promise<VaultKeyring> => {
  const previous = (source.previousKeys ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter((text) => text.length > 0)
    .map((text, index) => parseVaultKey(text, `TOKEN_VAULT_PREVIOUS_KEYS[${index}]`));
  if (source.key !== undefined && source.key.trim() !== '') {
    return createKeyring(parseVaultKey(source.key, 'TOKEN_VAULT_KEY'), previous);
  }
  await mkdir(source.dataDir, { recursive: true });
  const keyPath = join(source.dataDir, KEY_FILE_NAME);
  const next = await readKeyFile(join(source.dataDir, NEXT_KEY_FILE_NAME));
  let current = await readKeyFile(keyPath);
  if (current === null) {
    const fresh = generateVaultKey();
    try {
      await writeKeyFile(keyPath, fresh);
      current = fresh;
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      current = await readKeyFile(keyPath);
      if (current === null) throw error;
    }
  }
  // A re-encryption that stopped half way left rows under the next key: keep reading them.
  return createKeyring(current, [...(next === null ? [] : [next]), ...previous]);
};
