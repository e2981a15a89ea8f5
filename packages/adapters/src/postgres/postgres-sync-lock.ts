// The SyncLock port on Postgres: a session advisory lock per (tenant, type), held on one connection from reading
// the records to recording QBO's answers. A killed worker's lock goes with its connection.

import type { SyncLock } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';

export const createPostgresSyncLock = (db: Kysely<unknown>): SyncLock => ({
  hold: (tenantId, type, work) =>
    db.connection().execute(async (connection) => {
      const key = `sync-push:${tenantId}:${type}`;
      await sql`select pg_advisory_lock(hashtextextended(${key}, 0))`.execute(connection);
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(connection);
      }
    }),
});
