import { randomUUID } from 'node:crypto';
import type { AppendResult, NewEvent } from '@qbo-sync/domain';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase, createPool } from '../../src/postgres/database.js';
import { migrateToLatest } from '../../src/postgres/migrate.js';
import { createPostgresEventStore } from '../../src/postgres/postgres-event-store.js';
import { createTestDatabase } from '../../src/testing/index.js';
import { describeEventStoreContract } from '../support/event-store-contract.js';

describeEventStoreContract('postgres', async () => {
  const database = await createTestDatabase('event_store');
  const pool = createPool({ connectionString: database.url, maxConnections: 20 });
  const db = createDatabase<unknown>(pool);
  await migrateToLatest(db);
  const store = createPostgresEventStore({ db, connectionString: database.url });
  return {
    store,
    // A real transaction held open after its insert: it owns the lower xid and position and commits last.
    holdAppend: async (stream, events) => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let appended!: () => void;
      const inserted = new Promise<void>((resolve) => (appended = resolve));
      const done = db.transaction().execute(async (trx): Promise<AppendResult> => {
        const result = await store.appendInTransaction(trx, stream, events);
        appended();
        await released;
        return result;
      });
      await Promise.race([inserted, done]);
      return {
        commit: async () => {
          release();
          return done;
        },
      };
    },
    globallyUniqueEventIds: true,
    teardown: async () => {
      await store.close();
      await db.destroy();
      await database.drop();
    },
  };
});

describe('postgres event store: log order', () => {
  it('orders transaction ids as numbers, across a power of ten', async (context) => {
    const database = await createTestDatabase('xid_order');
    const pool = createPool({ connectionString: database.url, maxConnections: 4 });
    const db = createDatabase<unknown>(pool);
    await migrateToLatest(db);
    const store = createPostgresEventStore({ db, connectionString: database.url });
    try {
      // A procedure that commits in a loop burns one transaction id per turn, cheaply, on the server.
      await sql`CREATE PROCEDURE burn_xids(n bigint) LANGUAGE plpgsql AS $$
        BEGIN FOR i IN 1..n LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`.execute(db);
      const { rows } = await sql<{ xid: string }>`SELECT pg_current_xact_id()::text AS xid`.execute(db);
      const current = BigInt(rows[0]?.xid ?? '0');
      let boundary = 10n;
      while (boundary <= current + 5n) boundary *= 10n;
      const burn = boundary - current - 3n;
      if (burn > 500_000n) context.skip(`skipped: the server's next power-of-ten transaction id is ${burn} ids away`);
      // Burning ids writes nothing worth keeping: do not wait for a disk flush per commit.
      await db.connection().execute(async (connection) => {
        await sql`SET synchronous_commit = off`.execute(connection);
        await sql`CALL burn_xids(${burn})`.execute(connection);
      });
      const category = 'xidorder';
      const ids: string[] = [];
      for (let index = 0; index < 6; index++) {
        const event = { ...newTestEvent(), data: { index } };
        ids.push(event.id);
        await store.appendToStream(`${category}-${index}`, [event]);
      }
      const positions = (
        await sql<{ xid: string }>`SELECT transaction_id::text AS xid FROM events ORDER BY global_position`.execute(db)
      ).rows.map((row) => BigInt(row.xid));
      expect(positions.some((xid) => xid < boundary) && positions.some((xid) => xid >= boundary)).toBe(true);
      const seen: string[] = [];
      const subscription = store.subscribe({ from: 'start', filter: { categories: [category] } });
      for await (const batch of subscription) {
        seen.push(...batch.map((event) => event.id));
        if (seen.length >= 6) break;
      }
      await subscription.stop();
      expect(seen).toEqual(ids);
    } finally {
      await store.close();
      await db.destroy();
      await database.drop();
    }
  });
});

const newTestEvent = (): NewEvent => ({
  id: randomUUID(),
  type: 'Ordered',
  data: {},
  metadata: {
    tenantId: 't',
    correlationId: 'c',
    causationId: null,
    actor: { type: 'system', id: 'test' },
    schemaVersion: 1,
  },
});
