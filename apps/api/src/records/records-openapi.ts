// The records routes in the OpenAPI document, from the schemas they validate with: each record type's
// canonical schema (the body of a PUT, and of each bulk item), the bulk envelope and the list filters; and for
// auditors, a record's history and the record as of a past time.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { RECORD_TYPES, canonicalSchemas } from '@qbo-sync/domain';
import { z } from 'zod';
import { AUTHENTICATED, json, problems, recordTypeParam, tenantParam } from '../openapi/openapi-support.js';
import { BULK_MAX_RECORDS, bulkEnvelope, bulkItem, localIdSchema, recordAsOfQuery, recordHistoryQuery, recordListQuery } from './records-routes.js';
import { resolveBody } from './review-routes.js';

const recordView = z
  .looseObject({
    tenantId: z.string(),
    type: recordTypeParam,
    localId: z.string(),
    syncStatus: z.string(),
    content: z.record(z.string(), z.unknown()).nullable(),
    link: z.looseObject({ qboId: z.string().nullable(), syncToken: z.string().nullable() }),
    inSync: z.boolean(),
  })
  .meta({ id: 'RecordView', description: 'A record with its link to QuickBooks and its sync status' });

const recordAsOf = z
  .looseObject({
    tenantId: z.string(),
    type: recordTypeParam,
    localId: z.string(),
    asOf: z.string(),
    streamRevision: z.string().meta({ description: 'The last event folded: the record\'s version at that time' }),
    lastEventAt: z.string(),
    record: z.record(z.string(), z.unknown()).nullable(),
    localRevision: z.number().int(),
    deleted: z.boolean(),
    link: z.looseObject({ qboId: z.string().nullable(), syncToken: z.string().nullable() }),
    syncStatus: z.string(),
    inSync: z.boolean(),
  })
  .meta({ id: 'RecordAsOf', description: 'A record as it stood at a past time, folded from its events with the record decider' });

const historyEntry = z
  .object({
    id: z.uuid(),
    type: z.string().meta({ description: 'The event type, e.g. RecordPushed' }),
    streamRevision: z.string(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    actor: z.object({ type: z.enum(['user', 'api_key', 'system']), id: z.string() }),
    correlationId: z.string(),
    syncId: z.string().nullable().meta({ description: 'The run that wrote it' }),
    requestId: z.string().nullable().meta({ description: 'The requestid QuickBooks was sent with, on writes to it' }),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'RecordHistoryEntry', description: 'One event of a record: who, what, when, which run, which QuickBooks request' });

const upsertAnswer = z.looseObject({ tenantId: z.string(), type: recordTypeParam, localId: z.string(), status: z.enum(['created', 'updated', 'unchanged']), revision: z.number().int() });

/** A record in the canonical shape of its type, each type a named component (CustomerRecord, ...). */
const record = z.union(RECORD_TYPES.map((type) => canonicalSchemas[type].meta({ id: `${type[0]?.toUpperCase()}${type.slice(1)}Record` })));

export const describeRecordsRoutes = (registry: OpenAPIRegistry): void => {
  const one = z.object({ tenant: tenantParam, type: recordTypeParam, localId: localIdSchema });
  const tags = ['Records'];

  registry.registerPath({
    method: 'put',
    path: '/v1/tenants/{tenant}/records/{type}/{localId}',
    tags,
    summary: 'Create or replace one record by its local id',
    description: 'The body is the record in the canonical shape of its type. Unchanged content appends nothing.',
    security: AUTHENTICATED,
    request: { params: one, body: { required: true, content: { 'application/json': { schema: record } } } },
    responses: { 200: json(upsertAnswer, 'Updated or unchanged'), 201: json(upsertAnswer, 'Created'), ...problems(400, 401, 403, 404, 413) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/tenants/{tenant}/records/{type}',
    tags,
    summary: `Create or replace up to ${BULK_MAX_RECORDS} records, each answered on its own`,
    description: 'Every item is checked before any is written; invalid items are answered "invalid" naming their fields, and "failed" items say whether sending them again helps (retriable).',
    security: AUTHENTICATED,
    request: {
      params: z.object({ tenant: tenantParam, type: recordTypeParam }),
      body: { required: true, content: { 'application/json': { schema: bulkEnvelope.extend({ records: z.array(bulkItem.extend({ record })).min(1).max(BULK_MAX_RECORDS) }) } } },
    },
    responses: {
      200: json(
        z.object({
          summary: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), invalid: z.number().int(), failed: z.number().int() }),
          results: z.array(z.looseObject({ index: z.number().int(), localId: z.string().nullable(), status: z.enum(['created', 'updated', 'unchanged', 'invalid', 'failed']), retriable: z.boolean().optional() })),
        }),
        'One result per item, in the order sent',
      ),
      ...problems(400, 401, 403, 404, 413),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/records/{type}/{localId}',
    tags,
    summary: 'Read one record with its link and sync status, or as it stood at a past time',
    description: 'Without asOf, from the read model. With asOf, folded from the record\'s events up to that time (a RecordAsOf); 404 when it had no event yet.',
    security: AUTHENTICATED,
    request: { params: one, query: recordAsOfQuery },
    responses: { 200: json(z.union([recordView, recordAsOf]), 'The record'), ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/records/{type}/{localId}/history',
    tags: ['Audit'],
    summary: 'Every event of a record, oldest first, paged',
    description: 'Read from the record\'s own stream. Pass nextCursor back as after while hasMore is true.',
    security: AUTHENTICATED,
    request: { params: one, query: recordHistoryQuery },
    responses: {
      200: json(z.object({ items: z.array(historyEntry), nextCursor: z.string().nullable(), hasMore: z.boolean() }), 'A page of the record\'s history'),
      ...problems(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/records/{type}',
    tags,
    summary: 'List records, filtered and paged',
    description: 'Pass nextCursor back as after for the next page; null means the last page.',
    security: AUTHENTICATED,
    request: { params: z.object({ tenant: tenantParam, type: recordTypeParam }), query: recordListQuery },
    responses: { 200: json(z.object({ items: z.array(recordView), nextCursor: z.string().nullable() }), 'A page of records'), ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/tenants/{tenant}/records/{type}/{localId}',
    tags,
    summary: 'Delete a record: the next push deactivates or voids it in QuickBooks',
    security: AUTHENTICATED,
    request: { params: one },
    responses: { 200: json(z.looseObject({ deleted: z.literal(true) }), 'Deleted'), ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/tenants/{tenant}/records/{type}/{localId}/resolve-conflict',
    tags: ['Review'],
    summary: 'Resolve a conflict held for review: QuickBooks wins or local wins',
    security: AUTHENTICATED,
    request: { params: one, body: { required: true, content: { 'application/json': { schema: resolveBody } } } },
    responses: { 200: json(z.looseObject({}), 'Resolved'), ...problems(400, 401, 403, 404, 409) },
  });
};
