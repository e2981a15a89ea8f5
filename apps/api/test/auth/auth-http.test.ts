// Access control over real HTTP against the api's composition root on real Postgres: the first admin,
// sign-in and sign-out, the cookie's flags, CSRF, API keys (shown once, stored hashed, revocable), and every
// kind of caller tried against a live route of every class, in its own tenant and in another.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool } from '@qbo-sync/adapters/postgres';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, TOKENS, createApiContainer } from '../../src/composition-root.js';
import { loadApiConfig } from '../../src/config.js';
import { type TestSession, createTestApiKey, signIn, signInAs } from '../support/auth.js';

const ADMIN = { email: 'first.admin@example.test', password: 'correct horse battery staple' };

describe('access control over HTTP', () => {
  let database: TestDatabase;
  let api: Api;
  let url: string;
  let dataDir: string;
  let admin: TestSession;

  const json = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      redirect: 'manual',
    });

  beforeAll(async () => {
    database = await createTestDatabase('api_auth');
    dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-api-auth-'));
    const deadPort = await freePort();
    const env = {
      DATABASE_URL: database.url,
      API_PORT: '0',
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      QBO_SANDBOX_URL: `http://127.0.0.1:${deadPort}`,
      QBO_SYNC_DATA_DIR: dataDir,
    };
    api = createApiContainer(loadApiConfig(env), { logger: pino({ level: 'silent' }), env }).get<Api>(TOKENS.Api);
    url = await api.start();
    admin = await signIn(url, ADMIN);
    // Keys, connections and memberships exist only for tenants that do.
    for (const id of ['acme', 'beta']) expect((await json('POST', '/v1/tenants', admin.headers, { id, name: id.toUpperCase() })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  describe('sessions', () => {
    it('created the first admin from ADMIN_EMAIL and ADMIN_PASSWORD, and a restart leaves it alone', async () => {
      const session = await (await fetch(`${url}/v1/auth/session`, { headers: admin.headers })).json();
      expect(session).toMatchObject({ kind: 'user', user: { email: ADMIN.email, role: 'admin' }, csrfToken: admin.csrfToken });
      const env = { DATABASE_URL: database.url, API_PORT: '0', LOG_LEVEL: 'silent', ADMIN_EMAIL: 'other@example.test', ADMIN_PASSWORD: 'another long password', QBO_SYNC_DATA_DIR: dataDir };
      const second = createApiContainer(loadApiConfig(env), { logger: pino({ level: 'silent' }), env }).get<Api>(TOKENS.Api);
      const secondUrl = await second.start();
      try {
        const refused = await json('POST', '/v1/auth/login', {}, { email: 'other@example.test', password: 'another long password' });
        expect(refused.status).toBe(401);
        expect((await signIn(secondUrl, ADMIN)).csrfToken).toMatch(/.{20,}/);
      } finally {
        await second.stop();
      }
    });

    it('sets an httpOnly, SameSite=Lax session cookie, and stores only a hash of it', async () => {
      const response = await json('POST', '/v1/auth/login', {}, ADMIN);
      expect(response.status).toBe(200);
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^qbo_sync_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
      const token = cookie.slice('qbo_sync_session='.length, cookie.indexOf(';'));
      const pool = createPool({ connectionString: database.url });
      try {
        const rows = await pool.query('SELECT token_hash FROM auth_sessions');
        expect(rows.rows.length).toBeGreaterThan(0);
        expect(JSON.stringify(rows.rows)).not.toContain(token);
        const users = await pool.query('SELECT password_hash FROM users');
        expect(JSON.stringify(users.rows)).not.toContain(ADMIN.password);
        expect(users.rows[0].password_hash).toMatch(/^scrypt\$/);
      } finally {
        await pool.end();
      }
    });

    it('refuses a wrong password or unknown email alike, and a body that is not JSON', async () => {
      const wrong = await json('POST', '/v1/auth/login', {}, { email: ADMIN.email, password: 'not the password' });
      expect(wrong.status).toBe(401);
      const unknown = await json('POST', '/v1/auth/login', {}, { email: 'nobody@example.test', password: 'not the password' });
      expect(unknown.status).toBe(401);
      expect(((await wrong.json()) as { detail: string }).detail).toBe(((await unknown.json()) as { detail: string }).detail);
      const form = await fetch(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a&password=b' });
      expect(form.status).toBe(415);
      const missing = await json('POST', '/v1/auth/login', {}, { email: ADMIN.email });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ field: 'password' });
    });

    it('slows password guessing: the sixth failure in a row is a 429', async () => {
      const target = { email: 'guess-target@example.test', password: 'wrong password' };
      for (let attempt = 0; attempt < 5; attempt += 1) expect((await json('POST', '/v1/auth/login', {}, target)).status).toBe(401);
      const throttled = await json('POST', '/v1/auth/login', {}, target);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('needs the CSRF header on a signed-in write, and refuses another origin', async () => {
      const noHeader = await json('POST', '/v1/tenants', { cookie: admin.cookie }, { id: 'csrf-test', name: 'CSRF' });
      expect(noHeader.status).toBe(403);
      expect(await noHeader.json()).toMatchObject({ title: 'CSRF check failed', detail: expect.stringMatching(/x-csrf-token/) });
      const wrongToken = await json('POST', '/v1/tenants', { cookie: admin.cookie, 'x-csrf-token': 'x'.repeat(43) }, { id: 'csrf-test', name: 'CSRF' });
      expect(wrongToken.status).toBe(403);
      const otherOrigin = await json('POST', '/v1/tenants', { ...admin.headers, origin: 'https://evil.example' }, { id: 'csrf-test', name: 'CSRF' });
      expect(otherOrigin.status).toBe(403);
      expect(await otherOrigin.json()).toMatchObject({ detail: expect.stringMatching(/another origin/) });
      const ok = await json('POST', '/v1/tenants', admin.headers, { id: 'csrf-test', name: 'CSRF' });
      expect(ok.status).toBe(201);
      // Reads need no token: a cross-site page cannot read the answer anyway.
      expect((await fetch(`${url}/v1/tenants`, { headers: { cookie: admin.cookie } })).status).toBe(200);
    });

    it('logs out: the cookie is cleared and the session no longer works', async () => {
      const session = await signIn(url, ADMIN);
      const out = await json('POST', '/v1/auth/logout', session.headers);
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/qbo_sync_session=;.*Expires=Thu, 01 Jan 1970/);
      const after = await fetch(`${url}/v1/auth/session`, { headers: session.headers });
      expect(after.status).toBe(401);
      expect(await after.json()).toMatchObject({ detail: expect.stringMatching(/session has ended/) });
    });

    it('ends every session of a user who is disabled', async () => {
      const operator = await signInAs(database.url, url, 'operator', ['acme']);
      expect((await fetch(`${url}/v1/auth/session`, { headers: operator.headers })).status).toBe(200);
      const disable = await json('PATCH', `/v1/users/${operator.user.id}`, admin.headers, { disabled: true });
      expect(disable.status).toBe(200);
      expect((await fetch(`${url}/v1/auth/session`, { headers: operator.headers })).status).toBe(401);
      expect((await json('POST', '/v1/auth/login', {}, { email: operator.user.email, password: operator.user.password })).status).toBe(401);
    });

    it('manages users: create with a role and tenants, sign in, change role; names bad fields', async () => {
      const created = await json('POST', '/v1/users', admin.headers, { email: 'Ops@Example.test', name: 'Ops', password: 'a long enough password', role: 'operator', tenants: ['acme'] });
      expect(created.status).toBe(201);
      const user = (await created.json()) as { id: string; email: string };
      expect(user).toMatchObject({ email: 'ops@example.test', role: 'operator', tenants: ['acme'] });
      expect(JSON.stringify(user)).not.toMatch(/password/i);
      const session = await signIn(url, { email: 'OPS@example.test', password: 'a long enough password' });
      expect(await (await fetch(`${url}/v1/tenants`, { headers: session.headers })).json()).toEqual({ tenants: [{ id: 'acme', name: 'ACME', createdAt: expect.any(String) }] });
      const again = await json('POST', '/v1/users', admin.headers, { email: 'ops@example.test', name: 'Ops', password: 'a long enough password', role: 'operator' });
      expect(again.status).toBe(409);
      const short = await json('POST', '/v1/users', admin.headers, { email: 'x@example.test', name: 'X', password: 'short', role: 'operator' });
      expect(short.status).toBe(400);
      expect(await short.json()).toMatchObject({ field: 'password', detail: expect.stringMatching(/12 characters/) });
      const badRole = await json('POST', '/v1/users', admin.headers, { email: 'y@example.test', name: 'Y', password: 'a long enough password', role: 'owner' });
      expect(await badRole.json()).toMatchObject({ field: 'role' });
      const promoted = await json('PATCH', `/v1/users/${user.id}`, admin.headers, { role: 'auditor' });
      expect(await promoted.json()).toMatchObject({ role: 'auditor' });
      const self = (await (await fetch(`${url}/v1/auth/session`, { headers: admin.headers })).json()) as { user: { id: string } };
      expect((await json('PATCH', `/v1/users/${self.user.id}`, admin.headers, { disabled: true })).status).toBe(409);
    });
  });

  describe('tenants that do not exist, and paths that cannot be read', () => {
    it('answers 404 for API keys, the connection and memberships of a tenant that does not exist, minting nothing', async () => {
      const created = await json('POST', '/v1/tenants/ghost/api-keys', admin.headers, { name: 'too early' });
      expect(created.status).toBe(404);
      expect(await created.json()).toMatchObject({ field: 'tenant', detail: 'tenant: no tenant "ghost" exists; an admin creates it first' });
      expect((await fetch(`${url}/v1/tenants/ghost/api-keys`, { headers: admin.headers })).status).toBe(404);
      expect((await fetch(`${url}/v1/tenants/ghost/connection/authorize`, { headers: admin.headers, redirect: 'manual' })).status).toBe(404);
      expect((await fetch(`${url}/v1/tenants/ghost/connection`, { headers: admin.headers })).status).toBe(404);
      const user = await json('POST', '/v1/users', admin.headers, { email: 'member@example.test', name: 'Member', password: 'long enough password', role: 'operator', tenants: ['acme', 'ghost'] });
      expect(user.status).toBe(404);
      expect(await user.json()).toMatchObject({ field: 'tenants.1', detail: expect.stringContaining('no tenant "ghost" exists') });
      const users = (await (await fetch(`${url}/v1/users`, { headers: admin.headers })).json()) as { users: Array<{ email: string }> };
      expect(users.users.map((u) => u.email)).not.toContain('member@example.test');
      // Once the tenant exists, nothing was left behind for it.
      expect((await json('POST', '/v1/tenants', admin.headers, { id: 'ghost', name: 'Ghost' })).status).toBe(201);
      expect(await (await fetch(`${url}/v1/tenants/ghost/api-keys`, { headers: admin.headers })).json()).toEqual({ apiKeys: [] });
    });

    it('refuses a membership change naming a tenant that does not exist', async () => {
      const member = await signInAs(database.url, url, 'operator', ['acme']);
      const changed = await json('PATCH', `/v1/users/${member.user.id}`, admin.headers, { tenants: ['acme', 'nowhere'] });
      expect(changed.status).toBe(404);
      expect(await changed.json()).toMatchObject({ field: 'tenants.1' });
    });

    it('answers a change of a user who does not exist with 404, memberships and all, writing nothing', async () => {
      const missing = await json('PATCH', '/v1/users/00000000-0000-4000-8000-000000000001', admin.headers, { name: 'Nobody', tenants: ['acme'] });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ detail: 'no user 00000000-0000-4000-8000-000000000001' });
    });

    it('answers bad percent-encoding in a path with a 400 that says so, signed in or not', async () => {
      for (const headers of [admin.headers, {}]) {
        for (const path of ['/v1/tenants/%E0%A4%A/records/customer', '/v1/tenants/acme/records/customer/%zz', '/v1/users/%']) {
          const answer = await fetch(`${url}${path}`, { headers });
          expect(answer.status, path).toBe(400);
          expect(await answer.json()).toMatchObject({ title: 'Bad path encoding', field: 'path', detail: expect.stringMatching(/is not valid percent-encoding/) });
        }
      }
    });
  });

  describe('API keys', () => {
    it('creates a key shown once, lists it without the secret, and stores only a hash', async () => {
      const created = await json('POST', '/v1/tenants/acme/api-keys', admin.headers, { name: 'ERP', role: 'operator' });
      expect(created.status).toBe(201);
      const body = (await created.json()) as { id: string; key: string };
      expect(body).toMatchObject({ tenantId: 'acme', name: 'ERP', role: 'operator', key: expect.stringMatching(/^qsk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/) });
      const listed = (await (await fetch(`${url}/v1/tenants/acme/api-keys`, { headers: admin.headers })).json()) as { apiKeys: unknown[] };
      expect(listed.apiKeys).toEqual([expect.objectContaining({ id: body.id, name: 'ERP', revokedAt: null })]);
      expect(JSON.stringify(listed)).not.toContain(body.key.slice(21));
      const pool = createPool({ connectionString: database.url });
      try {
        expect(JSON.stringify((await pool.query('SELECT * FROM api_keys')).rows)).not.toContain(body.key.slice(21));
      } finally {
        await pool.end();
      }
      const asKey = await fetch(`${url}/v1/tenants/acme/connection`, { headers: { authorization: `Bearer ${body.key}` } });
      expect(asKey.status).toBe(200);
      expect(await (await fetch(`${url}/v1/tenants`, { headers: { authorization: `Bearer ${body.key}` } })).json()).toEqual({
        tenants: [{ id: 'acme', name: 'ACME', createdAt: expect.any(String) }],
      });
    });

    it('revokes a key: it stops working at once; a key of another tenant cannot be revoked from here', async () => {
      const key = await createTestApiKey(database.url, { tenant: 'acme' });
      expect((await fetch(`${url}/v1/tenants/acme/connection`, { headers: key.headers })).status).toBe(200);
      expect((await json('DELETE', `/v1/tenants/beta/api-keys/${key.id}`, admin.headers)).status).toBe(404);
      const malformed = await json('DELETE', '/v1/tenants/acme/api-keys/a%00b', admin.headers);
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ field: 'id' });
      const revoked = await json('DELETE', `/v1/tenants/acme/api-keys/${key.id}`, admin.headers);
      expect(revoked.status).toBe(200);
      expect(await revoked.json()).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
      const after = await fetch(`${url}/v1/tenants/acme/connection`, { headers: key.headers });
      expect(after.status).toBe(401);
      expect(await after.json()).toMatchObject({ detail: 'the API key was revoked' });
    });

    it('refuses a forged, malformed or non-Bearer key, naming the problem', async () => {
      const key = await createTestApiKey(database.url, { tenant: 'acme' });
      const forged = `${key.key.slice(0, -4)}AAAA`;
      expect(await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: { authorization: `Bearer ${forged}` } })).json()).toMatchObject({
        status: 401,
        detail: 'the API key is not valid',
      });
      expect(await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: { authorization: 'Bearer nope' } })).json()).toMatchObject({ detail: expect.stringMatching(/malformed/) });
      const basic = await fetch(`${url}/v1/tenants/acme/connection`, { headers: { authorization: 'Basic YTpi' } });
      expect(basic.status).toBe(401);
      expect(basic.headers.get('www-authenticate')).toBe('Bearer realm="qbo-sync"');
    });
  });

  describe('every caller against a live route of every class, in its tenant and in another', () => {
    type Caller = { name: string; headers: () => Record<string, string> };
    const callers: Caller[] = [];
    const state: Record<string, Record<string, string>> = {};

    beforeAll(async () => {
      state.admin = admin.headers;
      state.operator = (await signInAs(database.url, url, 'operator', ['acme'])).headers;
      state.auditor = (await signInAs(database.url, url, 'auditor', ['acme'])).headers;
      state['operator key'] = (await createTestApiKey(database.url, { tenant: 'acme', role: 'operator' })).headers;
      state['auditor key'] = (await createTestApiKey(database.url, { tenant: 'acme', role: 'auditor' })).headers;
      state.anonymous = {};
    });
    for (const name of ['anonymous', 'admin', 'operator', 'auditor', 'operator key', 'auditor key']) callers.push({ name, headers: () => state[name] ?? {} });

    // [class, method, path (T = tenant), body]. Allowed requests reach the handler (any status but 401/403).
    const routes: [string, string, string, unknown?][] = [
      ['signed_in', 'GET', '/v1/auth/session'],
      ['signed_in', 'GET', '/v1/tenants'],
      ['admin', 'GET', '/v1/users'],
      ['admin', 'POST', '/v1/tenants', { id: 'x', name: '' }],
      ['tenant_read', 'GET', '/v1/tenants/T/connection'],
      ['tenant_operate', 'POST', '/v1/tenants/T/syncs', {}],
      ['tenant_operate', 'PUT', '/v1/tenants/T/records/customer/c-1', {}],
      ['tenant_configure', 'DELETE', '/v1/tenants/T/connection'],
      ['tenant_configure', 'GET', '/v1/tenants/T/connection/authorize?confirmRealmChange=maybe'],
      ['tenant_configure', 'GET', '/v1/tenants/T/api-keys'],
      ['tenant_configure', 'POST', '/v1/tenants/T/api-keys', { name: '' }],
    ];
    const allowedIn: Record<string, Record<string, [boolean, boolean]>> = {
      anonymous: { signed_in: [false, false], admin: [false, false], tenant_read: [false, false], tenant_operate: [false, false], tenant_configure: [false, false] },
      admin: { signed_in: [true, true], admin: [true, true], tenant_read: [true, true], tenant_operate: [true, true], tenant_configure: [true, true] },
      operator: { signed_in: [true, true], admin: [false, false], tenant_read: [true, false], tenant_operate: [true, false], tenant_configure: [false, false] },
      auditor: { signed_in: [true, true], admin: [false, false], tenant_read: [true, false], tenant_operate: [false, false], tenant_configure: [false, false] },
      'operator key': { signed_in: [true, true], admin: [false, false], tenant_read: [true, false], tenant_operate: [true, false], tenant_configure: [false, false] },
      'auditor key': { signed_in: [true, true], admin: [false, false], tenant_read: [true, false], tenant_operate: [false, false], tenant_configure: [false, false] },
    };

    for (const caller of callers) {
      for (const [routeClass, method, pattern, body] of routes) {
        for (const [index, tenant] of ['acme', 'beta'].entries()) {
          const allowed = allowedIn[caller.name]?.[routeClass]?.[index] ?? false;
          const path = pattern.replace('/T/', `/${tenant}/`);
          it(`${caller.name}: ${method} ${path} ${allowed ? 'reaches the route' : 'is refused'}`, async () => {
            const response = await json(method, path, caller.headers(), body);
            if (allowed) expect([401, 403]).not.toContain(response.status);
            else expect(response.status).toBe(caller.name === 'anonymous' ? 401 : 403);
            if (!allowed) expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
          });
          if (!pattern.includes('/T/')) break;
        }
      }
    }
  });
});
