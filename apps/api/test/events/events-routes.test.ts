// The event feed over real HTTP on real Postgres, auth gate on: a tenant's events in log order, each in the
// documented envelope with the cursor that resumes after it; pages of a chosen size that, followed by their
// cursors, hand over every event once and then wait at the end for the next; filters by event type, record,
// run and time; an auditor's key may read it, another tenant's key may not; bad query values name the field.

import { EVENT_DATA_SCHEMAS, type PublishedEventType, eventEnvelopeSchema } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineTestApi, startEngineTestApi } from '../records/support.js';
import { createTestApiKey } from '../support/auth.js';

const feed = (tenant: string, query = '') => `/v1/tenants/${tenant}/events${query === '' ? '' : `?${query}`}`;

interface FeedItem {
  id: string;
  type: string;
  cursor: string;
  localId: string | null;
  syncId: string | null;
  occurredAt: string;
}

describe('event feed', () => {
  let api: EngineTestApi;
  let syncId = '';
  let midpoint = '';

  beforeAll(async () => {
    api = await startEngineTestApi('api_events', ['acme', 'beta']);
    await api.call('acme', 'PUT', '/v1/tenants/acme/records/customer/c-1', { displayName: 'Ada Lovelace' });
    await api.call('acme', 'PUT', '/v1/tenants/acme/records/customer/c-2', { displayName: 'Charles Babbage' });
    await api.call('beta', 'PUT', '/v1/tenants/beta/records/customer/c-1', { displayName: 'Beta only' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    midpoint = new Date().toISOString();
    await api.call('acme', 'PUT', '/v1/tenants/acme/records/customer/c-1', { displayName: 'Ada King' });
    await api.connect('acme');
    syncId = (await api.call('acme', 'POST', '/v1/tenants/acme/syncs', { type: 'customer', direction: 'push' })).body.syncId;
    await api.project();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  /** Follows the cursors from the start until a page says there is no more. */
  const readAll = async (query: string): Promise<{ items: FeedItem[]; pages: number; last: string | null }> => {
    const items: FeedItem[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response = await api.call('acme', 'GET', feed('acme', [query, after === null ? '' : `after=${after}`].filter((part) => part !== '').join('&')));
      expect(response.status).toBe(200);
      pages += 1;
      items.push(...response.body.items);
      after = response.body.nextCursor;
      if (!response.body.hasMore) return { items, pages, last: after };
    }
  };

  it('answers the tenant’s events in log order, each in the documented envelope, and no other tenant’s', async () => {
    const response = await api.call('acme', 'GET', feed('acme'));
    expect(response.status).toBe(200);
    expect(response.body.items.map((event: FeedItem) => event.type)).toEqual([
      'LocalRecordUpserted',
      'LocalRecordUpserted',
      'LocalRecordUpserted',
      'ConnectionAuthorized',
      'SyncRequested',
    ]);
    expect(response.body.hasMore).toBe(false);
    expect(response.body.items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'LocalRecordUpserted',
      streamName: 'record-acme.customer.c-1',
      streamRevision: '0',
      position: { commit: expect.stringMatching(/^[0-9]+$/), prepare: expect.stringMatching(/^[0-9]+$/) },
      recordType: 'customer',
      localId: 'c-1',
      syncId: null,
      occurredAt: expect.any(String),
      recordedAt: expect.any(String),
      data: expect.objectContaining({ recordType: 'customer', localId: 'c-1', localRevision: 1, record: expect.objectContaining({ displayName: 'Ada Lovelace' }) }),
      metadata: { tenantId: 'acme', correlationId: expect.any(String), causationId: null, actor: { type: 'api_key', id: expect.any(String) }, schemaVersion: 1 },
      cursor: expect.any(String),
    });
    expect(response.body.items[4]).toMatchObject({ streamName: `sync-${syncId}`, syncId, recordType: 'customer', metadata: { tenantId: 'acme' } });
    expect(JSON.stringify(response.body)).not.toContain('Beta only');
  });

  it('answers every event in the published envelope, its data in the published schema of its type', async () => {
    const { items } = await readAll('');
    expect(items.length).toBeGreaterThan(3);
    for (const item of items) {
      expect(eventEnvelopeSchema.safeParse(item).error?.issues ?? [], `${item.type} envelope`).toEqual([]);
      const schema = EVENT_DATA_SCHEMAS[item.type as PublishedEventType];
      expect(schema, `${item.type} is published`).toBeDefined();
      expect(schema.safeParse((item as unknown as { data: unknown }).data).error?.issues ?? [], `${item.type} data`).toEqual([]);
    }
  });

  it('exports a period as NDJSON, streamed: the same events as the feed, one a line, and refuses an open-ended period', async () => {
    const period = `from=2020-01-01T00:00:00Z&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const response = await fetch(`${api.url}/v1/tenants/acme/events/export?${period}`, { headers: { ...api.keys.acme } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="acme-events-2020-01-01-/);
    const lines = (await response.text()).split('\n');
    expect(lines.pop()).toBe('');
    const exported = lines.map((line) => JSON.parse(line) as FeedItem);
    expect(exported.map((event) => event.id)).toEqual((await readAll(period)).items.map((event) => event.id));
    const filtered = await fetch(`${api.url}/v1/tenants/acme/events/export?${period}&localId=c-1`, { headers: { ...api.keys.acme } });
    expect((await filtered.text()).trim().split('\n').map((line) => (JSON.parse(line) as FeedItem).localId)).toEqual(['c-1', 'c-1']);

    const open = await api.call('acme', 'GET', '/v1/tenants/acme/events/export?from=2020-01-01T00:00:00Z');
    expect(open.status).toBe(400);
    expect(open.body).toMatchObject({ field: 'to' });
    expect((await api.call('acme', 'GET', '/v1/tenants/beta/events/export?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z')).status).toBe(403);
  });

  it('hands over every event once across pages, and then waits at the end for what comes next', async () => {
    const whole = await readAll('');
    const paged = await readAll('limit=2');
    expect(paged.pages).toBe(3);
    expect(paged.items.map((event) => event.id)).toEqual(whole.items.map((event) => event.id));
    expect(new Set(paged.items.map((event) => event.id)).size).toBe(paged.items.length);

    // Resuming from the last cursor finds nothing yet, and the cursor stays put; a new event then follows it.
    const idle = await api.call('acme', 'GET', feed('acme', `after=${paged.last}`));
    expect(idle.body).toEqual({ items: [], nextCursor: paged.last, hasMore: false });
    await api.call('acme', 'DELETE', '/v1/tenants/acme/records/customer/c-2');
    await api.project();
    const next = await api.call('acme', 'GET', feed('acme', `after=${paged.last}`));
    expect(next.body.items.map((event: FeedItem) => [event.type, event.localId])).toEqual([['LocalRecordDeleted', 'c-2']]);
    // Any item's own cursor resumes right after it.
    const fromItem = await api.call('acme', 'GET', feed('acme', `after=${whole.items[3]?.cursor}`));
    expect(fromItem.body.items.map((event: FeedItem) => event.type)).toEqual(['SyncRequested', 'LocalRecordDeleted']);
  });

  it('filters by event type, record, run and time', async () => {
    const types = async (query: string) => (await readAll(query)).items.map((event) => `${event.type}${event.localId === null ? '' : `:${event.localId}`}`);
    expect(await types('type=SyncRequested,LocalRecordDeleted')).toEqual(['SyncRequested', 'LocalRecordDeleted:c-2']);
    expect(await types('recordType=customer&localId=c-1')).toEqual(['LocalRecordUpserted:c-1', 'LocalRecordUpserted:c-1']);
    expect(await types(`syncId=${syncId}`)).toEqual(['SyncRequested']);
    expect(await types('recordType=invoice')).toEqual([]);
    expect(await types(`from=${midpoint}&type=LocalRecordUpserted`)).toEqual(['LocalRecordUpserted:c-1']);
    expect(await types(`to=${midpoint}`)).toEqual(['LocalRecordUpserted:c-1', 'LocalRecordUpserted:c-2']);
  });

  it('lets an auditor’s key read it, refuses another tenant’s key, and answers 404 for a tenant nobody created', async () => {
    const auditor = await createTestApiKey(api.databaseUrl, { tenant: 'acme', role: 'auditor' });
    const read = await fetch(`${api.url}${feed('acme', 'limit=1')}`, { headers: auditor.headers });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { items: unknown[] }).items).toHaveLength(1);

    const crossing = await api.call('beta', 'GET', feed('acme'));
    expect(crossing.status).toBe(403);
    const auditorCrossing = await fetch(`${api.url}${feed('beta')}`, { headers: auditor.headers });
    expect(auditorCrossing.status).toBe(403);

    const unknown = await fetch(`${api.url}${feed('nobody')}`, { headers: api.admin.headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ field: 'tenant' });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['after=not-a-cursor', 'after'],
    [`after=${Buffer.from('feed:99999999999999999999').toString('base64url')}`, 'after'],
    ['type=recordPushed', 'type'],
    ['type=A&type=B', 'type'],
    ['recordType=vendor', 'recordType'],
    ['localId=%20padded', 'localId'],
    ['syncId=17', 'syncId'],
    ['from=yesterday', 'from'],
    ['to=2026-02-30T00:00:00Z', 'to'],
    ['from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z', 'to'],
    ['sort=desc', 'sort'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const response = await api.call('acme', 'GET', feed('acme', query));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ field });
  });
});
