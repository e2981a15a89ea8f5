// Admin-app users: email, role, scrypt password hash and tenant memberships. Emails are unique regardless
// of case. The password hash never leaves this module except to the login check.

import { randomUUID } from 'node:crypto';
import type { AuthDb } from './auth-tables.js';
import type { Role } from './roles.js';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly tenants: readonly string[];
  readonly createdAt: string;
  readonly disabled: boolean;
}

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly tenants: readonly string[];
}

export const createUserStore = (db: AuthDb) => {
  const tenantsOf = async (userIds: readonly string[]): Promise<Map<string, string[]>> => {
    const byUser = new Map<string, string[]>();
    if (userIds.length === 0) return byUser;
    const rows = await db.selectFrom('user_tenants').selectAll().where('user_id', 'in', [...userIds]).orderBy('tenant_id').execute();
    for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.tenant_id]);
    return byUser;
  };
  const toUser = (row: { id: string; email: string; name: string; role: Role; created_at: Date; disabled_at: Date | null }, tenants: string[] = []): User => ({
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    tenants,
    createdAt: row.created_at.toISOString(),
    disabled: row.disabled_at !== null,
  });
  const columns = ['id', 'email', 'name', 'role', 'created_at', 'disabled_at'] as const;

  const store = {
    count: async (): Promise<number> => {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    list: async (): Promise<User[]> => {
      const rows = await db.selectFrom('users').select(columns).orderBy('email').execute();
      const tenants = await tenantsOf(rows.map((row) => row.id));
      return rows.map((row) => toUser(row, tenants.get(row.id)));
    },
    get: async (id: string): Promise<User | null> => {
      const row = await db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
      if (row === undefined) return null;
      return toUser(row, (await tenantsOf([id])).get(id));
    },
    /** The user and their password hash, for the login check only. */
    credentialsByEmail: async (email: string): Promise<{ user: User; passwordHash: string } | null> => {
      const row = await db
        .selectFrom('users')
        .select([...columns, 'password_hash'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
        .executeTakeFirst();
      if (row === undefined) return null;
      return { user: toUser(row, (await tenantsOf([row.id])).get(row.id)), passwordHash: row.password_hash };
    },
    /** Null when the email is taken. */
    create: async (user: NewUser): Promise<User | null> =>
      db.transaction().execute(async (trx) => {
        const id = randomUUID();
        const row = await trx
          .insertInto('users')
          .values({ id, email: user.email, name: user.name, role: user.role, password_hash: user.passwordHash, created_at: new Date(), disabled_at: null })
          .onConflict((conflict) => conflict.doNothing())
          .returning(columns)
          .executeTakeFirst();
        if (row === undefined) return null;
        const tenants = [...new Set(user.tenants)].sort();
        if (tenants.length > 0) await trx.insertInto('user_tenants').values(tenants.map((tenant_id) => ({ user_id: id, tenant_id }))).execute();
        return toUser(row, tenants);
      }),
    update: async (
      id: string,
      change: { role?: Role; name?: string; tenants?: readonly string[]; disabled?: boolean; passwordHash?: string },
    ): Promise<User | null> => {
      const found = await db.transaction().execute(async (trx) => {
        // Lock the user first: no user, nothing written (memberships of a missing user would break the key).
        const user = await trx.selectFrom('users').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
        if (user === undefined) return false;
        const values = {
          ...(change.role === undefined ? {} : { role: change.role }),
          ...(change.name === undefined ? {} : { name: change.name }),
          ...(change.passwordHash === undefined ? {} : { password_hash: change.passwordHash }),
          ...(change.disabled === undefined ? {} : { disabled_at: change.disabled ? new Date() : null }),
        };
        if (Object.keys(values).length > 0) await trx.updateTable('users').set(values).where('id', '=', id).execute();
        if (change.tenants !== undefined) {
          await trx.deleteFrom('user_tenants').where('user_id', '=', id).execute();
          const tenants = [...new Set(change.tenants)];
          if (tenants.length > 0) await trx.insertInto('user_tenants').values(tenants.map((tenant_id) => ({ user_id: id, tenant_id }))).execute();
        }
        // A disabled user or a changed password ends every session at once.
        if (change.disabled === true || change.passwordHash !== undefined) await trx.deleteFrom('auth_sessions').where('user_id', '=', id).execute();
        return true;
      });
      return found ? store.get(id) : null;
    },
  };
  return store;
};

export type UserStore = ReturnType<typeof createUserStore>;
