// The record directory on Postgres: the shared contract (kept by the inline projection, in each append's
// transaction), then what only Postgres does: a log that existed before the directory (appended with no
// projection) is built into it by its migration, and an append that fails leaves the directory as it was.

import { randomUUID } from 'node:crypto';
import { recordStreamName } from '@qbo-sync/domain';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPool } from '../../src/postgres/database.js';
import { migrateToLatest } from '../../src/postgres/migrate.js';
import { migrations } from '../../src/postgres/migrations/index.js';
import { createPostgresEventStore } from '../../src/postgres/postgres-event-store.js';
import { createPostgresRecordDirectory, recordDirectoryProjection } from '../../src/postgres/record-directory/postgres-record-directory.js';
import { type TestDatabase, createTestDatabase } from '../../src/testing/index.js';
import { describeRecordDirectoryContract } from '../support/record-directory-contract.js';

const open = async (label: string) => {
  const database = await createTestDatabase(label);
  const pool = createPool({ connectionString: database.url, maxConnections: 4 });
  const db = createDatabase<unknown>(pool);
  return { database, pool, db };
};

describeRecordDirectoryContract('postgres', async () => {
  const { database, pool, db } = await open('record_directory');
  await migrateToLatest(db);
  const store = createPostgresEventStore({ db, connectionString: database.url, inlineProjections: [recordDirectoryProjection] });
  return {
    store,
    directory: createPostgresRecordDirectory(db),
    teardown: async () => {
      await store.close();
      await pool.end();
      await database.drop();
    },
  };
});

const metadata = { tenantId: 'acme', correlationId: 'c', causationId: null, actor: { type: 'system' as const, id: 'test' }, schemaVersion: 1 };
const upserted = (localId: string, displayName: string) => ({
  id: randomUUID(),
  type: 'LocalRecordUpserted',
  data: { recordType: 'customer', localId, record: { displayName, active: true }, contentHash: `h-${localId}`, localRevision: 1, at: '2026-01-01T00:00:00.000Z' },
  metadata,
});

describe('record directory on Postgres', () => {
  let database: TestDatabase;
  let db: ReturnType<typeof createDatabase<unknown>>;
  let pool: ReturnType<typeof createPool>;
  beforeAll(async () => {
    ({ database, pool, db } = await open('record_directory_backfill'));
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('is built by its migration from a log that existed before it', async () => {
    // The schema as it was before the directory, and a log written then (no inline projection).
    const before = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
    const { error } = await before.migrateTo('0006-auth');
    expect(error).toBeUndefined();
    const old = createPostgresEventStore({ db, connectionString: database.url });
    for (let n = 0; n < 30; n += 1) await old.appendToStream(recordStreamName('acme', 'customer', `old-${String(n).padStart(2, '0')}`), [upserted(`old-${n}`, `Old ${n}`)]);
    await old.close();
    await migrateToLatest(db);
    const directory = createPostgresRecordDirectory(db);
    const ids = await directory.localIds('acme', 'customer', { after: null, limit: 100, needsPush: true });
    expect(ids).toHaveLength(30);
    expect(await directory.unlinkedByMatchKey('acme', 'customer', 'displayName', ['old 7'])).toEqual(new Map([['old 7', ['old-07']]]));
  });

  it('rolls back with an append that fails', async () => {
    const store = createPostgresEventStore({ db, connectionString: database.url, inlineProjections: [recordDirectoryProjection] });
    const stream = recordStreamName('acme', 'customer', 'rolled-back');
    await expect(
      store.appendToStreams([
        { streamName: stream, events: [upserted('rolled-back', 'Rolled Back')], expectedRevision: 'no_stream' },
        // A revision that does not hold: the whole append, and the directory's rows with it, are refused.
        { streamName: recordStreamName('acme', 'customer', 'old-00'), events: [upserted('old-00', 'Again')], expectedRevision: 5n },
      ]),
    ).rejects.toThrow(/expected revision/);
    const { rows } = await sql<{ n: string }>`select count(*) as n from record_directory where local_id = 'rolled-back'`.execute(db);
    expect(Number(rows[0]?.n)).toBe(0);
    await store.close();
  });
});
