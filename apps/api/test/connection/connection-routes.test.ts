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

    const again = await fetch(callback, { headers: admin.headers });
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/already used/);

    await project();
    const status = (await (await fetch(`${url}/v1/tenants/acme/connection`, { headers: admin.headers })).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ state: 'connected', realmId: sandbox.realmId, companyName: 'Sandbox Company_US_1', health: 'healthy', homeCurrency: 'USD', country: 'US' });
    expect(Date.parse(String(status.accessTokenExpiresAt))).toBeGreaterThan(Date.now());
    expect(JSON.stringify(status)).not.toMatch(/token"\s*:\s*"[A-Za-z0-9]/);
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
