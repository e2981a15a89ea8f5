// The event feed in the OpenAPI document, from the query schema its route validates with and the envelope of
// docs/events.md.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { eventEnvelopeSchema } from '@qbo-sync/domain';
import { z } from 'zod';
import { AUTHENTICATED, json, problems, tenantParam } from '../openapi/openapi-support.js';
import { exportQuery, feedQuery } from './events-routes.js';

/** The published envelope (GET /v1/events/schema) with what the feed adds: its filter keys and the cursor. */
const feedEvent = eventEnvelopeSchema
  .extend({
    recordType: z.string().nullable(),
    localId: z.string().nullable(),
    syncId: z.string().nullable(),
    cursor: z.string().meta({ description: 'Resumes the feed right after this event' }),
  })
  .meta({ id: 'FeedEvent', description: 'An event in the envelope of docs/events.md; deduplicate by id (delivery is at least once)' });

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
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/events/export',
    tags: ['Audit'],
    summary: "The tenant's log for a period as NDJSON, streamed: one event a line, in log order",
    description: 'Both from and to are required; the same filters as the feed. A download cut short by a failure ends with an aborted connection, never a clean end.',
    security: AUTHENTICATED,
    request: { params: z.object({ tenant: tenantParam }), query: exportQuery },
    responses: {
      200: { description: 'One FeedEvent a line', content: { 'application/x-ndjson': { schema: feedEvent } } },
      ...problems(400, 401, 403, 404),
    },
  });
};
