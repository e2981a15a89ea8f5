// A record's history and the record as of a past time, for auditors, over real HTTP on real Postgres: every
// event of the record in order with who, what, when, which run and which QBO request id, paged by cursor; the
// record as it stood at any past time, folded from its stream with the decider's own evolve, agreeing with the
// read model at the present; an auditor's key reads both, another tenant's key neither; bad values name the field.

import { contentHash } from '@qbo-sync/application';
import { recordCommands } from '@qbo-sync/application/testing';
import { customerSchema } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApiKey } from '../support/auth.js';
import { type EngineTestApi, startEngineTestApi } from './support.js';

const record = (localId: string) => `/v1/tenants/acme/records/customer/${localId}`;
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

interface HistoryItem {
  type: string;
  streamRevision: string;
  actor: { type: string; id: string };
  syncId: string | null;
  requestId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

describe('record history and as-of', () => {
  let api: EngineTestApi;
  let beforeAll_ = '';
  let afterFirst = '';
  let afterSecond = '';
  const syncId = '00000000-0000-4000-8000-0000000000aa';

  beforeAll(async () => {
    api = await startEngineTestApi('api_record_history', ['acme', 'beta']);
    beforeAll_ = new Date().toISOString();
    await pause();
    await api.call('acme', 'PUT', record('c-1'), { displayName: 'Ada Lovelace' });
    await pause();
    afterFirst = new Date().toISOString();
    await pause();
    await api.call('acme', 'PUT', record('c-1'), { displayName: 'Ada King' });
    await pause();
    afterSecond = new Date().toISOString();
    await pause();
    // The worker's part: a push that created it in QBO, written through the same decider it writes with.
    const stored = customerSchema.parse({ displayName: 'Ada King' }) as Record<string, unknown>;
    await recordCommands(api.store).handle(
      'acme',
      { type: 'RecordPushResult', recordType: 'customer', localId: 'c-1', qboId: '58', operation: 'create', syncToken: '0', contentHash: contentHash(stored), localRevision: 2,
        requestId: 'rq-c-1-2', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId, at: new Date().toISOString() },
      { correlationId: syncId, actor: { type: 'system', id: 'sync-worker' } },
    );
    await api.project();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it('lists every event of the record: who, what, when, which run and which QBO request id', async () => {
    const response = await api.call('acme', 'GET', `${record('c-1')}/history`);
    expect(response.status).toBe(200);
    expect(response.body.hasMore).toBe(false);
    const items: HistoryItem[] = response.body.items;
    expect(items.map((item) => [item.streamRevision, item.type, item.actor.type, item.syncId, item.requestId])).toEqual([
      ['0', 'LocalRecordUpserted', 'api_key', null, null],
      ['1', 'LocalRecordUpserted', 'api_key', null, null],
      ['2', 'RecordLinked', 'system', syncId, null],
      ['3', 'RecordPushed', 'system', syncId, 'rq-c-1-2'],
    ]);
    expect(items[1]?.data).toMatchObject({ record: { displayName: 'Ada King' }, localRevision: 2 });
    expect((items[0]?.occurredAt ?? '') < afterFirst && afterFirst < (items[1]?.occurredAt ?? '')).toBe(true);
  });

  it('pages the history by cursor, like the feed', async () => {
    const first = await api.call('acme', 'GET', `${record('c-1')}/history?limit=3`);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.hasMore).toBe(true);
    const rest = await api.call('acme', 'GET', `${record('c-1')}/history?limit=3&after=${first.body.nextCursor}`);
    expect(rest.body.items.map((item: HistoryItem) => item.type)).toEqual(['RecordPushed']);
    expect(rest.body.hasMore).toBe(false);
    const idle = await api.call('acme', 'GET', `${record('c-1')}/history?after=${rest.body.nextCursor}`);
    expect(idle.body).toEqual({ items: [], nextCursor: rest.body.nextCursor, hasMore: false });
  });

  it('answers the record as it stood at a past time, folded from its stream', async () => {
    const first = await api.call('acme', 'GET', `${record('c-1')}?asOf=${afterFirst}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      tenantId: 'acme', type: 'customer', localId: 'c-1', asOf: afterFirst, streamRevision: '0',
      record: { displayName: 'Ada Lovelace' }, localRevision: 1, deleted: false, link: { qboId: null }, syncStatus: 'pending', inSync: false,
    });
    const second = await api.call('acme', 'GET', `${record('c-1')}?asOf=${afterSecond}`);
    expect(second.body).toMatchObject({ streamRevision: '1', record: { displayName: 'Ada King' }, localRevision: 2, link: { qboId: null }, syncStatus: 'pending' });

    const before = await api.call('acme', 'GET', `${record('c-1')}?asOf=${beforeAll_}`);
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({ field: 'localId' });
  });

  it('agrees with the read model at the present: one fold, not two', async () => {
    const now = await api.call('acme', 'GET', `${record('c-1')}?asOf=${new Date(Date.now() + 60_000).toISOString()}`);
    const current = await api.call('acme', 'GET', record('c-1'));
    expect(now.body).toMatchObject({ streamRevision: '3', syncStatus: 'synced', inSync: true, link: { qboId: '58', syncToken: '0', linkedVia: 'created' } });
    for (const field of ['record', 'contentHash', 'localRevision', 'deleted', 'inSync', 'syncStatus', 'lastError']) {
      expect(now.body[field], field).toEqual(current.body[field]);
    }
    // QBO's own time of its last change is kept by the read model beside the decider's state, not in it.
    const { remoteUpdatedAt: _kept, ...link } = current.body.link;
    expect(now.body.link).toEqual(link);
  });

  it('lets an auditor’s key read both; another tenant’s key reads neither; an unknown record is 404', async () => {
    const auditor = await createTestApiKey(api.databaseUrl, { tenant: 'acme', role: 'auditor' });
    expect((await fetch(`${api.url}${record('c-1')}/history`, { headers: auditor.headers })).status).toBe(200);
    expect((await fetch(`${api.url}${record('c-1')}?asOf=${afterFirst}`, { headers: auditor.headers })).status).toBe(200);

    expect((await api.call('beta', 'GET', `${record('c-1')}/history`)).status).toBe(403);
    expect((await api.call('beta', 'GET', `${record('c-1')}?asOf=${afterFirst}`)).status).toBe(403);
    // beta's own path for the same local id holds nothing of acme's.
    expect((await api.call('beta', 'GET', '/v1/tenants/beta/records/customer/c-1/history')).status).toBe(404);

    const missing = await api.call('acme', 'GET', `${record('nobody')}/history`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ field: 'localId' });
  });

  it.each([
    [`${record('c-1')}?asOf=yesterday`, 'asOf'],
    [`${record('c-1')}?asOf=2026-02-30T00:00:00Z`, 'asOf'],
    [`${record('c-1')}?asOf=2026-02-01T00:00:00Z&asOf=2026-02-02T00:00:00Z`, 'asOf'],
    [`${record('c-1')}?as_of=2026-02-01T00:00:00Z`, 'as_of'],
    [`${record('c-1')}/history?limit=0`, 'limit'],
    [`${record('c-1')}/history?after=bogus`, 'after'],
    [`${record('c-1')}/history?after=${Buffer.from('feed:1').toString('base64url')}`, 'after'],
  ])('answers 400 naming the field for %s', async (path, field) => {
    const response = await api.call('acme', 'GET', path);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ field });
  });
});
