// Property-based fuzzing of every mounted route (read from the app's own router, so a new route is fuzzed
// without touching this file): at least 10,000 seeded requests, sent as a signed-in admin so every route's own
// validation is reached. Most requests start from a valid one (an existing tenant, a real record type, a body
// the route accepts) and change one thing: a path segment, a query value, or one field of the body replaced
// or added with a hostile value (lone surrogates, NUL bytes, bad percent-encoding, deep nesting, huge and odd
// values); the rest are hostile throughout. Every answer is below 500, every 4xx says why (a problem with a
// `detail`, and a `field` on a 400), and afterwards the api is still healthy and ready. The seed is fixed:
// a failure names its request, and reruns find it again.

import { Buffer } from 'node:buffer';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import fc from 'fast-check';
import type express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, TOKENS, createApiContainer } from '../../src/composition-root.js';
import { loadApiConfig } from '../../src/config.js';
import { type MountedRoute, mountedRoutes } from '../../src/http/mounted-routes.js';
import { type TestSession, type TestUser, signIn, signInAs } from '../support/auth.js';

const SEED = 20_261_201;
const TOTAL_REQUESTS = 10_000;

const HOSTILE = [
  '',
  ' ',
  '%',
  '%zz',
  '%E0%A4%A',
  '..',
  '../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '😀',
  'A'.repeat(5_000),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '{"$ne":null}',
  '-1',
  '0',
  '99999999999999999999999',
  'NaN',
  'true',
  'null',
  '2026-13-45',
  '\t\n\r',
  'customer',
  'acme',
  '00000000-0000-4000-8000-000000000001',
];

/** Text as it may reach a URL: UTF-8 percent-encoded (a lone surrogate becomes U+FFFD), or sent raw (bad encoding). */
const urlText = (text: string, raw: boolean): string =>
  raw && /^[\x21-\x7e]*$/.test(text) ? text : [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');

const hostileText = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 12 }));
/** Values each path parameter takes in a request the route accepts. */
const VALID_PARAMS: Record<string, readonly string[]> = {
  tenant: ['acme'],
  type: ['customer', 'invoice', 'item', 'payment'],
  localId: ['c-1', 'inv-1', 'it-1', 'pay-1', 'Ada Lovelace & Co.'],
  syncId: ['00000000-0000-4000-8000-000000000001'],
  id: ['00000000-0000-4000-8000-000000000001'],
};
/** Mostly a valid value, sometimes a hostile one; `raw` sends ASCII text unencoded (bad percent-encoding). */
const pathValue = (name: string) =>
  fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(VALID_PARAMS[name] ?? ['x'])) }, { weight: 1, arbitrary: hostileText }),
    fc.boolean(),
  );
const QUERY_KEYS = ['after', 'limit', 'syncStatus', 'type', 'direction', 'status', 'linked', 'deleted', 'changed', 'qboId', 'updatedSince', 'confirmRealmChange', 'code', 'state', 'realmId', 'error', 'outcome', 'recordType', 'localId', 'syncId', 'from', 'to', 'asOf', 'x'];
const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), hostileText, fc.boolean()), { maxLength: 4 });

const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('displayName', 'localId', 'record', 'records', 'email', 'lines', 'customerLocalId', 'type', 'direction', 'scope', 'name', 'role', 'tenants', 'password', 'id', 'conflictPolicy', 'mode', 'resolution'), hostileText), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A body each route accepts (records by type), the start of most requests' bodies. */
const RECORD_EXAMPLES: Record<string, unknown> = {
  customer: { displayName: 'Ada Lovelace', email: 'ada@example.com', phone: '555-0100', billingAddress: { line1: '1 Analytical Way', city: 'London', postalCode: 'N1', country: 'GB' } },
  invoice: { customerLocalId: 'c-1', issueDate: '2026-01-05', lines: [{ itemLocalId: 'it-1', quantity: 2, unitPrice: 12.5, description: 'Gears' }], memo: 'Thanks' },
  item: { name: 'Gear', type: 'service', salesPrice: 12.5, description: 'A gear' },
  payment: { customerLocalId: 'c-1', amount: 10, date: '2026-01-06', invoices: [{ invoiceLocalId: 'inv-1', amount: 10 }] },
};
const exampleBody = (route: MountedRoute, params: ReadonlyArray<readonly [string, boolean]>): unknown => {
  const type = params[1]?.[0] ?? 'customer';
  const record = RECORD_EXAMPLES[type] ?? RECORD_EXAMPLES.customer;
  const examples: Record<string, unknown> = {
    'POST /v1/auth/login': { email: 'someone@example.test', password: 'a password of some length' },
    'POST /v1/tenants': { id: 'beta', name: 'Beta Ltd' },
    'POST /v1/users': { email: 'new.user@example.test', name: 'New User', password: 'a long enough password', role: 'operator', tenants: ['acme'] },
    'PATCH /v1/users/:id': { name: 'Renamed', role: 'auditor', tenants: ['acme'] },
    'POST /v1/tenants/:tenant/api-keys': { name: 'ERP', role: 'operator' },
    'PUT /v1/tenants/:tenant/records/:type/:localId': record,
    'POST /v1/tenants/:tenant/records/:type': { records: [{ localId: 'c-1', record }, { localId: 'c-2', record }] },
    'POST /v1/tenants/:tenant/records/:type/:localId/resolve-conflict': { resolution: 'local_wins' },
    'POST /v1/tenants/:tenant/syncs': { type: 'customer', direction: 'push' },
    'PUT /v1/tenants/:tenant/settings/sync/:type': { mode: 'manual', schedule: null, conflictPolicy: 'review' },
  };
  return examples[`${route.method} ${route.path}`] ?? {};
};

