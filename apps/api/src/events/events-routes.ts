// The paged event feed, for services that take the log out and for auditors: a tenant's events in log order,
// from the projector's `event_feed` read model (so it reads the same on either event store), keyset-paged by
// an opaque cursor and filtered by event type, record, run and time. Delivery is at least once: a reader keeps
// the cursor it was last given and deduplicates by event id.

import { type FeedEvent, decodeFeedCursor, encodeFeedCursor, listFeedEvents } from '@qbo-sync/adapters/read-models';
import type { createDatabase } from '@qbo-sync/adapters/postgres';
import { RECORD_TYPES } from '@qbo-sync/domain';
import express from 'express';
import { z } from 'zod';
import { localIdSchema } from '../records/records-routes.js';
import { type TenantDirectory, parsePageQuery, resolveTenant } from '../records/route-support.js';

type Db = ReturnType<typeof createDatabase<unknown>>;

export interface EventsRoutesOptions {
  readonly db: Db;
  readonly tenants: TenantDirectory;
}

export const FEED_PAGE = { fallback: 100, max: 1000 } as const;

const EVENT_TYPES = /^[A-Z][A-Za-z0-9]{0,79}(,[A-Z][A-Za-z0-9]{0,79}){0,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a zone, e.g. 2026-01-31T00:00:00Z' });

export const feedQuery = z
  .strictObject({
    type: z.string({ error: 'must be given once' }).regex(EVENT_TYPES, 'must be up to 20 event types separated by commas, e.g. RecordPushed,RecordSyncFailed').optional(),
    recordType: z.enum(RECORD_TYPES, { error: `must be one of ${RECORD_TYPES.join(', ')}` }).optional(),
    localId: localIdSchema.optional(),
    syncId: z.string({ error: 'must be given once' }).regex(UUID, 'must be a sync id (a UUID)').optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.string().optional(),
    after: z.string({ error: 'must be given once' }).max(100, 'must be a nextCursor this api answered').optional(),
  })
  .superRefine((query, ctx) => {
    if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) >= Date.parse(query.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
    }
  });

/** One event as the feed answers it: the envelope of docs/events.md, with the cursor that resumes after it. */
const publicFeedEvent = ({ feedPosition, ...event }: FeedEvent) => ({ ...event, cursor: encodeFeedCursor(feedPosition) });

export const eventsRoutes = (options: EventsRoutesOptions): express.Router => {
  const router = express.Router();

  router.get('/v1/tenants/:tenant/events', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const parsed = parsePageQuery(req, res, feedQuery, { ...FEED_PAGE, validCursor: (cursor) => decodeFeedCursor(cursor) !== null });
    if (parsed === null) return;
    const { query, limit } = parsed;
    const page = await listFeedEvents(
      options.db,
      tenantId,
      {
        ...(query.type === undefined ? {} : { eventTypes: query.type.split(',') }),
        ...(query.recordType === undefined ? {} : { recordType: query.recordType }),
        ...(query.localId === undefined ? {} : { localId: query.localId }),
        ...(query.syncId === undefined ? {} : { syncId: query.syncId.toLowerCase() }),
        ...(query.from === undefined ? {} : { from: new Date(query.from) }),
        ...(query.to === undefined ? {} : { to: new Date(query.to) }),
      },
      { limit, after: query.after === undefined ? null : decodeFeedCursor(query.after) },
    );
    res.json({ items: page.items.map(publicFeedEvent), nextCursor: page.nextAfter === null ? null : encodeFeedCursor(page.nextAfter), hasMore: page.hasMore });
  });

  return router;
};
