// Test helpers for access control: make a user (any role, any tenants) or a tenant API key straight in the
// database, and sign in over HTTP. Route tests authenticate through these, so they exercise the real gate.
// The database must be migrated first (api.start() does it).

import { randomBytes } from 'node:crypto';
import { createDatabase, createPool } from '@qbo-sync/adapters/postgres';
import { createApiKeyStore } from '../../src/auth/api-key-store.js';
import type { AuthTables } from '../../src/auth/auth-tables.js';
import { hashPassword } from '../../src/auth/password-hash.js';
import type { ApiKeyRole, Role } from '../../src/auth/roles.js';
import { createUserStore } from '../../src/auth/user-store.js';

const withAuthDb = async <T>(databaseUrl: string, work: (db: ReturnType<typeof createDatabase<AuthTables>>) => Promise<T>): Promise<T> => {
  const pool = createPool({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    return await work(createDatabase<AuthTables>(pool));
  } finally {
    await pool.end();
  }
};

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly role: Role;
}

export const createTestUser = async (databaseUrl: string, options: { role: Role; tenants?: readonly string[]; email?: string; password?: string }): Promise<TestUser> => {
  const email = options.email ?? `${options.role}-${randomBytes(4).toString('hex')}@example.test`;
  const password = options.password ?? `pw-${randomBytes(12).toString('hex')}`;
  const user = await withAuthDb(databaseUrl, async (db) =>
    createUserStore(db).create({ email, name: `Test ${options.role}`, role: options.role, tenants: options.tenants ?? [], passwordHash: await hashPassword(password) }),
  );
  if (user === null) throw new Error(`a user ${email} already exists`);
  return { id: user.id, email, password, role: options.role };
};

export interface TestSession {
  readonly cookie: string;
  readonly csrfToken: string;
  /** Cookie and CSRF header: send them with any request, safe or not. */
  readonly headers: Readonly<Record<string, string>>;
}

export const signIn = async (apiUrl: string, credentials: { email: string; password: string }): Promise<TestSession> => {
  const response = await fetch(`${apiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${credentials.email} answered ${response.status}: ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
};

/** A new user with this role and these tenants, signed in. */
export const signInAs = async (databaseUrl: string, apiUrl: string, role: Role, tenants: readonly string[] = []): Promise<TestSession & { user: TestUser }> => {
  const user = await createTestUser(databaseUrl, { role, tenants });
  return { ...(await signIn(apiUrl, user)), user };
};

export interface TestApiKey {
  readonly id: string;
  readonly key: string;
  /** The Authorization header. */
  readonly headers: Readonly<Record<string, string>>;
}

export const createTestApiKey = async (databaseUrl: string, options: { tenant: string; role?: ApiKeyRole; name?: string }): Promise<TestApiKey> => {
  const { apiKey, key } = await withAuthDb(databaseUrl, (db) =>
    createApiKeyStore(db).create({ tenantId: options.tenant, name: options.name ?? 'test key', role: options.role ?? 'operator', createdBy: 'test' }),
  );
  return { id: apiKey.id, key, headers: { authorization: `Bearer ${key}` } };
};
