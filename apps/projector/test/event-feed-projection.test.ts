// The event feed projection run by the real runner over the Postgres event store: every event of the log
// becomes one row, numbered in log order, owned by the tenant its metadata names (a run's stream name carries
// none, as on EventStoreDB), keyed by its record and run, timed by when it happened, with only the documented
// metadata; pages follow the numbering and the filters; and a rebuild from zero numbers them the same way.

import { randomUUID } from 'node:crypto';
import { contentHash } from '@qbo-sync/application';
import { recordCommands } from '@qbo-sync/application/testing';
import { createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { listFeedEvents } from '@qbo-sync/adapters/read-models';
import { type RecordCommand, customerSchema } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFeedProjection } from '../src/projections/event-feed.js';
import { projectionSpecification } from './projection-specification.js';
import { type ProjectorTestDb, openProjectorTestDb } from './support.js';

const at = (second: number) => `2026-02-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const host = { correlationId: 'req-1', actor: { type: 'api_key' as const, id: 'key-1' } };
const upsert = (localId: string, displayName: string, second: number): RecordCommand => {
  const record = customerSchema.parse({ displayName }) as Record<string, unknown>;
  return { type: 'UpsertLocalRecord', recordType: 'customer', localId, record, contentHash: contentHash(record), at: at(second) };
};

describe('event feed projection', () => {
  let test: ProjectorTestDb;
  let store: ReturnType<typeof createPostgresEventStore>;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    test = await openProjectorTestDb('event_feed');
    db = test.db as unknown as Kysely<unknown>;
    store = createPostgresEventStore({ db, connectionString: test.url, idlePollMs: 100 });
  });
  afterAll(async () => {
    await store.close();
    await test.close();
  });

  const spec = projectionSpecification(() => ({ test, store }), [eventFeedProjection]);
  const syncId = randomUUID();

  it('numbers every event in log order, for the tenant its metadata names, with its record, run and time', async () => {
    await spec.given(async (events) => {
      const commands = recordCommands(events);
      await commands.handle('acme', upsert('c1', 'First', 1), host);
      // A run's stream names no tenant: the feed takes it from the metadata. The stray header in the metadata
      // stands for anything a writer might add by mistake; the feed passes on only the documented fields.
      await events.appendToStream(`sync-${syncId}`, [
        {
          id: randomUUID(),
          type: 'SyncRequested',
          data: { syncId, tenantId: 'acme', recordType: 'customer', direction: 'push', scope: { kind: 'changed' }, dryRun: false, retryOf: null, requestedBy: 'api-key:key-1', at: at(2) },
          metadata: { tenantId: 'acme', correlationId: 'req-2', causationId: null, actor: { type: 'api_key', id: 'key-1' }, schemaVersion: 1, authorization: 'Bearer secret-token' } as never,
        },
      ]);
      const hash = (await commands.state('acme', 'customer', 'c1')).state.contentHash ?? '';
      await commands.handle('acme', { type: 'RecordPushResult', recordType: 'customer', localId: 'c1', qboId: '58', operation: 'create', syncToken: '0',
        contentHash: hash, localRevision: 1, requestId: 'rq-1', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId, at: at(3) }, { correlationId: syncId, actor: { type: 'system', id: 'sync-worker' } });
      await commands.handle('beta', upsert('c1', 'Beta only', 4), host);
      await commands.handle('acme', upsert('c2', 'Second', 5), host);
    });

    await spec.whenProjected();

    const rows = (await sql<Record<string, unknown>>`select feed_position::int as n, tenant_id, event_type, stream_name, record_type, local_id, sync_id, occurred_at, metadata
      from event_feed order by feed_position`.execute(db)).rows;
    expect(rows.map((row) => [row.n, row.tenant_id, row.event_type, row.local_id])).toEqual([
      [1, 'acme', 'LocalRecordUpserted', 'c1'],
      [2, 'acme', 'SyncRequested', null],
      [3, 'acme', 'RecordLinked', 'c1'],
      [4, 'acme', 'RecordPushed', 'c1'],
      [5, 'beta', 'LocalRecordUpserted', 'c1'],
      [6, 'acme', 'LocalRecordUpserted', 'c2'],
    ]);
    expect(rows[1]).toMatchObject({ stream_name: `sync-${syncId}`, record_type: 'customer', sync_id: syncId, occurred_at: new Date(at(2)) });
    expect(rows[1]?.metadata).toEqual({ tenantId: 'acme', correlationId: 'req-2', causationId: null, actor: { type: 'api_key', id: 'key-1' }, schemaVersion: 1 });
    expect(rows[3]).toMatchObject({ record_type: 'customer', sync_id: syncId, occurred_at: new Date(at(3)) });

    await spec.thenRebuildGivesTheSameRows(async () => (await sql`select * from event_feed order by feed_position`.execute(db)).rows);
  });

  it('pages a tenant’s events by keyset, and filters by type, record, run and time', async () => {
    const types = async (filter: Parameters<typeof listFeedEvents>[2]) => (await listFeedEvents(db, 'acme', filter, { limit: 10, after: null })).items.map((event) => event.type);

    const first = await listFeedEvents(db, 'acme', {}, { limit: 2, after: null });
    expect(first.items.map((event) => event.type)).toEqual(['LocalRecordUpserted', 'SyncRequested']);
    expect(first.hasMore).toBe(true);
    const second = await listFeedEvents(db, 'acme', {}, { limit: 2, after: first.nextAfter });
    expect(second.items.map((event) => [event.type, event.localId])).toEqual([['RecordLinked', 'c1'], ['RecordPushed', 'c1']]);
    const third = await listFeedEvents(db, 'acme', {}, { limit: 2, after: second.nextAfter });
    expect(third.items.map((event) => [event.type, event.localId])).toEqual([['LocalRecordUpserted', 'c2']]);
    expect(third.hasMore).toBe(false);
    // At the end, the cursor stays where the reader is, so polling with it picks up what comes next.
    const end = await listFeedEvents(db, 'acme', {}, { limit: 2, after: third.nextAfter });
    expect(end).toEqual({ items: [], hasMore: false, nextAfter: third.nextAfter });

    expect(second.items[1]).toMatchObject({ id: expect.any(String), streamName: 'record-acme.customer.c1', streamRevision: '2', recordType: 'customer', syncId,
      occurredAt: at(3), data: { requestId: 'rq-1', qboId: '58' }, metadata: { tenantId: 'acme', correlationId: syncId, actor: { type: 'system', id: 'sync-worker' } } });

    expect(await types({ eventTypes: ['RecordPushed', 'SyncRequested'] })).toEqual(['SyncRequested', 'RecordPushed']);
    expect(await types({ recordType: 'customer', localId: 'c1' })).toEqual(['LocalRecordUpserted', 'RecordLinked', 'RecordPushed']);
    expect(await types({ syncId })).toEqual(['SyncRequested', 'RecordLinked', 'RecordPushed']);
    expect(await types({ from: new Date(at(2)), to: new Date(at(5)) })).toEqual(['SyncRequested', 'RecordLinked', 'RecordPushed']);
    expect((await listFeedEvents(db, 'beta', {}, { limit: 10, after: null })).items.map((event) => event.data)).toEqual([expect.objectContaining({ localId: 'c1', record: expect.objectContaining({ displayName: 'Beta only' }) })]);
  });

  it('keeps numeric order across pages however far the numbers run', async () => {
    await spec.given(async (events) => {
      for (let index = 0; index < 15; index++) await recordCommands(events).handle('gamma', upsert(`g${index}`, `Gamma ${index}`, 30 + index), host);
    });
    await spec.whenProjected();
    const seen: string[] = [];
    let after: bigint | null = null;
    for (let more = true; more; ) {
      const page = await listFeedEvents(db, 'gamma', {}, { limit: 4, after });
      seen.push(...page.items.map((event) => event.localId ?? ''));
      after = page.nextAfter;
      more = page.hasMore;
    }
    expect(seen).toEqual(Array.from({ length: 15 }, (_, index) => `g${index}`));
  });

  it('serves an event written in an older shape in its current shape, and says so', async () => {
    await spec.given(async (events) => {
      await events.appendToStream('record-delta.customer.d1', [
        {
          id: randomUUID(),
          type: 'RecordPushed',
          data: { recordType: 'customer', localId: 'd1', qboId: '7', operation: 'create', syncToken: '0', contentHash: 'h', localRevision: 1, requestId: 'rq-d1', syncId, at: at(50) },
          metadata: { tenantId: 'delta', correlationId: syncId, causationId: null, actor: { type: 'system', id: 'sync-worker' }, schemaVersion: 1 },
        },
      ]);
    });
    await spec.whenProjected();
    const [pushed] = (await listFeedEvents(db, 'delta', {}, { limit: 10, after: null })).items;
    expect(pushed).toMatchObject({ data: { attempts: 1, foundByLookup: false, remoteContentHash: null, requestId: 'rq-d1' }, metadata: { schemaVersion: 2 } });
  });
});
