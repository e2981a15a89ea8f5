// The records routes in the OpenAPI document, from the schemas they validate with: each record type's
// canonical schema (the body of a PUT, and of each bulk item), the bulk envelope and the list filters.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { RECORD_TYPES, canonicalSchemas } from '@qbo-sync/domain';
import { z } from 'zod';
import { AUTHENTICATED, json, problems, recordTypeParam, tenantParam } from '../openapi/openapi-support.js';
import { BULK_MAX_RECORDS, bulkEnvelope, bulkItem, localIdSchema, recordListQuery } from './records-routes.js';
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
    summary: 'Read one record with its link and sync status',
    security: AUTHENTICATED,
    request: { params: one },
    responses: { 200: json(recordView, 'The record'), ...problems(400, 401, 403, 404) },
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
