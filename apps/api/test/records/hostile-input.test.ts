// Input that once gave a 500 (or a 500 after part of a bulk request was written), now each a 4xx naming the
// field with nothing stored: a lone UTF-16 surrogate in a text field, a NUL byte in a reference field and in
// the `after` cursor, a bulk item whose localId is a deeply nested array after valid items; and the bulk
// answer's honesty: every item checked before any is written, permanent input errors `invalid`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineTestApi, startEngineTestApi } from './support.js';

/** JSON text with escapes JSON.stringify would not write (a lone surrogate stays an escape, as a client may send it). */
const rawJson = (text: string) => ({ 'content-type': 'application/json', raw: text });

describe('hostile input to the records api', () => {
  let api: EngineTestApi;

  beforeAll(async () => {
    api = await startEngineTestApi('api_hostile_input', ['acme']);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  const send = async (method: string, path: string, body: string) => {
    const response = await fetch(`${api.url}/v1/tenants/acme${path}`, { method, headers: { ...api.keys.acme, 'content-type': rawJson(body)['content-type'] }, body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const stored = async (localId: string) => (await api.call('acme', 'GET', `/v1/tenants/acme/records/customer/${encodeURIComponent(localId)}`)).status;

  it('refuses a lone surrogate in a text field with a 400 naming it, and stores nothing', async () => {
    const answer = await send('PUT', '/records/customer/lone', '{"displayName":"Ada \\ud800 Lovelace"}');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ field: 'displayName', detail: expect.stringMatching(/lone UTF-16 surrogate/) });
    await api.project();
    expect(await stored('lone')).toBe(404);
  });

  it('refuses a NUL byte in a reference field and in the after cursor', async () => {
    const invoice = await send('PUT', '/records/invoice/inv-nul', JSON.stringify({ customerLocalId: 'c\u0000x', txnDate: '2026-01-05', lines: [{ itemLocalId: 'i-1', amount: 5 }] }));
    expect(invoice.status).toBe(400);
    expect(invoice.body).toMatchObject({ field: 'customerLocalId', detail: expect.stringMatching(/NUL character/) });
    const line = await send('PUT', '/records/invoice/inv-nul', JSON.stringify({ customerLocalId: 'c-1', txnDate: '2026-01-05', lines: [{ itemLocalId: 'i\u0000', amount: 5 }] }));
    expect(line.body).toMatchObject({ field: 'lines.0.itemLocalId' });
    const listed = await fetch(`${api.url}/v1/tenants/acme/records/customer?after=%00abc`, { headers: api.keys.acme });
    expect(listed.status).toBe(400);
    expect(await listed.json()).toMatchObject({ field: 'after' });
  });

  it('refuses a bulk request whose item holds a deeply nested localId whole, after valid items, writing none of them', async () => {
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const body = `{"records":[{"localId":"ok-1","record":{"displayName":"Fine One"}},{"localId":"ok-2","record":{"displayName":"Fine Two"}},{"localId":${nested},"record":{}}]}`;
    const answer = await send('POST', '/records/customer', body);
    expect(answer.status).toBe(400);
    expect(String(answer.body.field)).toMatch(/^records\.2\.localId/);
    await api.project();
    expect(await stored('ok-1')).toBe(404);
    expect(await stored('ok-2')).toBe(404);
  });

  it('checks every bulk item before writing: valid ones stored, invalid ones named, the answer says which', async () => {
    const answer = await api.call('acme', 'POST', '/v1/tenants/acme/records/customer', {
      records: [
        { localId: 'b-1', record: { displayName: 'Bulk One' } },
        { localId: ['not', 'a', 'string'], record: { displayName: 'Bad id' } },
        { localId: 'b-2', record: { displayName: 'Colon: not allowed' } },
        { localId: 'b-1', record: { displayName: 'Bulk One again' } },
        { localId: 'b-3', record: { displayName: 'Bulk Three' } },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.summary).toEqual({ created: 2, updated: 0, unchanged: 0, invalid: 3, failed: 0 });
    expect(answer.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'invalid', 'invalid', 'invalid', 'created']);
    expect(answer.body.results[1]).toMatchObject({ localId: null, errors: [{ field: 'records.1.localId' }] });
    await api.project();
    expect(await stored('b-1')).toBe(200);
    expect(await stored('b-2')).toBe(404);
    expect(await stored('b-3')).toBe(200);
  });

  it('refuses a malformed bulk request whole: not JSON, not a list, more than 1000 items', async () => {
    expect((await send('POST', '/records/customer', '{"records": [')).status).toBe(400);
    expect((await send('POST', '/records/customer', '{"records": {"localId": "x"}}')).status).toBe(400);
    const tooMany = await api.call('acme', 'POST', '/v1/tenants/acme/records/customer', { records: Array.from({ length: 1001 }, (_, i) => ({ localId: `m-${i}`, record: { displayName: `M ${i}` } })) });
    expect(tooMany.status).toBe(413);
    await api.project();
    expect(await stored('m-0')).toBe(404);
  });
});
