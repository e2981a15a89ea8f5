// The QBO client against the sandbox process: minorversion on every call, the typed error taxonomy with
// QBO's code and a fix hint, backoff retries for server errors (writes only with a requestid), the wait
// after a 429, health events from outcomes, and the shared limiter keeping 10 in flight.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QboError, parseFault, qboErrorFrom } from '@qbo-sync/adapters/qbo-http';
import { type ConnectionHarness, startConnectionHarness } from '../connection/support/connection-harness.js';

const caught = async (promise: Promise<unknown>): Promise<QboError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QboError) return error;
    throw error;
  }
  throw new Error('expected a QboError');
};

describe('QBO fault parsing', () => {
  it('reads the JSON Fault, the lower-case 401 fault and the XML throttle alike', () => {
    const json = { Fault: { Error: [{ Message: 'Stale Object Error', Detail: 'Stale Object Error : You and root were working on this at the same time.', code: '5010', element: '' }], type: 'ValidationFault' }, time: '2017-03-14T11:31:21.758-07:00' };
    expect(qboErrorFrom(400, json, 'tid-1', '1')).toMatchObject({ kind: 'stale_object', code: '5010', intuitTid: 'tid-1', retriable: false });
    const lower = { fault: { error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail: 'Token expired: AB0', code: '3200', element: null }], type: 'AUTHENTICATION' }, time: 1601391072830 };
    expect(qboErrorFrom(401, lower, null, '1')).toMatchObject({ kind: 'auth', code: '3200' });
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><IntuitResponse time="2016-12-07T15:27:09.527-08:00" xmlns="http://schema.intuit.com/finance/v3"><Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.  Try again later</Detail></Error></Fault></IntuitResponse>`;
    expect(parseFault(xml)).toEqual({ type: 'SERVICE', errors: [{ code: '3001', message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', detail: 'The request limit was reached.  Try again later', element: null }] });
    expect(qboErrorFrom(429, xml, null, '1')).toMatchObject({ kind: 'throttle', retriable: true });
    expect(qboErrorFrom(400, { Fault: { Error: [{ code: '6140', Message: 'Duplicate Document Number Error' }], type: 'ValidationFault' } }, null, '1').kind).toBe('duplicate_document_number');
    expect(qboErrorFrom(400, { Fault: { Error: [{ code: '6000', Message: 'A business validation error has occurred' }], type: 'ValidationFault' } }, null, '1').kind).toBe('business_rule');
    expect(qboErrorFrom(500, '<html>oops</html>', null, '1')).toMatchObject({ kind: 'server', code: '500' });
  });
});

describe('QBO client against the sandbox', () => {
  let h: ConnectionHarness;
  const healthEvents = async () =>
    (await h.eventStore.readStream('connection-acme')).events.filter((e) => e.type === 'ConnectionHealthChanged').map((e) => (e.data as { to: string }).to);

  beforeAll(async () => {
    h = await startConnectionHarness('qbo_client', { limits: { inFlight: 10 } });
    await h.connect('acme');
  }, 60_000);
  afterEach(async () => {
    await h.sandbox.control('DELETE', '/faults');
    await h.module.health.flush();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends minorversion=75 on every call and logs intuit_tid', async () => {
    await h.sandbox.control('DELETE', '/requests');
    await h.module.client.get('acme', `/companyinfo/${h.sandbox.realmId}`);
    await h.module.client.query('acme', 'select * from Customer maxresults 2');
    const requests = await h.sandbox.requests(h.sandbox.realmId);
    expect(requests).toHaveLength(2);
    for (const request of requests) expect(request.query.minorversion).toBe('75');
    h.logLines.length = 0;
    await h.module.client.request({ tenantId: 'acme', method: 'GET', path: '/customer/999999' }).catch(() => undefined);
    const failure = h.logLines.map((line) => JSON.parse(line) as { msg: string; intuit_tid?: string }).find((line) => line.msg === 'qbo call failed');
    expect(failure?.intuit_tid).toMatch(/.+/);
  });

  it('types the faults QBO returns, with the code and a fix hint', async () => {
    const missing = await caught(h.module.client.get('acme', '/customer/999999'));
    expect(missing).toMatchObject({ kind: 'not_found', code: '610', status: 400 });
    expect(missing.fixHint).toMatch(/does not exist or is inactive/);
    expect(missing.intuitTid).toMatch(/.+/);

    const parse = await caught(h.module.client.query('acme', "select * from Customer where DisplayName = 'a' or DisplayName = 'b'"));
    expect(parse).toMatchObject({ kind: 'validation', code: '4000' });

    const name = `Duplicate Test ${Date.now()}`;
    const created = await h.module.client.request<{ Customer: { Id: string; SyncToken: string } }>({
      tenantId: 'acme', method: 'POST', path: '/customer', body: { DisplayName: name }, requestId: `dup-${Date.now()}-1`,
    });
    const duplicate = await caught(h.module.client.request({ tenantId: 'acme', method: 'POST', path: '/customer', body: { DisplayName: name }, requestId: `dup-${Date.now()}-2` }));
    expect(duplicate).toMatchObject({ kind: 'duplicate_name', code: '6240' });
    expect(duplicate.message).toMatch(/6240/);

    const { Id } = created.body.Customer;
    const stale = await caught(
      h.module.client.request({ tenantId: 'acme', method: 'POST', path: '/customer', body: { Id, SyncToken: '99', sparse: true, Notes: 'x' }, requestId: `stale-${Date.now()}` }),
    );
    expect(stale).toMatchObject({ kind: 'stale_object', code: '5010' });
    // Business faults say nothing about the connection's health.
    expect(await healthEvents()).toEqual([]);
  });

  it('retries server errors with backoff and succeeds; a write without requestid is not repeated', async () => {
    await h.sandbox.control('POST', '/faults', { action: 'error', status: 503, path: '/companyinfo', times: 2 });
    await h.sandbox.control('DELETE', '/requests');
    const body = await h.module.client.get<{ CompanyInfo: { CompanyName: string } }>('acme', `/companyinfo/${h.sandbox.realmId}`);
    expect(body.CompanyInfo.CompanyName).toBe('Sandbox Company_US_1');
    expect((await h.sandbox.requests(h.sandbox.realmId)).map((r) => r.status)).toEqual([503, 503, 200]);

    await h.sandbox.control('POST', '/faults', { action: 'error', status: 500, path: '/customer', method: 'POST', times: 1 });
    await h.sandbox.control('DELETE', '/requests');
    const error = await caught(h.module.client.request({ tenantId: 'acme', method: 'POST', path: '/customer', body: { DisplayName: `No Repeat ${Date.now()}` } }));
    expect(error.kind).toBe('server');
    expect(await h.sandbox.requests(h.sandbox.realmId)).toHaveLength(1);

    await h.sandbox.control('POST', '/faults', { action: 'error', status: 500, path: '/customer', method: 'POST', times: 1 });
    const repeated = await h.module.client.request<{ Customer: { Id: string } }>({
      tenantId: 'acme', method: 'POST', path: '/customer', body: { DisplayName: `Repeat ${Date.now()}` }, requestId: `repeat-${Date.now()}`,
    });
    expect(repeated.body.Customer.Id).toMatch(/^\d+$/);
  });

  it('waits the configured throttle wait after a 429, marks the connection degraded, then healthy again', async () => {
    await h.sandbox.control('POST', '/faults', { action: 'throttle', path: '/companyinfo', times: 1 });
    const started = Date.now();
    await h.module.client.get('acme', `/companyinfo/${h.sandbox.realmId}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await h.module.health.flush();
    expect((await healthEvents()).slice(-2)).toEqual(['degraded', 'healthy']);
  });

  it('keeps at most 10 calls in flight for a realm, so the sandbox never throttles', async () => {
    await h.sandbox.control('PUT', '/limits', { enabled: true, inFlight: 10, requestsPerMinute: 500 });
    await h.sandbox.control('POST', '/faults', { action: 'latency', latencyMs: 80, path: '/companyinfo' });
    await h.sandbox.control('DELETE', '/requests');
    await Promise.all(Array.from({ length: 30 }, () => h.module.client.get('acme', `/companyinfo/${h.sandbox.realmId}`)));
    const requests = await h.sandbox.requests(h.sandbox.realmId);
    expect(requests).toHaveLength(30);
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    const spans = requests.map((r) => ({ start: Date.parse(r.at), end: Date.parse(r.at) + r.durationMs }));
    const peak = Math.max(...spans.map((s) => spans.filter((o) => o.start <= s.start && o.end > s.start).length));
    expect(peak).toBeLessThanOrEqual(10);
    expect(peak).toBeGreaterThanOrEqual(5);
    await h.sandbox.control('PUT', '/limits', { enabled: false });
  });

  it('declares the connection down when QBO keeps refusing the credentials after a refresh', async () => {
    // Revoke the grant: the 401 triggers one refresh, which fails with invalid_grant.
    await h.sandbox.control('POST', '/oauth/revoke', { realmId: h.sandbox.realmId });
    const error = await h.module.client.get('acme', `/companyinfo/${h.sandbox.realmId}`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_grant' });
    expect((await healthEvents()).at(-1)).toBe('down');
  });
});
