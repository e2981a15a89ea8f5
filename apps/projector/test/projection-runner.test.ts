// The projector's invariants on real Postgres: rows and checkpoint commit together, a failure mid-batch
// leaves nothing behind, redelivery changes nothing, one live instance per projection, and a rebuild from
// zero gives the live rows back, row for row.

import { createInMemoryEventStore } from '@qbo-sync/adapters/in-memory';
import { createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import type { EventStore, RecordedEvent } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyProjectionBatch } from '../src/apply-batch.js';
import { ensureCheckpointRow, readCheckpoint, saveCheckpoint } from '../src/checkpoint.js';
import type { Projection } from '../src/projection.js';
import { startProjectionRunner } from '../src/projection-runner.js';
import { activityLogProjection } from '../src/projections/activity-log-projection.js';
import { rebuildProjection } from '../src/rebuild-projection.js';
import { type ProjectorTestDb, activityRows, appendSome, openProjectorTestDb, quietLogger, waitFor, waitForCheckpoint } from './support.js';

// The runner is held to the same invariants over the in-memory log and the Postgres log (the default).
const stores = [
  { kind: 'in-memory', create: (_db: ProjectorTestDb) => createInMemoryEventStore() },
  { kind: 'postgres', create: (db: ProjectorTestDb) => createPostgresEventStore({ db: db.db as unknown as Kysely<unknown>, connectionString: db.url, idlePollMs: 100 }) },
] as const;

let testDb: ProjectorTestDb;
let openStores: EventStore[] = [];
let makeStore: () => EventStore;

const fastRunner = (store: EventStore, projection: Projection = activityLogProjection, extra: { batchSize?: number } = {}) =>
  startProjectionRunner({
    db: testDb.db,
    connectionString: testDb.url,
    eventStore: store,
    projection,
    logger: quietLogger,
    lockPollMs: 50,
    heartbeatMs: 50,
    retryInitialMs: 20,
    retryMaxMs: 200,
    ...extra,
  });