/** Every place in a JSON value a field may be replaced or added: paths of its objects' keys and arrays' items. */
const placesIn = (value: unknown, path: readonly (string | number)[] = []): (readonly (string | number)[])[] => {
  if (value === null || typeof value !== 'object') return [path];
  const children = Array.isArray(value) ? value.map((child, index) => placesIn(child, [...path, index])) : Object.entries(value).map(([key, child]) => placesIn(child, [...path, key]));
  return [path, ...children.flat()];
};

/** The example with one place replaced by `hostile` (or, for an object, a new key `extraKey` added there). */
const mutate = (example: unknown, pick: number, hostile: unknown, extraKey: string | null): unknown => {
  const places = placesIn(example);
  const target = places[pick % places.length] as readonly (string | number)[];
  if (target.length === 0) return extraKey !== null && example !== null && typeof example === 'object' && !Array.isArray(example) ? { ...example, [extraKey]: hostile } : hostile;
  const copy = structuredClone(example) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const step of target.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = target[target.length - 1] as string | number;
  const current = parent[last];
  if (extraKey !== null && current !== null && typeof current === 'object' && !Array.isArray(current)) (current as Record<string, unknown>)[extraKey] = hostile;
  else parent[last] = hostile;
  return copy;
};

type Body = { readonly text: string; readonly type: string } | null;

/** Mostly the route's example with one change, sometimes unchanged, sometimes hostile throughout or absent. */
const bodyFor = (route: MountedRoute, params: ReadonlyArray<readonly [string, boolean]>): fc.Arbitrary<Body> => {
  const example = exampleBody(route, params);
  const json = (value: unknown) => ({ text: JSON.stringify(value) ?? 'null', type: 'application/json' });
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.nat(), hostileJson, fc.option(fc.constantFrom('extra', 'displayName', 'localId', 'email', '__proto__', 'constructor', 'lines'), { nil: null })).map(([pick, hostile, key]) => json(mutate(example, pick, hostile, key))) },
    { weight: 1, arbitrary: fc.constant(json(example)) },
    { weight: 2, arbitrary: hostileJson.map(json) },
    { weight: 1, arbitrary: fc.constantFrom('{"records": [', '[[[[[[', 'not json', '{"a":"\\ud800"}', `${'['.repeat(3000)}${']'.repeat(3000)}`, '').map((text) => ({ text, type: 'application/json' })) },
    { weight: 1, arbitrary: hostileText.map((text) => ({ text, type: 'text/plain' })) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
};

interface Sent {
  readonly route: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly answer: string;
  readonly contentType: string;
  readonly body: string | null;
}

