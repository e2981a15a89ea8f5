// The paged event feed, for services that take the log out and for auditors: a tenant's events in log order,
// from the projector's `event_feed` read model (so it reads the same on either event store), keyset-paged by
// an opaque cursor and filtered by event type, record, run and time. Delivery is at least once: a reader keeps
// the cursor it was last given and deduplicates by event id.

import { type FeedEvent, listFeedEvents } from '@qbo-sync/adapters/read-models';
import type { createDatabase } from '@qbo-sync/adapters/postgres';
import { RECORD_TYPES } from '@qbo-sync/domain';
import { once } from 'node:events';
import express from 'express';
import { z } from 'zod';
import { feedCursor } from '../http/position-cursor.js';
import { localIdSchema } from '../records/records-routes.js';
import { type TenantDirectory, fieldErrors, parsePageQuery, resolveTenant, sendInvalid } from '../records/route-support.js';

type Db = ReturnType<typeof createDatabase<unknown>>;

export interface EventsRoutesOptions {
  readonly db: Db;
  readonly tenants: TenantDirectory;
}

export const FEED_PAGE = { fallback: 100, max: 1000 } as const;

const EVENT_TYPES = /^[A-Z][A-Za-z0-9]{0,79}(,[A-Z][A-Za-z0-9]{0,79}){0,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a zone, e.g. 2026-01-31T00:00:00Z' });

/** What the feed and the export filter by. */
const filterFields = {
  type: z.string({ error: 'must be given once' }).regex(EVENT_TYPES, 'must be up to 20 event types separated by commas, e.g. RecordPushed,RecordSyncFailed').optional(),
  recordType: z.enum(RECORD_TYPES, { error: `must be one of ${RECORD_TYPES.join(', ')}` }).optional(),
  localId: localIdSchema.optional(),
  syncId: z.string({ error: 'must be given once' }).regex(UUID, 'must be a sync id (a UUID)').optional(),
};

const fromBeforeTo = (query: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void => {
  if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) >= Date.parse(query.to)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
  }
};

export const feedQuery = z
  .strictObject({
    ...filterFields,
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.string().optional(),
    after: z.string({ error: 'must be given once' }).max(100, 'must be a nextCursor this api answered').optional(),
  })
  .superRefine(fromBeforeTo);

/** An export is of a period: both ends are required, so it always ends. */
export const exportQuery = z.strictObject({ ...filterFields, from: isoTime, to: isoTime }).superRefine(fromBeforeTo);

/** Events read from the feed per query while an export streams: memory stays flat whatever the period. */
const EXPORT_PAGE = 1000;

type FilterQuery = { type?: string | undefined; recordType?: (typeof RECORD_TYPES)[number] | undefined; localId?: string | undefined; syncId?: string | undefined; from?: string | undefined; to?: string | undefined };

const filterOf = (query: FilterQuery) => ({
  ...(query.type === undefined ? {} : { eventTypes: query.type.split(',') }),
  ...(query.recordType === undefined ? {} : { recordType: query.recordType }),
  ...(query.localId === undefined ? {} : { localId: query.localId }),
  ...(query.syncId === undefined ? {} : { syncId: query.syncId.toLowerCase() }),
  ...(query.from === undefined ? {} : { from: new Date(query.from) }),
  ...(query.to === undefined ? {} : { to: new Date(query.to) }),
});

/** One event as the feed answers it: the envelope of docs/events.md, with the cursor that resumes after it. */
const publicFeedEvent = ({ feedPosition, ...event }: FeedEvent) => ({ ...event, cursor: feedCursor.encode(feedPosition) });

export const eventsRoutes = (options: EventsRoutesOptions): express.Router => {
  const router = express.Router();

  router.get('/v1/tenants/:tenant/events', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const parsed = parsePageQuery(req, res, feedQuery, { ...FEED_PAGE, validCursor: (cursor) => feedCursor.decode(cursor) !== null });
    if (parsed === null) return;
    const { query, limit } = parsed;
    const page = await listFeedEvents(options.db, tenantId, filterOf(query), { limit, after: query.after === undefined ? null : feedCursor.decode(query.after) });
    res.json({ items: page.items.map(publicFeedEvent), nextCursor: page.nextAfter === null ? null : feedCursor.encode(page.nextAfter), hasMore: page.hasMore });
  });

  // The tenant's log for a period as NDJSON, one event a line in the feed's envelope, streamed page by page
  // and paced by the reader (each page waits for the socket to drain). A failure part-way aborts the
  // connection, so a cut export never looks complete.
  router.get('/v1/tenants/:tenant/events/export', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const parsed = exportQuery.safeParse(req.query);
    if (!parsed.success) {
      sendInvalid(res, 'invalid-query', 'Invalid query parameter', fieldErrors(parsed.error));
      return;
    }
    const query = parsed.data;
    const filter = filterOf(query);
    res.status(200);
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${tenantId}-events-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}.ndjson"`);
    res.setHeader('cache-control', 'no-store');
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    try {
      let after: bigint | null = null;
      for (;;) {
        const page = await listFeedEvents(options.db, tenantId, filter, { limit: EXPORT_PAGE, after });
        const text = page.items.map((event) => `${JSON.stringify(publicFeedEvent(event))}\n`).join('');
        if (text !== '' && !res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
        if (closed || !page.hasMore || page.nextAfter === null) break;
        after = page.nextAfter;
      }
      res.end();
    } catch (error) {
      res.locals.log.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'event export failed part-way');
      res.destroy();
    }
  });

  return router;
};
