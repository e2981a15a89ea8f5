// The api as a client sees it: the real composition root on real Postgres, over real HTTP.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, TOKENS, createApiContainer } from '../src/composition-root.js';
import { loadApiConfig } from '../src/config.js';
import { signInAs } from './support/auth.js';

const silent = pino({ level: 'silent' });
const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789';

const startApi = async (env: Record<string, string>): Promise<{ api: Api; url: string }> => {
  const config = loadApiConfig({ API_PORT: '0', LOG_LEVEL: 'silent', ...env });
  const api = createApiContainer(config, { logger: silent }).get<Api>(TOKENS.Api);
  return { api, url: await api.start() };
};

describe('api on a migrated database', () => {
  let database: TestDatabase;
  let api: Api;
  let url: string;
  let adminDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('api');
    adminDir = await mkdtemp(join(tmpdir(), 'qbo-sync-admin-'));
    await writeFile(join(adminDir, 'index.html'), '<!doctype html><title>qbo-sync admin</title>');
    await writeFile(join(adminDir, 'app.js'), 'console.log(1)');
    ({ api, url } = await startApi({ DATABASE_URL: database.url, API_BODY_LIMIT_BYTES: '1024', ADMIN_WEB_DIR: adminDir, METRICS_TOKEN: METRICS_TOKEN }));
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
    if (adminDir) await rm(adminDir, { recursive: true, force: true });
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready once migrations are applied', async () => {
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('exposes default and HTTP metrics by route pattern', async () => {
    await fetch(`${url}/healthz`);
    await fetch(`${url}/no/such/thing/123`);
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status_code="200"\} [1-9]/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status_code="404"\} [1-9]/);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).not.toContain('/no/such/thing/123');
  });

  it('keeps metrics behind METRICS_TOKEN: no token or a wrong one is a 401', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token-at-all' } })).status).toBe(401);
  });

  it('sends security headers on the api and on the admin app: CSP with frame-ancestors, nosniff, no referrer', async () => {
    for (const response of [await fetch(`${url}/healthz`), await fetch(`${url}/`, { headers: { accept: 'text/html' } })]) {
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('answers an unknown route with a 404 problem naming the path', async () => {
    // Signed out, every /v1 path is a 401 (tested in test/auth); signed in as an admin, the 404 shows.
    const admin = await signInAs(database.url, url, 'admin');
    const response = await fetch(`${url}/v1/nothing-here`, { headers: { accept: 'application/json', ...admin.headers } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, title: 'Not found', detail: 'no resource at GET /v1/nothing-here' });
  });

  it('answers invalid JSON with a 400 problem', async () => {
    const response = await fetch(`${url}/v1/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 400, title: 'Invalid JSON', type: expect.stringContaining('invalid-json') });
  });

  it('answers a body over the limit with a 413 problem naming the limit', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(2_000) });
    const response = await fetch(`${url}/v1/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, limitBytes: 1024, detail: expect.stringContaining('1024 bytes') });
  });

  it('answers a URL too long for the HTTP parser with a 431 problem naming it, then serves the next request', async () => {
    const response = await fetch(`${url}/v1/tenants?x=${'a'.repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(await response.json()).toMatchObject({ status: 431, field: 'url', detail: expect.stringContaining('16 KiB') });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers a request line it cannot parse with a 400 problem, not a bare close', async () => {
    const { port, hostname } = new URL(url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('"field":"request"');
  });

  it('echoes a sane X-Request-Id and replaces one that is not', async () => {
    const kept = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the admin web build, with index.html for the app routes', async () => {
    const root = await fetch(`${url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('qbo-sync admin');
    const asset = await fetch(`${url}/app.js`);
    expect(await asset.text()).toBe('console.log(1)');
    const deep = await fetch(`${url}/activity/123`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('qbo-sync admin');
  });
});

describe('api readiness when it cannot serve', () => {
  it('is not ready (503 problem) while migrations are pending, and still live', async () => {
    const database = await createTestDatabase('api_unmigrated');
    const { api, url } = await startApi({ DATABASE_URL: database.url, MIGRATE_ON_START: 'false' });
    try {
      const response = await fetch(`${url}/readyz`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 503, reason: 'migrations_pending', detail: expect.stringContaining('0001-event-store') });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await api.stop();
      await database.drop();
    }
  });

  it('is not ready (503 problem) when the database does not answer, without leaking its address', async () => {
    const deadPort = await freePort();
    const { api, url } = await startApi({ DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${deadPort}/postgres`, MIGRATE_ON_START: 'false' });
    try {
      const response = await fetch(`${url}/readyz`);
      expect(response.status).toBe(503);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ reason: 'database_unreachable', detail: 'the database does not answer' });
      expect(body).not.toContain('s3cret');
      expect(body).not.toContain(String(deadPort));
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await api.stop();
    }
  });
});

describe('where the metrics are served', () => {
  it('serves them on METRICS_PORT only, and says so on the api port; with neither setting they are off', async () => {
    const deadPort = await freePort();
    const metricsPort = await freePort();
    const own = await startApi({ DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/postgres`, MIGRATE_ON_START: 'false', METRICS_PORT: String(metricsPort) });
    const off = await startApi({ DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/postgres`, MIGRATE_ON_START: 'false' });
    try {
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('process_cpu_user_seconds_total');
      const onApi = await fetch(`${own.url}/metrics`);
      expect(onApi.status).toBe(404);
      expect(await onApi.json()).toMatchObject({ detail: expect.stringContaining(`their own port (127.0.0.1:${metricsPort})`) });
      const none = await fetch(`${off.url}/metrics`);
      expect(none.status).toBe(404);
      expect(await none.json()).toMatchObject({ detail: expect.stringMatching(/set METRICS_TOKEN .* or METRICS_PORT/) });
    } finally {
      await own.api.stop();
      await off.api.stop();
    }
  });
});
