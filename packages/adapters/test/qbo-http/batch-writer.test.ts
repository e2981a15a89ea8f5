// The batch writer against the sandbox process over real HTTP: 30 writes a call, a requestid on every
// call, a lost answer looked up before anything goes again, 429s resent unchanged, 6240 (someone made it
// first) found and linked, and writes that keep failing parked as retriable failures after three retries.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { type BatchCall, type BatchWrite, createBatchWriter, createSyncWriteClient, queryByField } from '@qbo-sync/adapters/qbo-http';
import { loadQboConnectionConfig } from '@qbo-sync/adapters/intuit-oauth';
import type { QboObject } from '../../src/qbo-http/mappers/qbo-object.js';
import { type ConnectionHarness, REDIRECT_URI, startConnectionHarness } from '../connection/support/connection-harness.js';

let h: ConnectionHarness;
let realmId: string;
beforeAll(async () => {
  h = await startConnectionHarness('sync_batch_writer');
  ({ realmId } = await h.connect('acme'));
}, 60_000);
afterEach(async () => {
  await h.sandbox.control('DELETE', '/faults');
});
afterAll(async () => {
  await h?.close();
});

interface LoggedRequest {
  operation?: string;
  requestId?: string;
  status: number;
  dropped?: boolean;
}

const batchCalls = async () => ((await h.sandbox.requests(realmId)) as unknown as LoggedRequest[]).filter((request) => request.operation === 'batch');

const writer = (calls: BatchCall[], options: { maxRetries?: number } = {}) =>
  createBatchWriter({
    client: createSyncWriteClient({
      module: h.module,
      config: loadQboConnectionConfig({ QBO_SANDBOX_URL: h.sandbox.url, QBO_SYNC_DATA_DIR: h.dataDir, QBO_THROTTLE_WAIT_MS: '50' }, { redirectUri: REDIRECT_URI }),
      logger: pino({ level: 'silent' }),
    }),
    tenantId: 'acme',
    baseDelayMs: 10,
    throttleWaitMs: 50,
    ...options,
    lookup: async (write) => {
      const name = String(write.body.DisplayName);
      const found = await queryByField({ client: h.module.client, tenantId: 'acme', entity: 'Customer', nameList: true, field: 'DisplayName', values: [name] });
      const candidates = found.filter((object) => String(object.DisplayName).toLowerCase() === name.toLowerCase());
      return candidates.length === 1 ? (candidates[0] as QboObject) : null;
    },
    onCall: (call) => calls.push(call),
  });

const creates = (prefix: string, count: number): BatchWrite[] =>
  Array.from({ length: count }, (_, n) => ({ key: `${prefix}-${n}`, entity: 'Customer', operation: 'create', body: { DisplayName: `${prefix} ${n}` },
    identity: { tenantId: 'acme', recordType: 'customer', localId: `${prefix}-${n}`, localRevision: 1, generation: 0, operation: 'create', over: null },
  }));

const customersNamed = async (prefix: string) => {
  const body = await h.module.client.query<{ QueryResponse: { Customer?: { DisplayName: string }[] } }>('acme', `SELECT * FROM Customer WHERE DisplayName LIKE '${prefix}%' MAXRESULTS 1000`);
  return (body.QueryResponse.Customer ?? []).map((customer) => customer.DisplayName);
};

describe('batch writer', () => {
  it('writes 75 creates in 3 calls of at most 30, each call with its own requestid', async () => {
    await h.sandbox.control('DELETE', '/requests');
    const calls: BatchCall[] = [];
    const results = await writer(calls).writeAll(creates('Plain', 75));
    expect(results.map((result) => result.kind)).toEqual(Array(75).fill('written'));
    expect(calls.map((call) => call.size)).toEqual([30, 30, 15]);
    const logged = await batchCalls();
    expect(logged).toHaveLength(3);
    expect(new Set(logged.map((request) => request.requestId)).size).toBe(3);
    expect(logged.every((request) => typeof request.requestId === 'string' && request.requestId.length <= 36)).toBe(true);
    // The same writes give the same requestids: QBO answers a repeat with its first answer.
    const again: BatchCall[] = [];
    await writer(again).writeAll(creates('Plain', 75));
    expect(again.map((call) => call.requestId)).toEqual(calls.map((call) => call.requestId));
    expect(await customersNamed('Plain')).toHaveLength(75);
  });

  it('looks a dropped answer up before writing again: what QBO made is found, nothing is made twice', async () => {
    await h.sandbox.control('POST', '/faults', { action: 'drop', operation: 'batch', times: 1 });
    const calls: BatchCall[] = [];
    const results = await writer(calls).writeAll(creates('Dropped', 40));
    expect(calls[0]).toMatchObject({ size: 30, outcome: 'unknown' });
    expect(results.slice(0, 30).every((result) => result.kind === 'found')).toBe(true);
    expect(results.slice(30).every((result) => result.kind === 'written')).toBe(true);
    // The found 30 were never sent again: one more call, for the last 10 only.
    expect(calls.slice(1).map((call) => [call.size, call.outcome])).toEqual([[10, 'answered']]);
    const names = await customersNamed('Dropped');
    expect(names).toHaveLength(40);
    expect(new Set(names).size).toBe(40);
  });

  it('sends a throttled call again unchanged (same requestid), without counting it as a try', async () => {
    await h.sandbox.control('POST', '/faults', { action: 'throttle', operation: 'batch', times: 2 });
    const calls: BatchCall[] = [];
    const results = await writer(calls, { maxRetries: 0 }).writeAll(creates('Throttled', 5));
    expect(results.every((result) => result.kind === 'written')).toBe(true);
    expect(calls.map((call) => call.outcome)).toEqual(['throttled', 'throttled', 'answered']);
    expect(new Set(calls.map((call) => call.requestId)).size).toBe(1);
    expect(await customersNamed('Throttled')).toHaveLength(5);
  });

  it('links what someone else created first (6240 duplicate name) instead of failing', async () => {
    const made = (await h.module.client.request<{ Customer: { Id: string } }>({ tenantId: 'acme', method: 'POST', path: '/customer', body: { DisplayName: 'Raced 0' } })).body.Customer;
    const results = await writer([]).writeAll(creates('Raced', 2));
    expect(results[0]).toMatchObject({ kind: 'found', object: { Id: made.Id } });
    expect(results[1]?.kind).toBe('written');
    expect(await customersNamed('Raced')).toHaveLength(2);
  });

  it('parks writes that keep failing with 5xx after three retries, as retriable failures with a hint', async () => {
    await h.sandbox.control('DELETE', '/requests');
    await h.sandbox.control('POST', '/faults', { action: 'error', status: 503, operation: 'batch' });
    const calls: BatchCall[] = [];
    const results = await writer(calls).writeAll(creates('Doomed', 3));
    expect(calls.map((call) => call.outcome)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    // Each unknown outcome was looked up (nothing there) before the next try.
    expect(results.every((result) => result.kind === 'failed' && result.error.retriable && result.error.fixHint.length > 0)).toBe(true);
    expect(results[0]).toMatchObject({ attempts: 4 });
    expect(await customersNamed('Doomed')).toHaveLength(0);
    const queries = ((await h.sandbox.requests(realmId)) as unknown as LoggedRequest[]).filter((request) => request.operation === 'query');
    expect(queries.length).toBeGreaterThanOrEqual(9);
  });
});