describe('fuzzing every route', () => {
  let database: TestDatabase;
  let dataDir: string;
  let api: Api;
  let url: string;
  let app: express.Express;
  let admin: TestSession & { user: TestUser };
  let session: TestSession;

  beforeAll(async () => {
    database = await createTestDatabase('api_fuzz');
    dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-api-fuzz-'));
    const env = { DATABASE_URL: database.url, API_PORT: '0', LOG_LEVEL: 'silent', QBO_SANDBOX_URL: 'http://127.0.0.1:9', QBO_SYNC_DATA_DIR: dataDir };
    const container = createApiContainer(loadApiConfig(env), { logger: pino({ level: process.env.TEST_API_LOG_LEVEL ?? 'silent' }), env });
    api = container.get<Api>(TOKENS.Api);
    app = container.get<express.Express>(TOKENS.App);
    url = await api.start();
    admin = await signInAs(database.url, url, 'admin');
    session = admin;
    const created = await fetch(`${url}/v1/tenants`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'acme', name: 'Acme' }) });
    expect(created.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const send = async (route: MountedRoute, params: ReadonlyArray<readonly [string, boolean]>, search: ReadonlyArray<readonly [string, string, boolean]>, payload: Body): Promise<Sent> => {
    let index = 0;
    const path = route.path.replace(/:[A-Za-z]+|\{?\*[A-Za-z]+\}?/g, () => {
      const [value, raw] = params[index++] ?? ['x', false];
      return urlText(value, raw);
    });
    const qs = search.map(([key, value, raw]) => `${key}=${urlText(value, raw)}`).join('&');
    const target = `${url}${path}${qs === '' ? '' : `?${qs}`}`;
    const withBody = payload !== null && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method);
    const response = await fetch(target, {
      method: route.method,
      headers: { ...session.headers, accept: 'application/json', ...(withBody ? { 'content-type': payload.type } : {}) },
      ...(withBody ? { body: payload.text } : {}),
      redirect: 'manual',
    });
    return { route: `${route.method} ${route.path}`, method: route.method, url: target, status: response.status, answer: (await response.text()).slice(0, 600), contentType: response.headers.get('content-type') ?? '', body: withBody ? payload.text.slice(0, 300) : null };
  };

  /** Below 500, and a 4xx that says why: a problem with a detail, and the field on a 400. */
  const explained = (sent: Sent): boolean => {
    if (sent.status >= 500) return false;
    if (sent.status < 400) return true;
    // The OAuth callback answers people with an HTML page that says what went wrong.
    if (sent.contentType.includes('text/html')) return sent.answer.length > 0;
    if (!sent.contentType.includes('application/problem+json')) return false;
    let problem: { detail?: unknown; field?: unknown };
    try {
      problem = JSON.parse(sent.answer) as { detail?: unknown; field?: unknown };
    } catch {
      return sent.answer.length === 600; // cut short here, not by the api
    }
    if (typeof problem.detail !== 'string' || problem.detail === '') return false;
    return sent.status !== 400 || typeof problem.field === 'string';
  };

  it(`answers ${TOTAL_REQUESTS} hostile requests across every route without a 5xx, each 4xx naming why`, { timeout: 600_000 }, async () => {
    const routes = mountedRoutes(app);
    expect(routes.length).toBeGreaterThan(25);
    const perRoute = Math.ceil(TOTAL_REQUESTS / routes.length);
    let sentCount = 0;
    const unexplained: Sent[] = [];
    for (const [position, route] of routes.entries()) {
      // A fresh session for each route: the sign-out route ends its own, and no other route's.
      session = await signIn(url, { email: admin.user.email, password: admin.user.password });
      const names = (route.path.match(/:[A-Za-z]+|\*[A-Za-z]+/g) ?? []).map((name) => name.replace(/^[:*]/, ''));
      const request = fc
        .tuple(...names.map((name) => pathValue(name)))
        .chain((params) => fc.tuple(fc.constant(params as ReadonlyArray<readonly [string, boolean]>), query, bodyFor(route, params)));
      await fc.assert(
        fc.asyncProperty(request, async ([params, search, payload]) => {
          const sent = await send(route, params, search, payload);
          sentCount += 1;
          if (!explained(sent)) unexplained.push(sent);
          return true;
        }),
        { seed: SEED + position, numRuns: perRoute, endOnFailure: true },
      );
    }
    expect(sentCount).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
    // One example of each kind (route, status, title), so a failure lists every distinct defect at once.
    const kinds = new Map<string, Sent>();
    for (const sent of unexplained) {
      const title = /"title":"([^"]*)"/.exec(sent.answer)?.[1] ?? '';
      const kind = `${sent.status} ${sent.route} ${title}`;
      if (!kinds.has(kind)) kinds.set(kind, { ...sent, url: sent.url.slice(0, 300) });
    }
    expect([...kinds.entries()], `${unexplained.length} answers were a 5xx or a 4xx without a reason`).toEqual([]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
