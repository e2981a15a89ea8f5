// The `event_feed` read model: the whole log, one row per event, numbered in log order by the projector, and
// the keyset pages the api's feed answers from. The projector is the only writer (one live runner, rows and
// checkpoint in one transaction), so numbering each batch after the highest number stored keeps the order of
// the log, never hands out a number below one a reader has already passed, and gives the same numbers again
// on a rebuild. Events are immutable, so a redelivered one is left as it is.

import { type RecordedEvent, occurredAt, parseRecordStreamName, schemaVersionOf } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<unknown>;

export const EVENT_FEED_PROJECTION = 'event_feed';

/** One event as the feed serves it: the envelope of docs/events.md, plus what it is filtered by. */
export interface FeedEvent {
  readonly feedPosition: bigint;
  readonly id: string;
  readonly type: string;
  readonly streamName: string;
  readonly streamRevision: string;
  /** The log position, as decimal strings (they may not fit a JSON number). */
  readonly position: { readonly commit: string; readonly prepare: string };
  readonly recordType: string | null;
  readonly localId: string | null;
  readonly syncId: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: unknown;
  readonly metadata: FeedMetadata;
}

export interface FeedMetadata {
  readonly tenantId: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly actor: { readonly type: string; readonly id: string };
  readonly schemaVersion: number;
}

/**
 * Only the documented metadata leaves the service: whatever else a writer may have put there (a header, a
 * credential picked up by mistake) stays in the log and out of every answer. The projector hands events over
 * upcast, so `data` is in its current shape and the version says so (a newer writer's stays as written).
 */
const publicMetadata = (event: RecordedEvent): FeedMetadata => {
  const { tenantId, correlationId, causationId, actor, schemaVersion } = event.metadata;
  return {
    tenantId,
    correlationId,
    causationId: causationId ?? null,
    actor: { type: actor.type, id: actor.id },
    schemaVersion: Math.max(schemaVersion, schemaVersionOf(event.type)),
  };
};

const stringField = (data: unknown, key: string): string | null => {
  const value = (data as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' ? value : null;
};

/** What the feed filters an event by: its record (from its data, or a record stream's name) and its run. */
export const feedKeysOf = (event: RecordedEvent): { recordType: string | null; localId: string | null; syncId: string | null } => {
  const stream = parseRecordStreamName(event.streamName);
  return {
    recordType: stringField(event.data, 'recordType') ?? stream?.type ?? null,
    localId: stringField(event.data, 'localId') ?? stream?.localId ?? null,
    syncId: stringField(event.data, 'syncId'),
  };
};

const json = (value: unknown) => sql`${JSON.stringify(value ?? null)}::jsonb`;

// 15 parameters a row; Postgres allows 65,535 per statement.
const ROWS_PER_INSERT = 2_000;

/** Appends a batch (in log order) to the feed, inside the projector's transaction. */
export const projectEventFeed = async (db: Db, events: readonly RecordedEvent[]): Promise<void> => {
  // Every event belongs to exactly one tenant by contract; one without a tenant could be shown to no one.
  const owned = events.filter((event) => typeof event.metadata?.tenantId === 'string' && event.metadata.tenantId !== '');
  if (owned.length === 0) return;
  const { rows } = await sql<{ last: string }>`select coalesce(max(feed_position), 0)::text as last from event_feed`.execute(db);
  let next = BigInt(rows[0]?.last ?? '0');
  for (let start = 0; start < owned.length; start += ROWS_PER_INSERT) {
    const values = owned.slice(start, start + ROWS_PER_INSERT).map((event) => {
      next += 1n;
      const keys = feedKeysOf(event);
      return sql`(${next}, ${event.id}, ${event.metadata.tenantId}, ${event.type}, ${event.streamName}, ${event.streamRevision}, ${event.position.commit},
        ${event.position.prepare}, ${keys.recordType}, ${keys.localId}, ${keys.syncId}, ${occurredAt(event).toISOString()}::timestamptz,
        ${event.recordedAt.toISOString()}::timestamptz, ${json(event.data)}, ${json(publicMetadata(event))})`;
    });
    await sql`insert into event_feed (feed_position, event_id, tenant_id, event_type, stream_name, stream_revision, commit_position, prepare_position,
        record_type, local_id, sync_id, occurred_at, recorded_at, data, metadata)
      values ${sql.join(values)}
      on conflict (event_id) do nothing`.execute(db);
  }
};

export const resetEventFeed = async (db: Db): Promise<void> => {
  await sql`truncate table event_feed`.execute(db);
};

export interface FeedFilter {
  readonly eventTypes?: readonly string[];
  readonly recordType?: string;
  readonly localId?: string;
  readonly syncId?: string;
  /** occurredAt at or after. */
  readonly from?: Date;
  /** occurredAt before. */
  readonly to?: Date;
}

export interface FeedPage {
  readonly items: readonly FeedEvent[];
  /** More events matched than the page held: ask again with `nextAfter` at once. */
  readonly hasMore: boolean;
  /** Where the next page starts: after the last event answered, or where this page started when none was. */
  readonly nextAfter: bigint | null;
}

interface FeedRow {
  feed_position: string;
  event_id: string;
  event_type: string;
  stream_name: string;
  stream_revision: string;
  commit_position: string;
  prepare_position: string;
  record_type: string | null;
  local_id: string | null;
  sync_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  data: unknown;
  metadata: FeedMetadata;
}

const toFeedEvent = (row: FeedRow): FeedEvent => ({
  feedPosition: BigInt(row.feed_position),
  id: row.event_id,
  type: row.event_type,
  streamName: row.stream_name,
  streamRevision: row.stream_revision,
  position: { commit: row.commit_position, prepare: row.prepare_position },
  recordType: row.record_type,
  localId: row.local_id,
  syncId: row.sync_id,
  occurredAt: row.occurred_at.toISOString(),
  recordedAt: row.recorded_at.toISOString(),
  data: row.data,
  metadata: row.metadata,
});

/** A tenant's events in log order after `after`, keyset-paged on the feed position. */
export const listFeedEvents = async (
  db: Db,
  tenantId: string,
  filter: FeedFilter,
  page: { readonly limit: number; readonly after: bigint | null },
): Promise<FeedPage> => {
  const parts = [sql`tenant_id = ${tenantId}`];
  if (page.after !== null) parts.push(sql`feed_position > ${page.after}`);
  if (filter.eventTypes !== undefined) parts.push(sql`event_type = any(${[...filter.eventTypes]}::text[])`);
  if (filter.recordType !== undefined) parts.push(sql`record_type = ${filter.recordType}`);
  if (filter.localId !== undefined) parts.push(sql`local_id = ${filter.localId}`);
  if (filter.syncId !== undefined) parts.push(sql`sync_id = ${filter.syncId}`);
  if (filter.from !== undefined) parts.push(sql`occurred_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to !== undefined) parts.push(sql`occurred_at < ${filter.to.toISOString()}::timestamptz`);
  const { rows } = await sql<FeedRow>`select feed_position::text, event_id, event_type, stream_name, stream_revision::text, commit_position::text,
      prepare_position::text, record_type, local_id, sync_id, occurred_at, recorded_at, data, metadata
    from event_feed where ${sql.join(parts, sql` and `)}
    -- Qualified: the bare name would sort by the text column of the select list, putting 10 before 9.
    order by event_feed.feed_position limit ${page.limit + 1}`.execute(db);
  const items = rows.slice(0, page.limit).map(toFeedEvent);
  const last = items[items.length - 1];
  return { items, hasMore: rows.length > page.limit, nextAfter: last?.feedPosition ?? page.after };
};

