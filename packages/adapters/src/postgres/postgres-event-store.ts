// The default event store: PostgreSQL through Kysely. Appends lock the stream's row and check the expected
// revision in SQL, so concurrent writers cannot both win. Subscribers read in (transaction id, position)
// order, only below the oldest transaction still running, so an event that commits late is never skipped.

import {
  type AppendOptions,
  type AppendResult,
  DuplicateEventIdError,
  type EventStore,
  type EventSubscription,
  type ExpectedRevision,
  type LogPosition,
  type NewEvent,
  type ReadStreamResult,
  type RecordedEvent,
  type SubscribeOptions,
  WrongExpectedRevisionError,
  categoryOf,
  foldStream,
} from '@qbo-sync/domain';
import { type Kysely, type Transaction, sql } from 'kysely';
import pg from 'pg';
import { createWakeUp } from './wake-up.js';

export const EVENTS_CHANNEL = 'qbo_sync_events';

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  event_type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
}

export interface PostgresEventStore extends EventStore {
  /**
   * Appends inside a transaction the caller holds, so events can commit together with other rows.
   * The same revision checks apply; nothing is visible to subscribers until the caller commits.
   */
  appendInTransaction(
    trx: Transaction<unknown>,
    streamName: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
}

export interface PostgresEventStoreOptions {
  readonly db: Kysely<unknown>;
  /** Used for LISTEN, so subscribers wake as soon as an append commits. */
  readonly connectionString: string;
  /** How long an idle subscriber sleeps between polls when no notification comes. */
  readonly idlePollMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.event_type,
  data: row.data,
  metadata: row.metadata,
  streamName: row.stream_name,
  streamRevision: BigInt(row.stream_revision),
  position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
  recordedAt: row.recorded_at,
});

const isUniqueViolation = (error: unknown, constraint: string): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint;

/** The statement that moves the stream's revision by `count` if the expectation holds, returning the new one. */
const advanceRevision = (streamName: string, expected: ExpectedRevision, count: number) => {
  const last = BigInt(count - 1);
  const category = categoryOf(streamName);
  if (expected === 'no_stream') {
    return sql`INSERT INTO event_streams (stream_name, category, revision) VALUES (${streamName}, ${category}, ${last})
      ON CONFLICT (stream_name) DO NOTHING RETURNING revision`;
  }
  if (expected === 'any') {
    return sql`INSERT INTO event_streams (stream_name, category, revision) VALUES (${streamName}, ${category}, ${last})
      ON CONFLICT (stream_name) DO UPDATE SET revision = event_streams.revision + ${count} RETURNING revision`;
  }
  if (expected === 'stream_exists') {
    return sql`UPDATE event_streams SET revision = revision + ${count} WHERE stream_name = ${streamName} RETURNING revision`;
  }
  return sql`UPDATE event_streams SET revision = revision + ${count}
    WHERE stream_name = ${streamName} AND revision = ${expected} RETURNING revision`;
};

/**
 * One statement, so one round trip and atomic on its own: move the stream's row (its lock is what decides
 * between concurrent appenders), insert the events behind it, and notify subscribers on commit.
 * No row back means the expectation did not hold and nothing was written.
 */
const appendStatement = (streamName: string, events: readonly NewEvent[], expected: ExpectedRevision) =>
  sql<Pick<EventRow, 'transaction_id' | 'global_position' | 'stream_revision'>>`
    WITH stream AS (${advanceRevision(streamName, expected, events.length)}),
    inserted AS (
      INSERT INTO events (event_id, stream_name, category, stream_revision, event_type, data, metadata)
      SELECT e.event_id, ${streamName}, ${categoryOf(streamName)}, stream.revision - ${events.length}::bigint + e.ordinal,
             e.event_type, e.data, e.metadata
      FROM stream,
           unnest(${events.map((event) => event.id)}::uuid[], ${events.map((event) => event.type)}::text[],
                  ${events.map((event) => JSON.stringify(event.data))}::jsonb[],
                  ${events.map((event) => JSON.stringify(event.metadata))}::jsonb[])
             WITH ORDINALITY AS e(event_id, event_type, data, metadata, ordinal)
      RETURNING transaction_id, global_position, stream_revision
    )
    SELECT transaction_id::text AS transaction_id, global_position, stream_revision, pg_notify(${EVENTS_CHANNEL}, '')
    FROM inserted ORDER BY stream_revision DESC LIMIT 1`;

