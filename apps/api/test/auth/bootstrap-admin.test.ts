// The first admin when no ADMIN_* is set: a one-time password printed once, that signs in; nothing printed
// or changed on the next start; a weak ADMIN_PASSWORD stops start-up naming the variable.

import { ConfigurationError } from '@qbo-sync/adapters/config';
import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthTables } from '../../src/auth/auth-tables.js';
import { DEFAULT_ADMIN_EMAIL, bootstrapAdmin } from '../../src/auth/bootstrap-admin.js';
import { verifyPassword } from '../../src/auth/password-hash.js';
import { createUserStore } from '../../src/auth/user-store.js';

describe('first admin', () => {
  let database: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  let users: ReturnType<typeof createUserStore>;

  beforeAll(async () => {
    database = await createTestDatabase('api_bootstrap');
    pool = createPool({ connectionString: database.url });
    const db = createDatabase<AuthTables>(pool);
    await migrateToLatest(db as never);
    users = createUserStore(db);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('refuses a weak ADMIN_PASSWORD, naming the variable', async () => {
    const failure = bootstrapAdmin({ users, env: { ADMIN_PASSWORD: 'short' } });
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
    await expect(failure).rejects.toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(await users.count()).toBe(0);
  });

  it('prints a one-time password once, which is the admin password', async () => {
    const printed: string[] = [];
    const outcome = await bootstrapAdmin({ users, env: {}, print: (text) => printed.push(text) });
    expect(outcome).toEqual({ created: true, email: DEFAULT_ADMIN_EMAIL, generatedPassword: true });
    const password = /password: (\S+)/.exec(printed.join(''))?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    const stored = await users.credentialsByEmail(DEFAULT_ADMIN_EMAIL);
    expect(stored?.user.role).toBe('admin');
    expect(await verifyPassword(password, stored?.passwordHash ?? '')).toBe(true);

    const again: string[] = [];
    expect(await bootstrapAdmin({ users, env: {}, print: (text) => again.push(text) })).toEqual({ created: false });
    expect(again).toEqual([]);
  });
});
