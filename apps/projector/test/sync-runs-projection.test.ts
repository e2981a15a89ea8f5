// The sync_runs projection (runs, per-record outcomes, pull cursors) and the sync_settings projection, run by
// the real runner over the Postgres event store: runs driven through the sync command handler and record
// outcomes through the record command handler become rows, and a rebuild from zero gives the very same rows.

import { contentHash, handleCommand } from '@qbo-sync/application';
import { recordCommands, syncCommands } from '@qbo-sync/application/testing';
import { createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { getSyncRun, listParkedFailures, listSyncRunRecords, listSyncRuns, readSyncCursor, readSyncSettings } from '@qbo-sync/adapters/read-models';
import { customerSchema, settingsDecider, settingsStreamName } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncRunsProjection } from '../src/projections/sync-runs.js';
import { syncSettingsProjection } from '../src/projections/sync-settings.js';
import { projectionSpecification } from './projection-specification.js';
import { type ProjectorTestDb, openProjectorTestDb } from './support.js';

const at = (second: number) => `2026-03-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const user = { correlationId: 'req-1', actor: { type: 'user' as const, id: 'u-1' } };
const fault = { kind: 'server' as const, qboCode: '500', message: 'Internal error', hint: 'QuickBooks had a problem; retry later', retriable: true, intuitTid: null };
const ids = { push: '00000000-0000-4000-8000-000000000001', pull: '00000000-0000-4000-8000-000000000002', queued: '00000000-0000-4000-8000-000000000003', other: '00000000-0000-4000-8000-000000000004' };

describe('sync_runs and sync_settings projections', () => {
  let test: ProjectorTestDb;
  let store: ReturnType<typeof createPostgresEventStore>;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    test = await openProjectorTestDb('sync_runs');
    db = test.db as unknown as Kysely<unknown>;
    store = createPostgresEventStore({ db, connectionString: test.url, idlePollMs: 100 });
  });
  afterAll(async () => {
    await store.close();
    await test.close();
  });

  const spec = projectionSpecification(() => ({ test, store }), [syncRunsProjection, syncSettingsProjection]);

  it('folds runs, their record outcomes and the pull cursor; live equals rebuilt', async () => {
    const syncs = syncCommands(store);
    const records = recordCommands(store);
    const request = (syncId: string, direction: 'push' | 'pull', second: number, tenantId = 'acme') =>
      syncs.handle(
        syncId,
        tenantId,
        { type: 'RequestSync', syncId, tenantId, recordType: 'customer', direction, scope: { kind: 'changed' }, dryRun: false, retryOf: null, requestedBy: 'user:u-1', at: at(second) },
        user,
      );
    const settings = (recordType: 'customer' | 'invoice', conflictPolicy: 'local_wins' | 'qbo_wins', second: number) =>
      handleCommand(store, settingsStreamName('acme'), settingsDecider, { type: 'ChangeSyncSettings', recordType, mode: 'manual', schedule: null, conflictPolicy, changedBy: 'user:u-1', at: at(second) }, { tenantId: 'acme', context: user });
    const byWorker = (syncId: string) => ({ correlationId: syncId, actor: { type: 'system' as const, id: 'sync-worker' } });

    await request(ids.push, 'push', 1);
    await request(ids.pull, 'pull', 2);
    await request(ids.queued, 'push', 3);
    await request(ids.other, 'push', 4, 'beta');
    expect((await request(ids.push, 'push', 5)).events).toEqual([]);

    // The push run: one record created, one failed on every attempt and parked.
    await syncs.handle(ids.push, 'acme', { type: 'StartSync', workerId: 'w-1', at: at(6) }, byWorker(ids.push));
    for (const localId of ['c-1', 'c-2']) {
      const record = customerSchema.parse({ displayName: `Customer ${localId}` }) as Record<string, unknown>;
      await records.handle('acme', { type: 'UpsertLocalRecord', recordType: 'customer', localId, record, contentHash: contentHash(record), at: at(6) }, user);
    }
    const hash = (await records.state('acme', 'customer', 'c-1')).state.contentHash ?? '';
    await records.handle('acme', { type: 'RecordPushResult', recordType: 'customer', localId: 'c-1', qboId: '71', operation: 'create', syncToken: '0', contentHash: hash, localRevision: 1, requestId: 'qs1', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: ids.push, at: at(7) }, byWorker(ids.push));
    for (let attempt = 1; attempt <= 4; attempt++) {
      await records.handle('acme', { type: 'RecordFailure', recordType: 'customer', localId: 'c-2', direction: 'push', error: fault, attempt, syncId: ids.push, at: at(7 + attempt) }, byWorker(ids.push));
    }
    await syncs.handle(ids.push, 'acme', { type: 'RecordPage', outcomes: [{ recordType: 'customer', localId: 'c-1', qboId: '71', outcome: 'created' }, { recordType: 'customer', localId: 'c-2', qboId: null, outcome: 'failed' }], at: at(11) }, byWorker(ids.push));
    await syncs.handle(ids.push, 'acme', { type: 'CompleteSync', cursor: null, plan: null, at: at(12) }, byWorker(ids.push));

    // The pull run: a mirror, and the cursor for the next pull.
    await syncs.handle(ids.pull, 'acme', { type: 'StartSync', workerId: 'w-2', at: at(13) }, byWorker(ids.pull));
    const remote = customerSchema.parse({ displayName: 'Mirror' }) as Record<string, unknown>;
    await records.handle('acme', { type: 'LinkRecord', recordType: 'customer', localId: 'qbo-80', qboId: '80', syncToken: '1', via: 'pulled', syncId: ids.pull, at: at(14) }, byWorker(ids.pull));
    await records.handle('acme', { type: 'RecordRemoteState', recordType: 'customer', localId: 'qbo-80', policy: 'review', differences: [], syncId: ids.pull, at: at(14),
      remote: { qboId: '80', syncToken: '1', status: 'active', record: remote, contentHash: contentHash(remote), remoteUpdatedAt: at(14) } }, byWorker(ids.pull));
    await syncs.handle(ids.pull, 'acme', { type: 'RecordPage', outcomes: [{ recordType: 'customer', localId: 'qbo-80', qboId: '80', outcome: 'created' }], at: at(14) }, byWorker(ids.pull));
    await syncs.handle(ids.pull, 'acme', { type: 'CompleteSync', cursor: '2026-03-01T00:00:14-08:00', plan: null, at: at(15) }, byWorker(ids.pull));

    // The third run is still queued behind nothing now, but was requested after the two.
    await settings('customer', 'local_wins', 16);
    await settings('invoice', 'qbo_wins', 17);

    await spec.whenProjected();

    expect(await getSyncRun(db, 'acme', ids.push)).toMatchObject({
      status: 'completed_with_failures',
      counts: { planned: 2, created: 1, failed: 1 },
      workerId: 'w-1',
      startedAt: at(6),
      finishedAt: at(12),
    });
    const outcomes = await listSyncRunRecords(db, 'acme', ids.push, {}, { limit: 10 });
    expect(outcomes.items.map((r) => [r.localId, r.outcome, r.attempt, r.parked])).toEqual([
      ['c-1', 'created', null, false],
      ['c-2', 'failed', 4, true],
    ]);
    expect(outcomes.items[1]?.error).toMatchObject({ kind: 'server', hint: fault.hint });
    expect(await listParkedFailures(db, 'acme', ids.push, 'customer', 10)).toEqual(['c-2']);
    expect(await getSyncRun(db, 'acme', ids.pull)).toMatchObject({ status: 'completed', cursor: '2026-03-01T00:00:14-08:00' });
    // A new mirror's final outcome in the run is created; its link says it came from a pull.
    expect((await listSyncRunRecords(db, 'acme', ids.pull, {}, { limit: 10 })).items).toMatchObject([{ localId: 'qbo-80', outcome: 'created', qboId: '80', linkedVia: 'pulled' }]);
    expect(await readSyncCursor(db, 'acme', 'customer')).toBe('2026-03-01T00:00:14-08:00');
    expect(await getSyncRun(db, 'acme', ids.queued)).toMatchObject({ status: 'requested', queuedBehind: 0 });
    // Tenants apart: beta's run is not acme's, and acme's list holds only its own.
    expect(await getSyncRun(db, 'acme', ids.other)).toBeNull();
    expect((await listSyncRuns(db, 'acme', {}, { limit: 10 })).items.map((r) => r.syncId)).toEqual([ids.queued, ids.pull, ids.push]);
    expect(await readSyncSettings(db, 'acme', 'customer')).toMatchObject({ conflictPolicy: 'local_wins', changedBy: 'user:u-1' });
    expect(await readSyncSettings(db, 'acme', 'item')).toMatchObject({ conflictPolicy: 'review', changedBy: null });

    const rows = async () => ({
      runs: (await sql`select * from sync_runs order by sync_id`.execute(db)).rows,
      records: (await sql`select * from sync_run_records order by sync_id, record_type, local_id`.execute(db)).rows,
      cursors: (await sql`select * from sync_cursors order by tenant_id, record_type`.execute(db)).rows,
      settings: (await sql`select * from sync_settings order by tenant_id, record_type`.execute(db)).rows,
    });
    await spec.thenRebuildGivesTheSameRows(rows);
  });
});
