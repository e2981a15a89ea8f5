// The OpenAPI document as a client fetches it: public, valid OpenAPI 3.1, and describing every route the app
// mounts (read from the app's own router, so a new route without a description fails here).

import { Validator } from '@seriousme/openapi-schema-validator';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import type express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, TOKENS, createApiContainer } from '../src/composition-root.js';
import { loadApiConfig } from '../src/config.js';
import { mountedRoutes } from '../src/http/mounted-routes.js';
import { BULK_MAX_RECORDS } from '../src/records/records-routes.js';

/** The admin app's catch-all serves its HTML build for the browser's own routes: a page, not an api route. */
const NOT_API = new Set(['GET /{*path}']);

/** Express's `/v1/tenants/:tenant` as OpenAPI writes it: `/v1/tenants/{tenant}`. */
const openApiPath = (path: string): string => path.replace(/:([A-Za-z]+)/g, '{$1}');

describe('the OpenAPI document', () => {
  let database: TestDatabase;
  let api: Api;
  let app: express.Express;
  let url: string;
  let document: { openapi: string; info: { version: string }; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    database = await createTestDatabase('api_openapi');
    const env = { DATABASE_URL: database.url, API_PORT: '0', LOG_LEVEL: 'silent' };
    const container = createApiContainer(loadApiConfig(env), { logger: pino({ level: 'silent' }), env });
    api = container.get<Api>(TOKENS.Api);
    app = container.get<express.Express>(TOKENS.App);
    url = await api.start();
    const response = await fetch(`${url}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    document = (await response.json()) as typeof document;
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('is served without credentials, as OpenAPI 3.1 that validates against its schema', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+/);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? [], 'the document breaks the OpenAPI 3.1 schema').toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the app mounts, and nothing it does not', () => {
    const mounted = mountedRoutes(app)
      .map(({ method, path }) => `${method} ${path}`)
      .filter((route) => !NOT_API.has(route))
      .map((route) => {
        const [method = '', path = ''] = route.split(' ');
        return `${method} ${openApiPath(path)}`;
      });
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(mounted.length).toBeGreaterThan(25);
    expect(mounted.filter((route) => !documented.includes(route)), 'mounted but not in the document').toEqual([]);
    expect(documented.filter((route) => !mounted.includes(route)), 'in the document but not mounted').toEqual([]);
  });

  it('serves the event contract beside it, signed out: every event type with its version and schema', async () => {
    const response = await fetch(`${url}/v1/events/schema`);
    expect(response.status).toBe(200);
    const contract = (await response.json()) as { envelope: { properties: Record<string, unknown> }; events: Record<string, { schemaVersion: number; data: { properties: Record<string, unknown> } }> };
    expect(Object.keys(contract.envelope.properties)).toEqual(expect.arrayContaining(['id', 'type', 'data', 'metadata', 'streamName', 'position']));
    expect(contract.events.RecordPushed).toMatchObject({ schemaVersion: 2, data: { properties: { attempts: expect.any(Object), syncId: expect.any(Object) } } });
    expect(contract.events.RecordLinked?.schemaVersion).toBe(1);
  });

  it('takes request shapes from the schemas the routes validate with', async () => {
    const schemas = document.components.schemas;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['CustomerRecord', 'InvoiceRecord', 'ItemRecord', 'PaymentRecord', 'Problem']));
    const bulk = document.paths['/v1/tenants/{tenant}/records/{type}']?.post as { requestBody: { content: { 'application/json': { schema: { properties: { records: { maxItems: number } } } } } } };
    expect(bulk.requestBody.content['application/json'].schema.properties.records.maxItems).toBe(BULK_MAX_RECORDS);
    // A customer the document calls invalid (a display name over its maximum) is one the route refuses.
    const displayName = (schemas.CustomerRecord as { properties: { displayName: { maxLength: number } } }).properties.displayName;
    expect(displayName.maxLength).toBeGreaterThan(0);
    const problem = schemas.Problem as { properties: Record<string, unknown> };
    expect(Object.keys(problem.properties)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'field']));
  });
});
