// The event feed in the OpenAPI document, from the query schema its route validates with and the envelope of
// docs/events.md.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUTHENTICATED, json, problems, tenantParam } from '../openapi/openapi-support.js';
import { feedQuery } from './events-routes.js';

const feedEvent = z
  .object({
    id: z.uuid().meta({ description: 'Never changes: deduplicate by it (delivery is at least once)' }),
    type: z.string(),
    streamName: z.string(),
    streamRevision: z.string(),
    position: z.object({ commit: z.string(), prepare: z.string() }).meta({ description: 'The position in the log, as decimal strings' }),
    recordType: z.string().nullable(),
    localId: z.string().nullable(),
    syncId: z.string().nullable(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    data: z.record(z.string(), z.unknown()).meta({ description: 'The event body, in its current shape' }),
    metadata: z.object({
      tenantId: z.string(),
      correlationId: z.string(),
      causationId: z.string().nullable(),
      actor: z.object({ type: z.enum(['user', 'api_key', 'system']), id: z.string() }),
      schemaVersion: z.number().int(),
    }),
    cursor: z.string().meta({ description: 'Resumes the feed right after this event' }),
  })
  .meta({ id: 'FeedEvent', description: 'An event in the envelope of docs/events.md' });

export const describeEventsRoutes = (registry: OpenAPIRegistry): void => {
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/events',
    tags: ['Audit'],
    summary: 'The tenant\'s events in log order, paged by cursor and filtered',
    description:
      'Stable order, at least once. While hasMore is true ask again at once with after=nextCursor; at the end keep nextCursor and poll with it. Auditors\' keys may read it.',
    security: AUTHENTICATED,
    request: { params: z.object({ tenant: tenantParam }), query: feedQuery },
    responses: {
      200: json(z.object({ items: z.array(feedEvent), nextCursor: z.string().nullable(), hasMore: z.boolean() }), 'A page of events'),
      ...problems(400, 401, 403, 404),
    },
  });
};
