// The records projection run by the real runner over the Postgres event store: a history written through the
// record command handler (upserts, a link, pushes, a pull, a failure, an ambiguous match, a conflict, a delete)
// becomes one row per record with the decider's status, and a rebuild from zero gives the very same rows.

import { contentHash } from '@qbo-sync/application';
import { recordCommands } from '@qbo-sync/application/testing';
import { createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { getRecord, listRecords, streamRecords } from '@qbo-sync/adapters/read-models';
import { type RecordCommand, customerSchema } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsProjection } from '../src/projections/records.js';
import { projectionSpecification } from './projection-specification.js';
import { type ProjectorTestDb, openProjectorTestDb } from './support.js';

const at = (second: number) => `2026-02-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const context = { correlationId: 'req-1', actor: { type: 'api_key' as const, id: 'key-1' } };
const upsert = (localId: string, input: Record<string, unknown>, second: number): RecordCommand => {
  const record = customerSchema.parse(input) as Record<string, unknown>;
  return { type: 'UpsertLocalRecord', recordType: 'customer', localId, record, contentHash: contentHash(record), at: at(second) };
};
const throttled = { kind: 'throttle' as const, qboCode: '003001', message: 'ThrottleExceeded', hint: 'wait a minute', retriable: true, intuitTid: 'tid-1' };

describe('records projection', () => {
  let test: ProjectorTestDb;
  let store: ReturnType<typeof createPostgresEventStore>;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    test = await openProjectorTestDb('records');
    db = test.db as unknown as Kysely<unknown>;
    store = createPostgresEventStore({ db, connectionString: test.url, idlePollMs: 100 });
  });
  afterAll(async () => {
    await store.close();
    await test.close();
  });

  const spec = projectionSpecification(() => ({ test, store }), [recordsProjection]);

  it('folds each record history into its row, live and rebuilt alike', async () => {
    const commands = recordCommands(store);
    const sync = (syncId: string) => ({ correlationId: syncId, actor: { type: 'system' as const, id: 'worker' } });

    // c1: pushed, then edited locally (pending again).
    await commands.handle('acme', upsert('c1', { displayName: "O'Brien & Sons", email: 'ob@example.com' }, 1), context);
    await commands.handle('acme', { type: 'RecordPushResult', recordType: 'customer', localId: 'c1', qboId: '58', operation: 'create', syncToken: '0',
      contentHash: (await commands.state('acme', 'customer', 'c1')).state.contentHash ?? '', localRevision: 1, requestId: 'rq1', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: 's1', at: at(2) }, sync('s1'));
    await commands.handle('acme', upsert('c1', { displayName: "O'Brien & Sons", email: 'new@example.com' }, 3), context);
    // An upsert of the same content appends nothing.
    const unchanged = await commands.handle('acme', upsert('c1', { email: 'new@example.com', displayName: "O'Brien & Sons" }, 4), context);
    expect(unchanged.events).toEqual([]);

    // c2: failed until parked.
    await commands.handle('acme', upsert('c2', { displayName: 'Zoë “Quotes”' }, 5), context);
    for (let attempt = 1; attempt <= 4; attempt++) {
      await commands.handle('acme', { type: 'RecordFailure', recordType: 'customer', localId: 'c2', direction: 'push', error: throttled, attempt, syncId: 's1', at: at(5 + attempt) }, sync('s1'));
    }

    // c3: two candidates in QBO, held for review.
    await commands.handle('acme', upsert('c3', { displayName: 'Twin', email: 'twin@example.com' }, 10), context);
    await commands.handle('acme', { type: 'RecordAmbiguousMatch', recordType: 'customer', localId: 'c3', rule: 'email',
      candidates: [{ qboId: '7', label: 'Twin' }, { qboId: '8', label: 'Twin 2' }], syncId: 's1', at: at(11) }, sync('s1'));

    // qbo-90: a mirror of a QBO record first seen by a pull.
    const remote = customerSchema.parse({ displayName: 'From QuickBooks' }) as Record<string, unknown>;
    await commands.handle('acme', { type: 'LinkRecord', recordType: 'customer', localId: 'qbo-90', qboId: '90', syncToken: '3', via: 'pulled', syncId: 's2', at: at(12) }, sync('s2'));
    await commands.handle('acme', { type: 'RecordRemoteState', recordType: 'customer', localId: 'qbo-90', policy: 'review', differences: [], syncId: 's2', at: at(13),
      remote: { qboId: '90', syncToken: '3', status: 'active', record: remote, contentHash: contentHash(remote), remoteUpdatedAt: '2026-01-31T10:00:00-08:00' } }, sync('s2'));

    // c4: linked by a match, then both sides changed: the conflict is held for review.
    await commands.handle('acme', upsert('c4', { displayName: 'Both' }, 14), context);
    const c4Hash = (await commands.state('acme', 'customer', 'c4')).state.contentHash ?? '';
    await commands.handle('acme', { type: 'LinkRecord', recordType: 'customer', localId: 'c4', qboId: '91', syncToken: '0', via: 'matched', syncId: 's1', at: at(15) }, sync('s1'));
    await commands.handle('acme', { type: 'RecordPushResult', recordType: 'customer', localId: 'c4', qboId: '91', operation: 'update', syncToken: '1',
      contentHash: c4Hash, localRevision: 1, requestId: 'rq4', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: 's1', at: at(16) }, sync('s1'));
    await commands.handle('acme', upsert('c4', { displayName: 'Both', notes: 'host edit' }, 17), context);
    const qboEdit = customerSchema.parse({ displayName: 'Both', phone: '555' }) as Record<string, unknown>;
    await commands.handle('acme', { type: 'RecordRemoteState', recordType: 'customer', localId: 'c4', policy: 'review', syncId: 's3', at: at(18),
      differences: [{ field: 'notes', local: 'host edit', remote: null }], remote: { qboId: '91', syncToken: '2', status: 'active', record: qboEdit, contentHash: contentHash(qboEdit), remoteUpdatedAt: '2026-01-31T11:00:00-08:00' } }, sync('s3'));

    // c5: deleted by the host before it was ever pushed; another tenant's record of the same id.
    await commands.handle('acme', upsert('c5', { displayName: 'Gone' }, 19), context);
    await commands.handle('acme', { type: 'DeleteLocalRecord', recordType: 'customer', localId: 'c5', at: at(20) }, context);
    await commands.handle('beta', upsert('c1', { displayName: 'Beta only' }, 21), context);

    await spec.whenProjected();

    const c1 = await getRecord(db, 'acme', 'customer', 'c1');
    expect(c1).toMatchObject({
      localRevision: 2,
      record: { email: 'new@example.com' },
      syncStatus: 'pending',
      link: { qboId: '58', syncToken: '0', linkedVia: 'created', remoteStatus: 'active', lastPushedSyncToken: '0' },
      lastSyncedAt: at(2),
      lastSyncId: 's1',
      lastError: null,
    });
    expect(c1?.contentHash).not.toBe(c1?.link.syncedHash);
    expect(await getRecord(db, 'acme', 'customer', 'c2')).toMatchObject({
      syncStatus: 'failed',
      link: { qboId: null },
      lastError: { kind: 'throttle', qboCode: '003001', hint: 'wait a minute', attempt: 4, parked: true, syncId: 's1', at: at(9) },
    });
    expect(await getRecord(db, 'acme', 'customer', 'c3')).toMatchObject({ syncStatus: 'review', review: { reason: 'ambiguous_match', rule: 'email', candidates: [{ qboId: '7' }, { qboId: '8' }] } });
    expect(await getRecord(db, 'acme', 'customer', 'qbo-90')).toMatchObject({
      syncStatus: 'synced',
      record: { displayName: 'From QuickBooks' },
      link: { qboId: '90', linkedVia: 'pulled', remoteUpdatedAt: '2026-01-31T18:00:00.000Z' },
    });
    expect(await getRecord(db, 'acme', 'customer', 'c4')).toMatchObject({
      syncStatus: 'conflict',
      review: { reason: 'conflict', policy: 'review', remoteSyncToken: '2', differences: [{ field: 'notes' }] },
    });
    expect(await getRecord(db, 'acme', 'customer', 'c5')).toMatchObject({ deleted: true, localRevision: 2, syncStatus: 'synced' });
    expect(await getRecord(db, 'beta', 'customer', 'c1')).toMatchObject({ record: { displayName: 'Beta only' }, syncStatus: 'pending' });

    // Filters and keyset pages, scoped to the tenant.
    const pending = await listRecords(db, 'acme', 'customer', { changed: true }, { limit: 10 });
    expect(pending.items.map((r) => r.localId)).toEqual(['c1', 'c2', 'c3', 'c4']);
    const page1 = await listRecords(db, 'acme', 'customer', {}, { limit: 2 });
    const page2 = await listRecords(db, 'acme', 'customer', {}, { limit: 2, after: page1.nextAfter });
    expect([...page1.items, ...page2.items].map((r) => r.localId)).toEqual(['c1', 'c2', 'c3', 'c4']);
    const pages: string[][] = [];
    for await (const page of streamRecords(db, 'acme', 'customer', {}, 4)) pages.push(page.map((r) => r.localId));
    expect(pages).toEqual([['c1', 'c2', 'c3', 'c4'], ['c5', 'qbo-90']]);
    expect((await listRecords(db, 'acme', 'customer', { linked: true }, { limit: 10 })).items.map((r) => r.localId)).toEqual(['c1', 'c4', 'qbo-90']);

    await spec.thenRebuildGivesTheSameRows(async () => (await sql`select * from records order by tenant_id, record_type, local_id`.execute(db)).rows);
  });
});
