// The api's own limits over real HTTP, with two api processes' worth of composition roots on one real
// PostgreSQL: failed sign-ins are counted in the database (two apis share the count), a forged
// X-Forwarded-For does not make a new caller unless TRUST_PROXY names the proxy, an account is slowed down but
// never locked out (the real user gets in from their own address while an attacker fails from theirs), API
// keys have a rate per key answered 429 with Retry-After, and a bad key on a public route is ignored.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, TOKENS, createApiContainer } from '../../src/composition-root.js';
import { loadApiConfig } from '../../src/config.js';
import { createTestApiKey, createTestUser } from '../support/auth.js';

describe('throttling and rates of the api', () => {
  let database: TestDatabase;
  let dataDir: string;
  const apis: Api[] = [];
  let first: string;
  let second: string;
  let behindProxy: string;
  let tightKeys: string;

  const startApi = async (extra: Record<string, string> = {}): Promise<string> => {
    const env = {
      DATABASE_URL: database.url,
      API_PORT: '0',
      LOG_LEVEL: 'silent',
      QBO_SANDBOX_URL: `http://127.0.0.1:${await freePort()}`,
      QBO_SYNC_DATA_DIR: dataDir,
      ...extra,
    };
    const api = createApiContainer(loadApiConfig(env), { logger: pino({ level: 'silent' }), env }).get<Api>(TOKENS.Api);
    apis.push(api);
    return api.start();
  };

  const login = (url: string, credentials: { email: string; password: string }, headers: Record<string, string> = {}) =>
    fetch(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(credentials) });

  beforeAll(async () => {
    database = await createTestDatabase('api_throttling');
    dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-api-throttling-'));
    first = await startApi();
    second = await startApi();
    behindProxy = await startApi({ TRUST_PROXY: 'loopback' });
    tightKeys = await startApi({ API_KEY_REQUESTS_PER_MINUTE: '5' });
  }, 60_000);
  afterAll(async () => {
    for (const api of apis) await api.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('counts failed sign-ins in the database: failures on two api processes add up to the 429', async () => {
    const user = await createTestUser(database.url, { role: 'operator' });
    const wrong = { email: user.email, password: 'not the password' };
    for (const url of [first, second, first, second, first]) expect((await login(url, wrong)).status).toBe(401);
    const refused = await login(second, { email: user.email, password: user.password });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ detail: expect.stringMatching(/too many failed sign-ins/) });
  });

  it('does not believe a forged X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    const user = await createTestUser(database.url, { role: 'operator' });
    const wrong = { email: user.email, password: 'not the password' };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(first, wrong, { 'x-forwarded-for': `203.0.113.${attempt}` })).status).toBe(401);
    }
    // Every forged address was the same caller: the socket's.
    expect((await login(first, wrong, { 'x-forwarded-for': '203.0.113.99' })).status).toBe(429);
    // Behind a trusted proxy (loopback here), the header is the caller: another address is another caller.
    expect((await login(behindProxy, wrong, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(401);
  });

  it('slows an account down after repeated failures but never locks the real user out', async () => {
    const user = await createTestUser(database.url, { role: 'operator' });
    const wrong = { email: user.email, password: 'not the password' };
    const attacker = { 'x-forwarded-for': '192.0.2.66' };
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await login(behindProxy, wrong, attacker)).status).toBe(401);
    expect((await login(behindProxy, wrong, attacker)).status).toBe(429);
    // Two more failures from other addresses: the account is now 2 past its free failures.
    expect((await login(behindProxy, wrong, { 'x-forwarded-for': '192.0.2.67' })).status).toBe(401);
    expect((await login(behindProxy, wrong, { 'x-forwarded-for': '192.0.2.68' })).status).toBe(401);
    // The real user, from their own address: let in, after a delay that has grown (0.5 s, then 1 s).
    const started = performance.now();
    const real = await login(behindProxy, { email: user.email, password: user.password }, { 'x-forwarded-for': '198.51.100.20' });
    const waited = performance.now() - started;
    expect(real.status).toBe(200);
    expect(waited).toBeGreaterThanOrEqual(950);
  });

  it('gives each API key a rate a minute, answered 429 with Retry-After, without slowing another key', async () => {
    const busy = await createTestApiKey(database.url, { tenant: 'acme' });
    const quiet = await createTestApiKey(database.url, { tenant: 'acme' });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let call = 0; call < 6; call += 1) {
      last = await fetch(`${tightKeys}/v1/auth/session`, { headers: busy.headers });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last?.json()).toMatchObject({ title: 'Too many requests', detail: expect.stringMatching(/5 requests a minute/) });
    expect((await fetch(`${tightKeys}/v1/auth/session`, { headers: quiet.headers })).status).toBe(200);
  });

  it('ignores a bad API key sent to a public route instead of refusing the call', async () => {
    const user = await createTestUser(database.url, { role: 'operator' });
    const answer = await login(first, { email: user.email, password: user.password }, { authorization: 'Bearer not-a-real-key' });
    expect(answer.status).toBe(200);
    // Where a key is needed, a bad one is still a 401.
    expect((await fetch(`${first}/v1/tenants`, { headers: { authorization: 'Bearer not-a-real-key' } })).status).toBe(401);
  });
});
