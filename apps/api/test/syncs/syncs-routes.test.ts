// The sync run and settings routes over real HTTP, auth gate on: a request answers 202 with the sync id and
// appends SyncRequested; runs are listed and shown with counts and per-record outcomes once projected (the
// worker's part is played here by appending what it appends); a run never reads "completed" while a record
// failed; retry-failed starts one new run for the parked failures; settings hold the conflict policy.

import { randomUUID } from 'node:crypto';
import { contentHash, handleConnectionCommand } from '@qbo-sync/application';
import { recordCommands, syncCommands } from '@qbo-sync/application/testing';
import { customerSchema } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineTestApi, startEngineTestApi } from '../records/support.js';

const syncs = (tenant: string) => `/v1/tenants/${tenant}/syncs`;
const qboFault = { kind: 'duplicate_name' as const, qboCode: '6240', message: 'Duplicate Name Exists Error', hint: 'another customer, vendor or employee has this name', retriable: false, intuitTid: 'tid-9' };

describe('sync routes', () => {
  let api: EngineTestApi;

  beforeAll(async () => {
    api = await startEngineTestApi('api_syncs', ['acme', 'beta']);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it('refuses a run for a tenant not connected to QuickBooks, naming why', async () => {
    const response = await api.call('acme', 'POST', syncs('acme'), { type: 'customer', direction: 'push' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ connectionState: 'not_connected' });
    expect(response.body.type).toMatch(/not-connected/);
  });

  let firstId = '';

  it('answers 202 with the sync id, appends SyncRequested, and shows the run before and after projection', async () => {
    await api.connect('acme');
    const response = await api.call('acme', 'POST', syncs('acme'), { type: 'customer', direction: 'push' });
    expect(response.status).toBe(202);
    firstId = response.body.syncId;
    expect(firstId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).toBe(`${syncs('acme')}/${firstId}`);
    const stream = await api.store.readStream(`sync-${firstId}`);
    expect(stream.events.map((event) => event.type)).toEqual(['SyncRequested']);
    expect(stream.events[0]?.data).toMatchObject({ syncId: firstId, tenantId: 'acme', recordType: 'customer', direction: 'push', scope: { kind: 'changed' }, dryRun: false, retryOf: null });
    expect((stream.events[0]?.data as { requestedBy: string }).requestedBy).toMatch(/^api-key:/);

    // Straight from the log while the read model has not seen it.
    expect((await api.call('acme', 'GET', `${syncs('acme')}/${firstId}`)).body).toMatchObject({ syncId: firstId, status: 'requested' });

    const second = await api.call('acme', 'POST', syncs('acme'), { type: 'customer', direction: 'pull', scope: 'all', dryRun: true });
    expect(second.status).toBe(202);
    await api.project();
    const queued = await api.call('acme', 'GET', `${syncs('acme')}/${second.body.syncId}`);
    expect(queued.body).toMatchObject({ status: 'requested', direction: 'pull', dryRun: true, scope: { kind: 'all' }, queuedBehind: 1 });
    const listed = await api.call('acme', 'GET', `${syncs('acme')}?type=customer`);
    expect(listed.body.items.map((run: { syncId: string }) => run.syncId)).toEqual([second.body.syncId, firstId]);
    expect((await api.call('acme', 'GET', `${syncs('acme')}?direction=pull`)).body.items).toHaveLength(1);
    const paged = await api.call('acme', 'GET', `${syncs('acme')}?limit=1`);
    expect(paged.body.items).toHaveLength(1);
    const rest = await api.call('acme', 'GET', `${syncs('acme')}?limit=1&after=${paged.body.nextCursor}`);
    expect(rest.body.items.map((run: { syncId: string }) => run.syncId)).toEqual([firstId]);
  });

  it('treats an Idempotency-Key as one request, and refuses it for a different one', async () => {
    const body = { type: 'item', direction: 'push', scope: 'ids', ids: ['i-1', 'i-2'] };
    const first = await api.call('acme', 'POST', syncs('acme'), body, { 'idempotency-key': 'host-job-17' });
    const again = await api.call('acme', 'POST', syncs('acme'), body, { 'idempotency-key': 'host-job-17' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ syncId: first.body.syncId, replayed: true });
    expect((await api.store.readStream(`sync-${first.body.syncId}`)).events).toHaveLength(1);
    const other = await api.call('acme', 'POST', syncs('acme'), { ...body, ids: ['i-3'] }, { 'idempotency-key': 'host-job-17' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ field: 'Idempotency-Key' });
  });

  it('shows counts and per-record outcomes, never "completed" with a failed record, and retries the parked failures once', async () => {
    // The worker's part, played through the same deciders it writes with.
    const records = recordCommands(api.store);
    const run = syncCommands(api.store);
    const ctx = { correlationId: firstId, actor: { type: 'system' as const, id: 'sync-worker' } };
    for (const [localId, name] of [['c-ok', 'Fine & Co'], ['c-dup', 'Duplicate Name']] as const) {
      const record = customerSchema.parse({ displayName: name }) as Record<string, unknown>;
      await records.handle('acme', { type: 'UpsertLocalRecord', recordType: 'customer', localId, record, contentHash: contentHash(record), at: new Date().toISOString() }, { correlationId: 'req', actor: { type: 'api_key', id: 'k' } });
    }
    await run.handle(firstId, 'acme', { type: 'StartSync', workerId: 'w-1', at: new Date().toISOString() }, ctx);
    await api.project();
    const running = await api.call('acme', 'GET', `${syncs('acme')}/${firstId}`);
    expect(running.body).toMatchObject({ status: 'running', workerId: 'w-1' });

    // Retrying the failures of a run still in progress is refused.
    expect((await api.call('acme', 'POST', `${syncs('acme')}/${firstId}/retry-failed`)).status).toBe(409);

    const okHash = (await records.state('acme', 'customer', 'c-ok')).state.contentHash ?? '';
    await records.handle('acme', { type: 'RecordPushResult', recordType: 'customer', localId: 'c-ok', qboId: '301', operation: 'create', syncToken: '0', contentHash: okHash, localRevision: 1, requestId: 'qsabc', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: firstId, at: new Date().toISOString() }, ctx);
    await records.handle('acme', { type: 'RecordFailure', recordType: 'customer', localId: 'c-dup', direction: 'push', error: qboFault, attempt: 1, syncId: firstId, at: new Date().toISOString() }, ctx);
    const outcomes = [
      { recordType: 'customer' as const, localId: 'c-ok', qboId: '301', outcome: 'created' as const },
      { recordType: 'customer' as const, localId: 'c-dup', qboId: null, outcome: 'failed' as const },
    ];
    await run.handle(firstId, 'acme', { type: 'RecordPage', outcomes, at: new Date().toISOString() }, ctx);
    await run.handle(firstId, 'acme', { type: 'CompleteSync', cursor: null, plan: null, at: new Date().toISOString() }, ctx);
    await api.project();

    const done = await api.call('acme', 'GET', `${syncs('acme')}/${firstId}`);
    expect(done.body).toMatchObject({ status: 'completed_with_failures', counts: { planned: 2, created: 1, failed: 1 }, queuedBehind: 0 });
    expect(done.body.finishedAt).not.toBeNull();
    expect(done.body.records.items).toEqual([
      expect.objectContaining({ type: 'customer', localId: 'c-dup', outcome: 'failed', parked: true, attempt: 1, error: expect.objectContaining({ qboCode: '6240', hint: qboFault.hint }) }),
      expect.objectContaining({ type: 'customer', localId: 'c-ok', outcome: 'created', qboId: '301', linkedVia: 'created', error: null }),
    ]);
    const failedOnly = await api.call('acme', 'GET', `${syncs('acme')}/${firstId}/records?outcome=failed`);
    expect(failedOnly.body.items.map((r: { localId: string }) => r.localId)).toEqual(['c-dup']);
    expect((await api.call('acme', 'GET', `/v1/tenants/acme/records/customer/c-dup`)).body).toMatchObject({ syncStatus: 'failed', lastError: { qboCode: '6240', parked: true } });

    const retry = await api.call('acme', 'POST', `${syncs('acme')}/${firstId}/retry-failed`);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ retryOf: firstId, retrying: 1, replayed: false });
    const requested = (await api.store.readStream(`sync-${retry.body.syncId}`)).events[0]?.data;
    expect(requested).toMatchObject({ recordType: 'customer', direction: 'push', scope: { kind: 'ids', localIds: ['c-dup'] }, retryOf: firstId, dryRun: false });
    const twice = await api.call('acme', 'POST', `${syncs('acme')}/${firstId}/retry-failed`);
    expect(twice.body).toMatchObject({ syncId: retry.body.syncId, replayed: true });
  });

  it('refuses bad requests naming the field', async () => {
    const cases: { name: string; body: unknown; field: string }[] = [
      { name: 'unknown type', body: { type: 'widget', direction: 'push' }, field: 'type' },
      { name: 'bad direction', body: { type: 'customer', direction: 'both' }, field: 'direction' },
      { name: 'ids missing', body: { type: 'customer', direction: 'push', scope: 'ids' }, field: 'ids' },
      { name: 'ids without scope ids', body: { type: 'customer', direction: 'push', ids: ['a'] }, field: 'ids' },
      { name: 'dryRun not boolean', body: { type: 'customer', direction: 'push', dryRun: 'yes' }, field: 'dryRun' },
      { name: 'unknown field', body: { type: 'customer', direction: 'push', everything: true }, field: 'everything' },
      { name: 'too many ids', body: { type: 'customer', direction: 'push', scope: 'ids', ids: Array.from({ length: 1001 }, (_, i) => `x${i}`) }, field: 'ids' },
    ];
    for (const c of cases) {
      const response = await api.call('acme', 'POST', syncs('acme'), c.body);
      expect({ name: c.name, status: response.status, field: response.body?.field }).toEqual({ name: c.name, status: 400, field: c.field });
    }
    expect((await api.call('acme', 'GET', `${syncs('acme')}/not-a-uuid`)).body).toMatchObject({ status: 400, field: 'syncId' });
    expect((await api.call('acme', 'GET', `${syncs('acme')}/${randomUUID()}`)).status).toBe(404);
    expect((await api.call('acme', 'POST', `${syncs('acme')}/${randomUUID()}/retry-failed`)).status).toBe(404);
    expect((await api.call('acme', 'GET', `${syncs('acme')}?status=done`)).body).toMatchObject({ field: 'status' });
    expect((await api.call('acme', 'GET', `${syncs('acme')}?after=garbage`)).body).toMatchObject({ field: 'after' });
  });

  it('keeps runs inside their tenant', async () => {
    await api.connect('beta', '9130350000000002');
    expect((await api.call('beta', 'GET', `${syncs('acme')}/${firstId}`)).status).toBe(403);
    expect((await api.call('beta', 'GET', `${syncs('beta')}/${firstId}`)).status).toBe(404);
    expect((await api.call('beta', 'POST', `${syncs('beta')}/${firstId}/retry-failed`)).status).toBe(404);
    expect((await api.call('beta', 'GET', syncs('beta'))).body.items).toEqual([]);
  });

  it('holds the conflict policy per type; admins change it, unsupported modes are refused', async () => {
    const path = '/v1/tenants/acme/settings/sync/customer';
    const admin = { ...api.admin.headers, 'content-type': 'application/json' };
    const read = async () => (await fetch(`${api.url}${path}`, { headers: admin })).json();
    expect(await read()).toMatchObject({ mode: 'manual', conflictPolicy: 'review', changedBy: null });

    const put = (body: unknown, headers: Record<string, string> = admin) => fetch(`${api.url}${path}`, { method: 'PUT', headers, body: JSON.stringify(body) });
    const changed = await put({ mode: 'manual', conflictPolicy: 'qbo_wins' });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ conflictPolicy: 'qbo_wins', changed: true });
    expect(await (await put({ mode: 'manual', conflictPolicy: 'qbo_wins' })).json()).toMatchObject({ changed: false });
    expect((await api.store.readStream('settings-acme')).events).toHaveLength(1);

    const scheduled = await put({ mode: 'scheduled', schedule: '*/15 * * * *', conflictPolicy: 'review' });
    expect(scheduled.status).toBe(422);
    expect(await scheduled.json()).toMatchObject({ field: 'mode' });
    expect(await (await put({ mode: 'manual', conflictPolicy: 'coin_toss' })).json()).toMatchObject({ status: 400, field: 'conflictPolicy' });
    // The host's operator key may sync, not reconfigure.
    expect((await put({ mode: 'manual', conflictPolicy: 'local_wins' }, { ...(api.keys.acme ?? {}), 'content-type': 'application/json' })).status).toBe(403);

    await api.project();
    expect(await read()).toMatchObject({ mode: 'manual', conflictPolicy: 'qbo_wins', changedBy: expect.stringMatching(/^user:/) });
    expect((await fetch(`${api.url}/v1/tenants/acme/settings/sync/item`, { headers: admin }).then((r) => r.json()))).toMatchObject({ conflictPolicy: 'review' });
  });

  it('refuses a pull or push while the connection is down, saying where to reconnect; a reconnect lifts it', async () => {
    await api.connect('beta', '9130350000000002');
    // What a refresh that got a confirmed invalid_grant records, through the connection decider.
    await handleConnectionCommand(
      api.store,
      'beta',
      { type: 'RecordRefreshFailure', realmId: '9130350000000002', kind: 'invalid_grant', errorCode: 'invalid_grant', at: new Date().toISOString() },
      { correlationId: 'refresh', actor: { type: 'system', id: 'token-refresher' } },
    );
    for (const direction of ['pull', 'push']) {
      const refused = await api.call('beta', 'POST', syncs('beta'), { type: 'customer', direction });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        type: expect.stringMatching(/connection-down$/),
        connectionState: 'connected',
        health: 'down',
        reconnect: '/v1/tenants/beta/connection/authorize',
        adminPage: '/t/beta',
        detail: expect.stringMatching(/refused the stored grant.*reconnect at \/t\/beta/),
      });
    }
    await api.connect('beta', '9130350000000002');
    expect((await api.call('beta', 'POST', syncs('beta'), { type: 'customer', direction: 'pull' })).status).toBe(202);
  });
});
