// Tenants known to the admin app: created by an admin, listed in the tenant picker. A tenant's data (its
// connection, records, runs) lives elsewhere under the same id.

import type { AuthDb } from './auth-tables.js';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

const toTenant = (row: { id: string; name: string; created_at: Date }): Tenant => ({ id: row.id, name: row.name, createdAt: row.created_at.toISOString() });

export const createTenantStore = (db: AuthDb) => ({
  list: async (only?: readonly string[]): Promise<Tenant[]> => {
    if (only !== undefined && only.length === 0) return [];
    let query = db.selectFrom('tenants').selectAll().orderBy('id');
    if (only !== undefined) query = query.where('id', 'in', [...only]);
    return (await query.execute()).map(toTenant);
  },
  /** Null when the id is taken. */
  create: async (id: string, name: string): Promise<Tenant | null> => {
    const row = await db
      .insertInto('tenants')
      .values({ id, name, created_at: new Date() })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : toTenant(row);
  },
});

export type TenantStore = ReturnType<typeof createTenantStore>;