const currentRevision = async (
  trx: Kysely<unknown> | Transaction<unknown>,
  streamName: string,
): Promise<bigint | 'no_stream'> => {
  const { rows } = await sql<{ revision: string }>`
    SELECT revision FROM event_streams WHERE stream_name = ${streamName}`.execute(trx);
  return rows[0] === undefined ? 'no_stream' : BigInt(rows[0].revision);
};

/** An exact repeat of an earlier append (same ids, same stream) answers with the earlier result. */
const earlierAppend = async (
  db: Kysely<unknown> | Transaction<unknown>,
  streamName: string,
  events: readonly NewEvent[],
): Promise<AppendResult | null> => {
  const ids = events.map((event) => event.id);
  const { rows } = await sql<
    Pick<EventRow, 'event_id' | 'stream_name' | 'stream_revision' | 'transaction_id' | 'global_position'>
  >`
    SELECT event_id, stream_name, stream_revision, transaction_id, global_position
    FROM events WHERE event_id = ANY(${ids}::uuid[]) ORDER BY stream_revision`.execute(db);
  if (rows.length === 0) return null;
  if (rows.length === ids.length && rows.every((row) => row.stream_name === streamName)) {
    const last = rows[rows.length - 1] as (typeof rows)[number];
    return {
      nextExpectedRevision: BigInt(last.stream_revision),
      position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) },
    };
  }
  throw new DuplicateEventIdError(
    streamName,
    rows.map((row) => row.event_id),
  );
};

const validate = (events: readonly NewEvent[]): void => {
  if (events.length === 0) throw new Error('append needs at least one event');
  for (const event of events) {
    if (!UUID.test(event.id)) throw new TypeError(`event id must be a UUID: "${event.id}"`);
  }
  if (new Set(events.map((event) => event.id)).size !== events.length) {
    throw new TypeError('an append must not carry the same event id twice');
  }
};

