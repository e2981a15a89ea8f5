// The records routes over real HTTP: the api's composition root on real Postgres with the auth gate on, a
// host calling with its tenant's API key. Upserts append events (nothing for unchanged content), bulk answers
// per record, reads show the link status from the read model, deletes are recorded, and bad input gets a 4xx
// naming the field with nothing written.

import { contentHash } from '@qbo-sync/application';
import { recordCommands } from '@qbo-sync/application/testing';
import { customerSchema } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineTestApi, startEngineTestApi } from './support.js';

const base = (tenant: string, type = 'customer') => `/v1/tenants/${tenant}/records/${type}`;

describe('records routes', () => {
  let api: EngineTestApi;

  beforeAll(async () => {
    api = await startEngineTestApi('api_records', ['acme', 'beta']);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  const streamLength = async (tenant: string, type: string, localId: string) => (await api.store.readStream(`record-${tenant}.${type}.${localId}`)).events.length;

  it('creates, updates, and appends nothing for unchanged content (whatever the key order or nulls)', async () => {
    const created = await api.call('acme', 'PUT', `${base('acme')}/c-1`, { displayName: "O'Brien & Sons", email: 'ob@example.com', phone: null });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenantId: 'acme', type: 'customer', localId: 'c-1', status: 'created', localRevision: 1, record: { displayName: "O'Brien & Sons", active: true } });
    expect(created.body.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const same = await api.call('acme', 'PUT', `${base('acme')}/c-1`, { email: 'ob@example.com', displayName: "O'Brien & Sons" });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ status: 'unchanged', localRevision: 1, contentHash: created.body.contentHash });
    expect(await streamLength('acme', 'customer', 'c-1')).toBe(1);

    const changed = await api.call('acme', 'PUT', `${base('acme')}/c-1`, { displayName: "O'Brien & Sons", email: 'new@example.com' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'updated', localRevision: 2 });
    const events = (await api.store.readStream('record-acme.customer.c-1')).events;
    expect(events.map((event) => event.type)).toEqual(['LocalRecordUpserted', 'LocalRecordUpserted']);
    expect(events[1]?.metadata).toMatchObject({ tenantId: 'acme', actor: { type: 'api_key' } });
  });

  it('reads one record with its link status, and lists them filtered and paged', async () => {
    for (const id of ['p-3', 'p-1', 'p-2']) expect((await api.call('acme', 'PUT', `${base('acme', 'item')}/${id}`, { name: `Widget ${id}`, type: 'service', salesPrice: 9.5 })).status).toBe(201);
    await api.project();

    const one = await api.call('acme', 'GET', `${base('acme')}/c-1`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      tenantId: 'acme',
      type: 'customer',
      localId: 'c-1',
      localRevision: 2,
      deleted: false,
      record: { email: 'new@example.com' },
      syncStatus: 'pending',
      link: { qboId: null, syncToken: null, remoteStatus: null },
      lastSyncedAt: null,
      lastError: null,
      inSync: false,
    });
    expect(one.body.state).toBeUndefined();

    const first = await api.call('acme', 'GET', `${base('acme', 'item')}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: { localId: string }) => r.localId)).toEqual(['p-1', 'p-2']);
    expect(first.body.nextCursor).toBe('p-2');
    const second = await api.call('acme', 'GET', `${base('acme', 'item')}?limit=2&after=${first.body.nextCursor}`);
    expect(second.body.items.map((r: { localId: string }) => r.localId)).toEqual(['p-3']);
    expect(second.body.nextCursor).toBeNull();

    expect((await api.call('acme', 'GET', `${base('acme', 'item')}?syncStatus=pending&linked=false`)).body.items).toHaveLength(3);
    expect((await api.call('acme', 'GET', `${base('acme', 'item')}?syncStatus=synced`)).body.items).toHaveLength(0);
  });

  it('answers a bulk upsert per record: created, unchanged, invalid, duplicate', async () => {
    const records = [
      { localId: 'b-1', record: { displayName: 'Zoë “Quotes” Ltd' } },
      { localId: 'c-1', record: { displayName: "O'Brien & Sons", email: 'new@example.com' } },
      { localId: 'b-2', record: { displayName: 'Parent:Child' } },
      { localId: 'b-1', record: { displayName: 'Again' } },
      { localId: 'b-3', record: { displayName: 'x'.repeat(500) } },
      { record: { displayName: 'No id' } },
    ];
    const response = await api.call('acme', 'POST', base('acme'), { records });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ created: 2, updated: 0, unchanged: 1, invalid: 3, failed: 0 });
    const results = response.body.results;
    expect(results.map((r: { status: string }) => r.status)).toEqual(['created', 'unchanged', 'invalid', 'invalid', 'created', 'invalid']);
    expect(results[2].errors[0]).toMatchObject({ field: 'records.2.record.displayName' });
    expect(results[2].errors[0].message).toMatch(/colon/);
    expect(results[3].errors[0]).toMatchObject({ field: 'records.3.localId' });
    expect(results[5].errors[0]).toMatchObject({ field: 'records.5.localId' });
    expect(await streamLength('acme', 'customer', 'b-2')).toBe(0);
    expect(await streamLength('acme', 'customer', 'b-1')).toBe(1);
  });

  it('writes a full bulk of 1000 and refuses 1001 whole, naming the field', async () => {
    const many = (count: number) => Array.from({ length: count }, (_, index) => ({ localId: `bulk-${String(index).padStart(4, '0')}`, record: { displayName: `Bulk customer ${index}` } }));
    const tooMany = await api.call('acme', 'POST', base('acme'), { records: many(1001) });
    expect(tooMany.status).toBe(413);
    expect(tooMany.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(tooMany.body).toMatchObject({ field: 'records', limit: 1000 });
    expect(await streamLength('acme', 'customer', 'bulk-0000')).toBe(0);

    const full = await api.call('acme', 'POST', base('acme'), { records: many(1000) });
    expect(full.status).toBe(200);
    expect(full.body.summary).toMatchObject({ created: 1000, invalid: 0, failed: 0 });
    expect(await streamLength('acme', 'customer', 'bulk-0999')).toBe(1);
  }, 60_000);

  it('deletes: the record is marked deleted, a second delete changes nothing, an unknown one is 404', async () => {
    const deleted = await api.call('acme', 'DELETE', `${base('acme')}/c-1`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ deleted: true, changed: true, localRevision: 3, remoteAction: 'none' });
    expect((await api.call('acme', 'DELETE', `${base('acme')}/c-1`)).body).toMatchObject({ changed: false, localRevision: 3 });
    const missing = await api.call('acme', 'DELETE', `${base('acme')}/never-sent`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ field: 'localId' });
    await api.project();
    expect((await api.call('acme', 'GET', `${base('acme')}/c-1`)).body).toMatchObject({ deleted: true, localRevision: 3 });
  });

  it('refuses bad input with a problem naming the field, and writes nothing', async () => {
    const cases: { name: string; method: string; path: string; body?: unknown; status: number; field: string }[] = [
      { name: 'colon in a display name', method: 'PUT', path: `${base('acme')}/bad-1`, body: { displayName: 'A:B' }, status: 400, field: 'displayName' },
      { name: '501-character name', method: 'PUT', path: `${base('acme')}/bad-1`, body: { displayName: 'n'.repeat(501) }, status: 400, field: 'displayName' },
      { name: 'wrong type', method: 'PUT', path: `${base('acme')}/bad-1`, body: { displayName: 42 }, status: 400, field: 'displayName' },
      { name: 'unknown field', method: 'PUT', path: `${base('acme')}/bad-1`, body: { displayName: 'Ok', colour: 'red' }, status: 400, field: 'colour' },
      { name: 'array body', method: 'PUT', path: `${base('acme')}/bad-1`, body: [1, 2], status: 400, field: 'body' },
      { name: 'unknown type', method: 'PUT', path: `${base('acme', 'widget')}/bad-1`, body: { name: 'x' }, status: 404, field: 'type' },
      { name: 'bad local id', method: 'PUT', path: `${base('acme')}/%20padded`, body: { displayName: 'Ok' }, status: 400, field: 'localId' },
      { name: 'unknown list filter', method: 'GET', path: `${base('acme')}?colour=red`, status: 400, field: 'colour' },
      { name: 'bad limit', method: 'GET', path: `${base('acme')}?limit=0`, status: 400, field: 'limit' },
      { name: 'bad sync status', method: 'GET', path: `${base('acme')}?syncStatus=done`, status: 400, field: 'syncStatus' },
      { name: 'bulk not an array', method: 'POST', path: base('acme'), body: { records: 'all' }, status: 400, field: 'records' },
      { name: 'missing record', method: 'GET', path: `${base('acme')}/bad-1`, status: 404, field: 'localId' },
    ];
    for (const c of cases) {
      const response = await api.call('acme', c.method, c.path, c.body);
      expect({ name: c.name, status: response.status, field: response.body?.field }).toEqual({ name: c.name, status: c.status, field: c.field });
      expect(response.headers.get('content-type'), c.name).toMatch(/application\/problem\+json/);
      expect(typeof response.body.detail, c.name).toBe('string');
    }
    const invalidJson = await api.call('acme', 'PUT', `${base('acme')}/bad-1`, '{"displayName": ');
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body.type).toMatch(/invalid-json/);
    expect(await streamLength('acme', 'customer', 'bad-1')).toBe(0);
  });

  it('keeps tenants apart: an unknown tenant is 404, another tenant’s key is refused, same ids do not mix', async () => {
    const admin = { ...api.admin.headers, 'content-type': 'application/json' };
    const unknown = await fetch(`${api.url}${base('nobody')}/c-1`, { method: 'PUT', headers: admin, body: JSON.stringify({ displayName: 'X' }) });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ field: 'tenant' });
    expect(await streamLength('nobody', 'customer', 'c-1')).toBe(0);

    const crossed = await api.call('beta', 'GET', `${base('acme')}/c-1`);
    expect(crossed.status).toBe(403);
    const unauthenticated = await fetch(`${api.url}${base('acme')}/c-1`);
    expect(unauthenticated.status).toBe(401);

    expect((await api.call('beta', 'PUT', `${base('beta')}/c-1`, { displayName: 'Beta’s own' })).status).toBe(201);
    await api.project();
    expect((await api.call('beta', 'GET', `${base('beta')}/c-1`)).body).toMatchObject({ localRevision: 1, record: { displayName: 'Beta’s own' } });
    expect((await api.call('acme', 'GET', `${base('acme')}/c-1`)).body).toMatchObject({ localRevision: 3 });
  });

  it('settles a conflict held for review: QBO wins applies QBO’s version; a second resolution is refused', async () => {
    const records = recordCommands(api.store);
    const worker = { correlationId: 'sync-x', actor: { type: 'system' as const, id: 'sync-worker' } };
    expect((await api.call('acme', 'PUT', `${base('acme')}/con-1`, { displayName: 'Both Sides' })).status).toBe(201);
    const pushed = (await records.state('acme', 'customer', 'con-1')).state.contentHash ?? '';
    await records.handle('acme', { type: 'RecordPushResult', recordType: 'customer', localId: 'con-1', qboId: '500', operation: 'create', syncToken: '0', contentHash: pushed, localRevision: 1, requestId: 'qsx', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: 'sync-x', at: new Date().toISOString() }, worker);
    expect((await api.call('acme', 'PUT', `${base('acme')}/con-1`, { displayName: 'Both Sides', notes: 'host edit' })).status).toBe(200);
    const qbo = customerSchema.parse({ displayName: 'Both Sides', phone: '555-0100' }) as Record<string, unknown>;
    await records.handle('acme', { type: 'RecordRemoteState', recordType: 'customer', localId: 'con-1', policy: 'review', syncId: 'sync-x', at: new Date().toISOString(),
      differences: [{ field: 'notes', local: 'host edit', remote: null }], remote: { qboId: '500', syncToken: '1', status: 'active', record: qbo, contentHash: contentHash(qbo), remoteUpdatedAt: new Date().toISOString() } }, worker);
    await api.project();
    expect((await api.call('acme', 'GET', `${base('acme')}/con-1`)).body).toMatchObject({ syncStatus: 'conflict', review: { reason: 'conflict', differences: [{ field: 'notes' }] } });

    const bad = await api.call('acme', 'POST', `${base('acme')}/con-1/resolve-conflict`, { resolution: 'both' });
    expect(bad.body).toMatchObject({ status: 400, field: 'resolution' });
    const resolved = await api.call('acme', 'POST', `${base('acme')}/con-1/resolve-conflict`, { resolution: 'qbo_wins' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.events).toEqual(['RecordConflictResolved', 'RemoteRecordChanged']);
    await api.project();
    expect((await api.call('acme', 'GET', `${base('acme')}/con-1`)).body).toMatchObject({ syncStatus: 'synced', record: { phone: '555-0100' }, inSync: true, review: null });
    expect((await api.call('acme', 'POST', `${base('acme')}/con-1/resolve-conflict`, { resolution: 'local_wins' })).status).toBe(409);
  });
});
