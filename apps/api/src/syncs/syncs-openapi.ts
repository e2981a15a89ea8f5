// The sync run and sync settings routes in the OpenAPI document, from the schemas they validate with.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUTHENTICATED, SESSION_ONLY, json, problems, recordTypeParam, tenantParam } from '../openapi/openapi-support.js';
import { settingsBody } from './sync-settings-routes.js';
import { syncListQuery, syncRecordsQuery, syncRequestBody } from './syncs-routes.js';

const syncRun = z
  .looseObject({
    syncId: z.uuid(),
    tenantId: z.string(),
    type: recordTypeParam,
    direction: z.enum(['pull', 'push']),
    status: z.string(),
    counts: z.record(z.string(), z.number().int()),
    reason: z.string().nullable(),
    requestedAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'SyncRun', description: 'A pull or push run with its counts' });

const accepted = z.looseObject({ syncId: z.uuid(), status: z.literal('requested'), links: z.object({ self: z.string() }) });
const settings = z.looseObject({ mode: z.string(), schedule: z.string().nullable(), conflictPolicy: z.string(), supportedModes: z.array(z.string()) });

export const describeSyncsRoutes = (registry: OpenAPIRegistry): void => {
  const tags = ['Sync runs'];
  const run = z.object({ tenant: tenantParam, syncId: z.uuid().meta({ description: 'The id POST /syncs answered' }) });
  registry.registerPath({
    method: 'post',
    path: '/v1/tenants/{tenant}/syncs',
    tags,
    summary: 'Request a pull or a push; the worker runs it',
    description:
      'Answers 202 at once. Send Idempotency-Key to make a retried request answer the same run. 409 not-connected when the tenant has no QuickBooks connection, connection-down when QuickBooks refused its grant; both carry a reconnect link.',
    security: AUTHENTICATED,
    request: {
      params: z.object({ tenant: tenantParam }),
      headers: z.object({ 'Idempotency-Key': z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/).optional() }),
      body: { required: true, content: { 'application/json': { schema: syncRequestBody } } },
    },
    responses: { 202: json(accepted, 'Requested'), ...problems(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/syncs',
    tags,
    summary: 'List runs, newest first, filtered and paged',
    security: AUTHENTICATED,
    request: { params: z.object({ tenant: tenantParam }), query: syncListQuery },
    responses: { 200: json(z.object({ items: z.array(syncRun), nextCursor: z.string().nullable() }), 'A page of runs'), ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/syncs/{syncId}',
    tags,
    summary: 'One run with its counts and the first page of its per-record outcomes',
    security: AUTHENTICATED,
    request: { params: run },
    responses: { 200: json(syncRun, 'The run'), ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/syncs/{syncId}/records',
    tags,
    summary: "Page through a run's per-record outcomes",
    security: AUTHENTICATED,
    request: { params: run, query: syncRecordsQuery },
    responses: { 200: json(z.object({ items: z.array(z.looseObject({})), nextCursor: z.string().nullable() }), 'A page of outcomes'), ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/tenants/{tenant}/syncs/{syncId}/retry-failed',
    tags,
    summary: "Retry a finished run's failed records as a new run",
    security: AUTHENTICATED,
    request: { params: run },
    responses: { 202: json(accepted, 'Requested'), ...problems(400, 401, 403, 404, 409) },
  });

  const setting = z.object({ tenant: tenantParam, type: recordTypeParam });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/settings/sync/{type}',
    tags: ['Settings'],
    summary: "A record type's sync mode and conflict policy",
    security: AUTHENTICATED,
    request: { params: setting },
    responses: { 200: json(settings, 'The settings'), ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/tenants/{tenant}/settings/sync/{type}',
    tags: ['Settings'],
    summary: "Change a record type's sync mode and conflict policy (admins)",
    security: SESSION_ONLY,
    request: { params: setting, body: { required: true, content: { 'application/json': { schema: settingsBody } } } },
    responses: { 200: json(settings, 'The settings as stored'), ...problems(400, 401, 403, 404) },
  });
};
