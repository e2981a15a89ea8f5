// The connection routes over real HTTP: the api's composition root on real Postgres, the QBO sandbox as a
// process, and a browser's part of the OAuth dance done with fetch.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, createPool, createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { projectConnectionStatus, resetConnectionStatus } from '@qbo-sync/adapters/read-models';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxProcess, startSandboxProcess } from '../../../../packages/adapters/test/qbo-http/support/sandbox-process.js';
import { type Api, TOKENS, createApiContainer } from '../../src/composition-root.js';
import { loadApiConfig } from '../../src/config.js';
import { type TestSession, signInAs } from '../support/auth.js';

describe('connection routes', () => {
  let database: TestDatabase;
  let sandbox: SandboxProcess;
  let api: Api;
  let url: string;
  let dataDir: string;
  let pool: ReturnType<typeof createPool>;
  let admin: TestSession;

  /** What the projector does, done here at once: fold every connection event into connection_status. */
  const project = async () => {
    const db = createDatabase<unknown>(pool);
    const store = createPostgresEventStore({ db, connectionString: database.url });
    const events: Awaited<ReturnType<typeof store.readStream>>['events'][number][] = [];
    for (const tenant of ['acme', 'beta']) events.push(...(await store.readStream(`connection-${tenant}`)).events);
    events.sort((a, b) => (a.position.prepare < b.position.prepare ? -1 : 1));
    await db.transaction().execute(async (trx) => {
      await resetConnectionStatus(trx);
      await projectConnectionStatus(trx, events);
    });
  };

  /** Follows the authorize redirect through the sandbox's consent (auto-approved) back to our callback. */
  const consent = async (tenant: string, query = ''): Promise<string> => {
    const start = await fetch(`${url}/v1/tenants/${tenant}/connection/authorize${query}`, { headers: admin.headers, redirect: 'manual' });
    expect(start.status).toBe(302);
    const intuit = start.headers.get('location') ?? '';
    expect(intuit.startsWith(`${sandbox.url}/connect/oauth2?`)).toBe(true);
    const back = await fetch(intuit, { redirect: 'manual' });
    expect(back.status).toBe(302);
    return back.headers.get('location') ?? '';
  };

  beforeAll(async () => {
    database = await createTestDatabase('api_connection');
    pool = createPool({ connectionString: database.url });
    sandbox = await startSandboxProcess({ QBO_SANDBOX_LIMITS: 'off' });
    dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-api-connection-'));
    const port = await freePort();
    const env = {
      DATABASE_URL: database.url,
      API_PORT: String(port),
      LOG_LEVEL: 'silent',
      QBO_SANDBOX_URL: sandbox.url,
      QBO_REDIRECT_URI: `http://127.0.0.1:${port}/v1/connection/callback`,
      QBO_SYNC_DATA_DIR: dataDir,
    };
    api = createApiContainer(loadApiConfig(env), { logger: pino({ level: 'silent' }), env }).get<Api>(TOKENS.Api);
    url = await api.start();
    admin = await signInAs(database.url, url, 'admin');
    // A connection is begun only for a tenant that exists.
    for (const id of ['acme', 'beta']) {
      const created = await fetch(`${url}/v1/tenants`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: JSON.stringify({ id, name: id }) });
      expect(created.status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await pool?.end();
    await sandbox?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('reports a tenant that never connected', async () => {
    const response = await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tenantId: 'acme', state: 'not_connected', warnings: [] });
  });

  it('names the bad field: tenant id and confirmRealmChange', async () => {
    const tenant = await fetch(`${url}/v1/tenants/Not.A.Tenant/connection`, { headers: admin.headers });
    expect(tenant.status).toBe(400);
    expect(tenant.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await tenant.json()).toMatchObject({ field: 'tenant', detail: expect.stringMatching(/^tenant: /) });
    const flag = await fetch(`${url}/v1/tenants/acme/connection/authorize?confirmRealmChange=maybe`, { headers: admin.headers, redirect: 'manual' });
    expect(flag.status).toBe(400);
    expect(await flag.json()).toMatchObject({ field: 'confirmRealmChange', detail: expect.stringMatching(/true or false/) });
  });

  it('connects through authorize and the callback, then shows the company on the status', async () => {
    const callback = await consent('acme');
    expect(callback.startsWith(`${url}/v1/connection/callback?`)).toBe(true);
    const landed = await fetch(callback, { headers: admin.headers });
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain('Connected to Sandbox Company_US_1');


    await project();
    const status = (await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ state: 'connected', realmId: sandbox.realmId, companyName: 'Sandbox Company_US_1', health: 'healthy', homeCurrency: 'USD', country: 'US' });
    expect(Date.parse(String(status.accessTokenExpiresAt))).toBeGreaterThan(Date.now());
    expect(JSON.stringify(status)).not.toMatch(/token"\s*:\s*"[A-Za-z0-9]/);
  });

  /** The tenant's connection events, read through the event store port. */
  const connectionEvents = async (tenant: string) => {
    const store = createPostgresEventStore({ db: createDatabase<unknown>(pool), connectionString: database.url });
    return (await store.readStream(`connection-${tenant}`)).events;
  };
  const vaultVersion = async (tenant: string) => (await pool.query<{ version: string }>('select version from qbo_token_vault where tenant_id = $1', [tenant])).rows[0]?.version;
  const liveGrants = async () => ((await sandbox.control('GET', '/oauth/grants')) as { grants: Array<{ realmId: string | null; revokedAt: string | null }> }).grants.filter((grant) => grant.realmId === sandbox.realmId && grant.revokedAt === null);
  const tokenCalls = async (grantType: string) => (await sandbox.tokenLog()).filter((entry) => entry.endpoint === 'token' && entry.grantType === grantType).length;
  const revokeCalls = async () => (await sandbox.tokenLog()).filter((entry) => entry.endpoint === 'revoke').length;

  it('answers a callback that comes again with "already connected": no second code exchange, no revoke, the connection as it was', async () => {
    const callback = await consent('acme');
    expect((await fetch(callback, { headers: admin.headers })).status).toBe(200);
    const before = { exchanges: await tokenCalls('authorization_code'), revokes: await revokeCalls(), events: (await connectionEvents('acme')).length, vault: await vaultVersion('acme'), grants: (await liveGrants()).length };

    // The callback URL replayed, twice (a reload, the back button).
    for (let time = 0; time < 2; time += 1) {
      const again = await fetch(callback, { headers: admin.headers });
      expect(again.status).toBe(200);
      const html = await again.text();
      expect(html).toContain('Already connected to Sandbox Company_US_1');
      expect(html).not.toMatch(/not made|failed/i);
    }
    expect(await tokenCalls('authorization_code')).toBe(before.exchanges);
    expect(await revokeCalls()).toBe(before.revokes);
    expect((await connectionEvents('acme')).length).toBe(before.events);
    expect(await vaultVersion('acme')).toBe(before.vault);
    // Had the code gone to Intuit again, Intuit (the sandbox, like RFC 6749 §4.1.2) would have ended its grant.
    expect(await liveGrants()).toHaveLength(before.grants);
    await project();
    expect(await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()).toMatchObject({ state: 'connected', health: 'healthy' });
  });

  it('answers a double click on the callback with one connect and one "already connected"', async () => {
    const callback = await consent('acme');
    const exchanges = await tokenCalls('authorization_code');
    const events = (await connectionEvents('acme')).length;
    const grants = (await liveGrants()).length;
    const pages = await Promise.all([fetch(callback, { headers: admin.headers }), fetch(callback, { headers: admin.headers })]);
    expect(pages.map((page) => page.status)).toEqual([200, 200]);
    const texts = (await Promise.all(pages.map((page) => page.text()))).map((html) => (html.includes('Already connected to') ? 'already' : html.includes('Connected to') ? 'connected' : html));
    expect(texts.sort()).toEqual(['already', 'connected']);
    expect(await tokenCalls('authorization_code')).toBe(exchanges + 1);
    expect((await connectionEvents('acme')).slice(events).map((event) => event.type)).toEqual(['ConnectionAuthorized']);
    expect(await liveGrants()).toHaveLength(grants + 1);
  });

  describe("Intuit's Disconnect and Reconnect landing pages", () => {
    const landing = (path: string) => fetch(`${url}${path}`, { redirect: 'manual' });
    /** The tokens were obtained two minutes ago, so a check on the page's word asks Intuit (see grantCheckDue). */
    const ageTokens = () => pool.query(`update qbo_token_vault set refreshed_at = now() - interval '2 minutes' where tenant_id = 'acme'`);

    it('answers signed out with a friendly page, whatever the realmId, and never a 500', async () => {
      for (const query of ['', '?realmId=', '?realmId=not-a-realm', '?realmId=%3Cscript%3E', '?realmId=1&realmId=2', '?realmId[a]=1', '?realmId=99999999999', `?realmId=${'9'.repeat(5000)}`]) {
        const page = await landing(`/v1/connection/disconnected${query}`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        const html = await page.text();
        expect(html).toContain('QuickBooks was disconnected from qbo-sync');
        expect(html).toContain('href="/"');
      }
      // A NUL character is refused by the input guard before any route, as everywhere: a 400 naming the field.
      const hostile = await landing('/v1/connection/disconnected?realmId=%00');
      expect(hostile.status).toBe(400);
      expect(await hostile.json()).toMatchObject({ field: 'realmId' });
      const reconnect = await landing('/v1/connection/reconnect');
      expect(reconnect.status).toBe(200);
      expect(await reconnect.text()).toContain('Reconnect QuickBooks to qbo-sync');
    });

    it('does not take the page’s word: a grant Intuit still honours stays connected and healthy', async () => {
      await ageTokens();
      const refreshes = await tokenCalls('refresh_token');
      const page = await landing(`/v1/connection/disconnected?realmId=${sandbox.realmId}`);
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain('acme');
      expect(await tokenCalls('refresh_token')).toBe(refreshes + 1);
      expect((await connectionEvents('acme')).at(-1)?.type).toBe('ConnectionTokensRefreshed');
      await project();
      expect(await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()).toMatchObject({ state: 'connected', health: 'healthy' });
      // Opened again at once: the fresh refresh is proof enough, Intuit is not asked again.
      await landing(`/v1/connection/reconnect?realmId=${sandbox.realmId}`);
      expect(await tokenCalls('refresh_token')).toBe(refreshes + 1);
    });

    it('marks the connection down once Intuit confirms the grant is gone; reconnecting restores the same tenant', async () => {
      await sandbox.control('POST', '/oauth/revoke', { realmId: sandbox.realmId });
      await ageTokens();
      const revokes = await revokeCalls();
      const events = (await connectionEvents('acme')).length;
      expect((await landing(`/v1/connection/disconnected?realmId=${sandbox.realmId}`)).status).toBe(200);
      expect((await connectionEvents('acme')).slice(events).map((event) => event.type)).toEqual(['ConnectionRefreshFailed', 'ConnectionHealthChanged']);
      expect(await revokeCalls()).toBe(revokes);
      await project();
      const down = (await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()) as { warnings: Array<{ code: string }> };
      expect(down).toMatchObject({ state: 'connected', health: 'down', healthReason: expect.stringMatching(/invalid_grant.*reconnect/) });
      expect(down.warnings.map((warning) => warning.code)).toContain('reconnect_required');

      expect((await fetch(await consent('acme'), { headers: admin.headers })).status).toBe(200);
      await project();
      expect(await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()).toMatchObject({ tenantId: 'acme', state: 'connected', health: 'healthy', realmId: sandbox.realmId });
    });
  });

  it('shows a clear page when the user declines at Intuit, and changes nothing', async () => {
    const callback = new URL(await consent('beta'));
    callback.searchParams.delete('code');
    callback.searchParams.set('error', 'access_denied');
    const page = await fetch(callback, { headers: admin.headers });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toMatch(/not approved in QuickBooks; nothing was changed/);
    expect(html).toContain('/v1/tenants/beta/connection/authorize');
    await project();
    expect(await (await fetch(`${url}/v1/tenants/beta/connection`, { headers: admin.headers })).json()).toMatchObject({ state: 'not_connected' });
  });

  it('asks for confirmation before switching a tenant to another company', async () => {
    const other = (await sandbox.control('POST', '/realms', { companyName: 'Second <Company>' })) as { realmId: string };
    const start = await fetch(`${url}/v1/tenants/acme/connection/authorize`, { headers: admin.headers, redirect: 'manual' });
    const intuit = new URL(start.headers.get('location') ?? '');
    intuit.searchParams.set('realmId', other.realmId);
    const callback = (await fetch(intuit, { redirect: 'manual' })).headers.get('location') ?? '';
    const page = await fetch(callback, { headers: admin.headers });
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(html).toMatch(/needs an explicit confirmation/);
    expect(html).toContain('confirmRealmChange=true');
    await project();
    expect(await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()).toMatchObject({ realmId: sandbox.realmId });
  });

  it('disconnects: revokes at Intuit and keeps the status; a second disconnect is a 409', async () => {
    const revokes = (await sandbox.tokenLog()).filter((entry) => entry.endpoint === 'revoke').length;
    const response = await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers, method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tenantId: 'acme', state: 'disconnected', realmId: sandbox.realmId, revokedAtIntuit: true });
    expect((await sandbox.tokenLog()).filter((entry) => entry.endpoint === 'revoke')).toHaveLength(revokes + 1);
    await project();
    expect(await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()).toMatchObject({ state: 'disconnected', companyName: 'Sandbox Company_US_1' });
    const twice = await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers, method: 'DELETE' });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ title: 'Not connected', detail: expect.stringMatching(/no active QuickBooks connection/) });
  });

  it('reconnects the same tenant after a disconnect', async () => {
    const landed = await fetch(await consent('acme'), { headers: admin.headers });
    expect(landed.status).toBe(200);
    await project();
    expect(await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()).toMatchObject({ state: 'connected', realmId: sandbox.realmId });
  });
});