export const createPostgresEventStore = (options: PostgresEventStoreOptions): PostgresEventStore => {
  const { db } = options;
  const idlePollMs = options.idlePollMs ?? 1_000;
  const wakeUp = createWakeUp();
  const subscriptions = new Set<() => Promise<void>>();
  let listener: Promise<pg.Client> | null = null;

  // One LISTEN connection per store, opened by the first subscriber; polling still covers a lost notification.
  const listen = (): Promise<pg.Client> => {
    listener ??= (async () => {
      const client = new pg.Client({
        connectionString: options.connectionString,
        application_name: 'qbo-sync-listener',
      });
      client.on('notification', () => wakeUp.notify());
      client.on('error', () => {
        listener = null;
      });
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      return client;
    })();
    return listener;
  };

  const appendWith = async (
    executor: Kysely<unknown> | Transaction<unknown>,
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> => {
    const { rows } = await appendStatement(streamName, events, expected).execute(executor);
    const last = rows[0];
    if (last === undefined) {
      // Not written: a repeat of an append that already succeeded, or a real conflict.
      const repeat = await earlierAppend(executor, streamName, events);
      if (repeat !== null) return repeat;
      throw new WrongExpectedRevisionError(streamName, expected, await currentRevision(executor, streamName));
    }
    return {
      nextExpectedRevision: BigInt(last.stream_revision),
      position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) },
    };
  };

  const appendToStream = async (
    streamName: string,
    events: readonly NewEvent[],
    appendOptions?: AppendOptions,
  ): Promise<AppendResult> => {
    validate(events);
    try {
      return await appendWith(db, streamName, events, appendOptions?.expectedRevision ?? 'any');
    } catch (error) {
      // The ids exist: a retried append (answer as before), possibly racing its twin, or a real clash.
      if (isUniqueViolation(error, 'events_event_id_unique')) {
        const repeat = await earlierAppend(db, streamName, events);
        if (repeat !== null) return repeat;
      }
      throw error;
    }
  };

  const readStream = async (
    streamName: string,
    readOptions: { fromRevision?: bigint; maxCount?: number } = {},
  ): Promise<ReadStreamResult> => {
    const from = readOptions.fromRevision ?? 0n;
    const limit = readOptions.maxCount ?? null;
    // One statement, so the revision and the events come from the same snapshot.
    const { rows } = await sql<{ current_revision: string } & Partial<EventRow>>`
      SELECT s.revision AS current_revision, e.*
      FROM event_streams s
      LEFT JOIN LATERAL (
        SELECT * FROM events e
        WHERE e.stream_name = s.stream_name AND e.stream_revision >= ${from}
        ORDER BY e.stream_revision
        LIMIT ${limit}
      ) e ON true
      WHERE s.stream_name = ${streamName}`.execute(db);
    const head = rows[0];
    if (head === undefined) return { streamExists: false, currentRevision: null, events: [] };
    const events = rows.filter((row) => row.event_id != null).map((row) => toRecorded(row as EventRow));
    return { streamExists: true, currentRevision: BigInt(head.current_revision), events };
  };

  const filterSql = (subscribeOptions: SubscribeOptions, after: LogPosition | null) => {
    const categories = subscribeOptions.filter?.categories;
    const eventTypes = subscribeOptions.filter?.eventTypes;
    return sql`
      ${after === null ? sql`` : sql`AND (transaction_id, global_position) > (${after.commit.toString()}::xid8, ${after.prepare})`}
      ${categories === undefined ? sql`` : sql`AND category = ANY(${categories as string[]})`}
      ${eventTypes === undefined ? sql`` : sql`AND event_type = ANY(${eventTypes as string[]})`}`;
  };

  const readPage = async (after: LogPosition | null, subscribeOptions: SubscribeOptions, limit: number) => {
    const { rows } = await sql<EventRow>`
      SELECT global_position, transaction_id::text AS transaction_id, event_id, stream_name, stream_revision,
             event_type, data, metadata, recorded_at
      FROM events
      WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ${filterSql(subscribeOptions, after)}
      -- Qualified: the bare name would sort by the text column of the same name in the select list.
      ORDER BY events.transaction_id, events.global_position
      LIMIT ${limit}`.execute(db);
    return rows.map(toRecorded);
  };

  // Committed events we may not hand out yet, because an older transaction is still open. While there are
  // some, poll quickly: the transaction holding them back may not be an append and will not notify.
  const heldBack = async (after: LogPosition | null, subscribeOptions: SubscribeOptions): Promise<boolean> => {
    const { rows } = await sql<{ held: boolean }>`
      SELECT EXISTS (
        SELECT 1 FROM events
        WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot()) ${filterSql(subscribeOptions, after)}
      ) AS held`.execute(db);
    return rows[0]?.held === true;
  };

  const subscribe = (subscribeOptions: SubscribeOptions): EventSubscription => {
    const batchSize = subscribeOptions.batchSize ?? 500;
    let stopped = false;
    // The query in flight, so stop() can wait for it: nothing may touch the pool after close().
    let querying: Promise<unknown> = Promise.resolve();
    const stop = async (): Promise<void> => {
      stopped = true;
      subscriptions.delete(stop);
      wakeUp.notify();
      await querying.catch(() => undefined);
    };
    subscriptions.add(stop);
    async function* batches(): AsyncGenerator<readonly RecordedEvent[]> {
      let checkpoint = subscribeOptions.from === 'start' ? null : subscribeOptions.from;
      await listen();
      while (!stopped) {
        const seen = wakeUp.version();
        const reading = readPage(checkpoint, subscribeOptions, batchSize);
        querying = reading;
        const page = await reading;
        if (stopped) return;
        if (page.length > 0) {
          checkpoint = (page[page.length - 1] as RecordedEvent).position;
          yield page;
          continue;
        }
        const checking = heldBack(checkpoint, subscribeOptions);
        querying = checking;
        await wakeUp.wait(seen, (await checking) ? 20 : idlePollMs);
      }
    }
    const iterator = batches();
    return { stop, [Symbol.asyncIterator]: () => iterator };
  };

  return {
    readStream,
    appendToStream,
    appendInTransaction: async (trx, streamName, events, appendOptions) => {
      validate(events);
      // Checked first: a failed statement would abort the caller's transaction.
      return (
        (await earlierAppend(trx, streamName, events)) ??
        appendWith(trx, streamName, events, appendOptions?.expectedRevision ?? 'any')
      );
    },
    aggregateStream: async (streamName, evolver) => foldStream(await readStream(streamName), evolver),
    subscribe,
    close: async () => {
      await Promise.all([...subscriptions].map((stop) => stop()));
      const client = listener;
      listener = null;
      if (client !== null) await (await client).end().catch(() => undefined);
    },
  };
};
