// Shared set-up for projector tests: a migrated database of the test file's own, a Kysely handle on it,
// and helpers to append events and wait for a projection to catch up.

import { randomUUID } from 'node:crypto';
import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import type { EventStore, LogPosition, NewEvent } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { readCheckpoint, samePosition } from '../src/checkpoint.js';
import type { ReadModels } from '../src/read-models.js';

export interface ProjectorTestDb {
  readonly url: string;
  readonly db: Kysely<ReadModels>;
  close(): Promise<void>;
}

export const openProjectorTestDb = async (label: string): Promise<ProjectorTestDb> => {
  const database: TestDatabase = await createTestDatabase(label);
  const pool = createPool({ connectionString: database.url, maxConnections: 5 });
  const db = createDatabase<ReadModels>(pool);
  await migrateToLatest(db as Kysely<unknown>);
  return {
    url: database.url,
    db,
    close: async () => {
      await db.destroy();
      await database.drop();
    },
  };
};

export const quietLogger = pino({ level: 'silent' });

export const newEvent = (type: string, tenantId = 'tenant1', correlationId = 'sync-1'): NewEvent => ({
  id: randomUUID(),
  type,
  data: { type },
  metadata: { tenantId, correlationId, causationId: null, actor: { type: 'system', id: 'test' }, schemaVersion: 1 },
});

/** Appends `count` events spread over a few streams; returns the position of the last one. */
export const appendSome = async (store: EventStore, count: number, prefix = 'Thing'): Promise<LogPosition> => {
  let last: LogPosition | undefined;
  for (let index = 0; index < count; index++) {
    const stream = `record-tenant${index % 2}.customer.${index % 3}`;
    const result = await store.appendToStream(stream, [newEvent(`${prefix}Happened${index % 4}`, `tenant${index % 2}`)]);
    last = result.position;
  }
  if (last === undefined) throw new Error('appendSome needs count > 0');
  return last;
};

export const waitFor = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

export const waitForCheckpoint = (db: Kysely<ReadModels>, projection: string, position: LogPosition, timeoutMs?: number): Promise<void> =>
  waitFor(`${projection} to reach ${position.commit}/${position.prepare}`, async () => samePosition(await readCheckpoint(db, projection), position), timeoutMs);

export const activityRows = (db: Kysely<ReadModels>) => db.selectFrom('activity_log').selectAll().orderBy('event_id').execute();