describe.each(stores)('projection runner over the $kind event store', ({ create }) => {
  // A database per test: the Postgres log lives in it, so no test sees another's events.
  beforeEach(async () => {
    testDb = await openProjectorTestDb('projector');
    makeStore = () => {
      const store = create(testDb);
      openStores.push(store);
      return store;
    };
  });
  afterEach(async () => {
    for (const store of openStores) await store.close();
    openStores = [];
    await testDb.close();
  });

  it('projects every event into the activity log and saves the checkpoint with the rows', async () => {
    const store = makeStore();
    const runner = fastRunner(store, activityLogProjection, { batchSize: 7 });
    try {
      const last = await appendSome(store, 40);
      await waitForCheckpoint(testDb.db, 'activity_log', last);
      const rows = await activityRows(testDb.db);
      expect(rows).toHaveLength(40);
      // The checkpoint is exactly the newest projected row: nothing projected beyond it, nothing missing.
      const newest = await testDb.db
        .selectFrom('activity_log')
        .select(['commit_position', 'prepare_position'])
        .orderBy('commit_position', 'desc')
        .orderBy('prepare_position', 'desc')
        .executeTakeFirstOrThrow();
      expect({ commit: BigInt(newest.commit_position), prepare: BigInt(newest.prepare_position) }).toEqual(last);
      const read = await store.readStream('record-tenant1.customer.1');
      const event = read.events[0] as RecordedEvent;
      const row = rows.find((candidate) => candidate.event_id === event.id);
      expect(row).toMatchObject({
        stream_name: 'record-tenant1.customer.1',
        category: 'record',
        event_type: event.type,
        tenant_id: 'tenant1',
        correlation_id: 'sync-1',
        causation_id: null,
        actor_type: 'system',
        actor_id: 'test',
        schema_version: 1,
        stream_revision: '0',
      });
      expect(row?.recorded_at.getTime()).toBe(event.recordedAt.getTime());
    } finally {
      await runner.stop();
    }
    expect(runner.state()).toBe('stopped');
  });

  it('rolls back a batch that fails half-way (no partial rows, checkpoint unmoved) and completes on retry', async () => {
    const store = makeStore();
    const seenBetweenAttempts: Array<{ rows: number; checkpoint: unknown }> = [];
    let attempts = 0;
    const flaky: Projection = {
      ...activityLogProjection,
      apply: async (trx, events) => {
        attempts++;
        if (attempts === 2) {
          // What a reader outside the failed transaction sees now, before this retry writes anything.
          const outside = await testDb.db.selectFrom('activity_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
          seenBetweenAttempts.push({ rows: Number(outside.n), checkpoint: await readCheckpoint(testDb.db, 'activity_log') });
        }
        await activityLogProjection.apply(trx, events.slice(0, 5));
        if (attempts === 1) throw new Error('boom after 5 rows');
        await activityLogProjection.apply(trx, events.slice(5));
      },
    };
    const last = await appendSome(store, 12);
    const runner = fastRunner(store, flaky, { batchSize: 100 });
    try {
      await waitForCheckpoint(testDb.db, 'activity_log', last);
    } finally {
      await runner.stop();
    }
    expect(attempts).toBe(2);
    expect(seenBetweenAttempts).toEqual([{ rows: 0, checkpoint: null }]);
    expect(await activityRows(testDb.db)).toHaveLength(12);
  });

  it('ignores a redelivered batch, and re-applying events past a lost checkpoint writes no duplicate', async () => {
    const store = makeStore();
    await appendSome(store, 6);
    const batch: RecordedEvent[] = [];
    for await (const page of store.subscribe({ from: 'start' })) {
      batch.push(...page);
      if (batch.length >= 6) break;
    }
    await ensureCheckpointRow(testDb.db, 'activity_log');
    const first = await applyProjectionBatch(testDb.db, activityLogProjection, batch);
    expect(first.kind).toBe('applied');
    const before = await activityRows(testDb.db);

    const again = await applyProjectionBatch(testDb.db, activityLogProjection, batch);
    expect(again.kind).toBe('already_applied');
    expect(await activityRows(testDb.db)).toEqual(before);

    // At-least-once can also hand over events the rows already hold: the upsert keeps them single.
    await saveCheckpoint(testDb.db, 'activity_log', null);
    const replay = await applyProjectionBatch(testDb.db, activityLogProjection, batch);
    expect(replay).toMatchObject({ kind: 'applied', count: 6 });
    expect(await activityRows(testDb.db)).toEqual(before);
  });

  it('refuses a batch when the checkpoint is not where the runner left it', async () => {
    const store = makeStore();
    await appendSome(store, 2);
    const [page] = await firstPage(store);
    const outcome = await applyProjectionBatch(testDb.db, activityLogProjection, page, { commit: 999n, prepare: 999n });
    expect(outcome).toEqual({ kind: 'checkpoint_moved', stored: null });
    expect(await activityRows(testDb.db)).toHaveLength(0);
  });

  it('keeps one live instance: a second waits, then takes over when the first stops', async () => {
    const store = makeStore();
    const firstBatches: number[] = [];
    const secondBatches: number[] = [];
    const a = startProjectionRunner({ ...runnerOptions(store), onBatchApplied: (count) => firstBatches.push(count) });
    await waitFor('first runner to hold the lock', () => a.state() === 'running');
    const b = startProjectionRunner({ ...runnerOptions(store), onBatchApplied: (count) => secondBatches.push(count) });
    try {
      await waitFor('second runner to wait', () => b.state() === 'waiting_for_lock');
      const early = await appendSome(store, 5, 'Early');
      await waitForCheckpoint(testDb.db, 'activity_log', early);
      expect(b.state()).toBe('waiting_for_lock');
      expect(secondBatches).toEqual([]);

      await a.stop();
      await waitFor('second runner to take over', () => b.state() === 'running');
      const late = await appendSome(store, 5, 'Late');
      await waitForCheckpoint(testDb.db, 'activity_log', late);
      expect(firstBatches.reduce((sum, n) => sum + n, 0)).toBe(5);
      expect(secondBatches.reduce((sum, n) => sum + n, 0)).toBe(5);
      expect(await activityRows(testDb.db)).toHaveLength(10);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('survives the holder losing its session: the lock is taken again by exactly one instance', async () => {
    const store = makeStore();
    const a = fastRunner(store);
    await waitFor('first runner to hold the lock', () => a.state() === 'running');
    const b = fastRunner(store);
    try {
      await waitFor('second runner to wait', () => b.state() === 'waiting_for_lock');
      const lockHolders = sql<{ pid: number }>`select l.pid from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.granted and a.datname = current_database() and a.application_name like 'qbo-sync projector lock%'`;
      const [holder] = (await lockHolders.execute(testDb.db)).rows;
      // As if the holder's connection died: Postgres ends the session and releases the lock.
      await sql`select pg_terminate_backend(${holder?.pid ?? -1})`.execute(testDb.db);
      await waitFor('a new session to hold the lock', async () => {
        const rows = (await lockHolders.execute(testDb.db)).rows;
        return rows.length === 1 && rows[0]?.pid !== holder?.pid;
      });
      await waitFor('one runner running and one waiting', () => [a.state(), b.state()].sort().join() === 'running,waiting_for_lock');
      const last = await appendSome(store, 3);
      await waitForCheckpoint(testDb.db, 'activity_log', last);
      expect(await activityRows(testDb.db)).toHaveLength(3);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('rebuilds from zero to the same rows as the live projection, row for row', async () => {
    const store = makeStore();
    const runner = fastRunner(store, activityLogProjection, { batchSize: 9 });
    try {
      const last = await appendSome(store, 50);
      await waitForCheckpoint(testDb.db, 'activity_log', last);
      const live = await activityRows(testDb.db);
      expect(live).toHaveLength(50);

      // Damage the read model so that only a true replay from zero can bring it back.
      const [damaged, removed] = live;
      await testDb.db.updateTable('activity_log').set({ event_type: 'Tampered' }).where('event_id', '=', damaged?.event_id ?? '').execute();
      await testDb.db.deleteFrom('activity_log').where('event_id', '=', removed?.event_id ?? '').execute();
      expect(await activityRows(testDb.db)).not.toEqual(live);

      await rebuildProjection(testDb.db, activityLogProjection);
      // The live runner notices the reset checkpoint and replays the whole log.
      await waitForCheckpoint(testDb.db, 'activity_log', last);
      expect(await activityRows(testDb.db)).toEqual(live);
    } finally {
      await runner.stop();
    }
  });
});

function runnerOptions(store: EventStore) {
  return {
    db: testDb.db,
    connectionString: testDb.url,
    eventStore: store,
    projection: activityLogProjection,
    logger: quietLogger,
    lockPollMs: 50,
    heartbeatMs: 50,
    retryInitialMs: 20,
    retryMaxMs: 200,
  };
}

async function firstPage(store: EventStore): Promise<[readonly RecordedEvent[]]> {
  const subscription = store.subscribe({ from: 'start' });
  for await (const page of subscription) {
    await subscription.stop();
    return [page];
  }
  throw new Error('no events');
}

