import type { AppendResult } from '@qbo-sync/domain';
import { createDatabase, createPool } from '../../src/postgres/database.js';
import { migrateToLatest } from '../../src/postgres/migrate.js';
import { createPostgresEventStore } from '../../src/event-store/postgres-event-store.js';
import { createTestDatabase } from '../../src/testing/index.js';
import { describeEventStoreContract } from './event-store-contract.js';

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
