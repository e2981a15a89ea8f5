// The default event store: PostgreSQL through Kysely. Appends lock the stream's row and check the expected
// revision under that lock, so concurrent writers cannot both win; a multi-stream append is one transaction
// of a handful of statements, whatever the number of streams. Inline projections write their rows in the
// append's transaction. Subscribers read in (transaction id, position) order, only below the oldest
// transaction still running, so an event that commits late is never skipped.

import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type ExpectedRevision,
  type LogPosition,
  type NewEvent,
  type ReadStreamResult,
  type RecordedEvent,
  type StoredEvent,
  type StreamAppend,
  type SubscribeOptions,
  WrongExpectedRevisionError,
  categoryOf,
  checkExpectedRevision,
  checkStreamAppends,
  earlierAppendResult,
  foldStream,
} from '@qbo-sync/domain';
import { type Kysely, type Transaction, sql } from 'kysely';
import pg from 'pg';
import { createWakeUp } from '../event-store-support/wake-up.js';

export const EVENTS_CHANNEL = 'qbo_sync_events';

/** A row of the `events` table as the store reads it (also what its migrations read). */
export interface EventRow {
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

/**
 * A read model kept in step with the log by the append itself: `apply` runs inside the append's transaction
 * with the events just written, in log order and with their positions, so its rows commit or roll back with
 * them. If it throws, the append fails and nothing of it is stored. A repeated append that writes nothing
 * does not call it. It must write only through `trx`: anything else would survive a rolled-back append.
 */
export interface PostgresInlineProjection {
  readonly name: string;
  apply(trx: Transaction<unknown>, events: readonly RecordedEvent[]): Promise<void>;
}

export type PostgresEventStore = EventStore;

export interface PostgresEventStoreOptions {
  readonly db: Kysely<unknown>;
  /** Used for LISTEN, so subscribers wake as soon as an append commits. */
  readonly connectionString: string;
  /** How long an idle subscriber sleeps between polls when no notification comes. */
  readonly idlePollMs?: number;
  /** Applied, in this order, inside every append's transaction. */
  readonly inlineProjections?: readonly PostgresInlineProjection[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const toRecorded = (row: EventRow): RecordedEvent => ({
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

type StoredRow = Pick<EventRow, 'event_id' | 'stream_name' | 'stream_revision' | 'transaction_id' | 'global_position'>;

/** Where each of these event ids is stored already, keyed by the id in lower case (as uuid prints). */
const findStored = async (
  db: Kysely<unknown> | Transaction<unknown>,
  ids: readonly string[],
): Promise<ReadonlyMap<string, StoredEvent>> => {
  const { rows } = await sql<StoredRow>`
    SELECT event_id, stream_name, stream_revision, transaction_id::text AS transaction_id, global_position
    FROM events WHERE event_id = ANY(${ids as string[]}::uuid[])`.execute(db);
  return new Map(
    rows.map((row) => [
      row.event_id,
      {
        streamName: row.stream_name,
        streamRevision: BigInt(row.stream_revision),
        position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
      },
    ]),
  );
};

/** An exact repeat of an earlier append (same ids, same stream) answers with the earlier result. */
const earlierAppend = async (
  db: Kysely<unknown> | Transaction<unknown>,
  streamName: string,
  events: readonly NewEvent[],
): Promise<AppendResult | null> => {
  const stored = await findStored(
    db,
    events.map((event) => event.id),
  );
  return earlierAppendResult(streamName, events, (id) => stored.get(id.toLowerCase()));
};

const validateIds = (events: readonly NewEvent[]): void => {
  for (const event of events) {
    if (!UUID.test(event.id)) throw new TypeError(`event id must be a UUID: "${event.id}"`);
  }
};

/** What one stream of a multi-stream append will write: its events at revisions `first`, `first + 1`, .... */
interface StreamWrite {
  readonly index: number;
  readonly append: StreamAppend;
  readonly first: bigint;
  /** Whether its row existed (and is locked); if not, this append creates it. */
  readonly exists: boolean;
}

type Planned = { readonly kind: 'repeat'; readonly result: AppendResult } | ({ readonly kind: 'write' } & StreamWrite);

/**
 * Lock the named streams' rows, then decide stream by stream: a repeat, a clash, a revision mismatch, or a
 * write. The lock comes first so that a twin append committed meanwhile is seen as stored (a repeat), not as
 * a moved revision. Rows are locked in name order, so two multi-stream appends cannot deadlock on them.
 */
const planAppends = async (trx: Transaction<unknown>, appends: readonly StreamAppend[]): Promise<Planned[]> => {
  const names = appends.map((append) => append.streamName).sort();
  const locked = await sql<{ stream_name: string; revision: string }>`
    SELECT stream_name, revision FROM event_streams
    WHERE stream_name = ANY(${names}::text[]) ORDER BY stream_name FOR UPDATE`.execute(trx);
  const current = new Map(locked.rows.map((row) => [row.stream_name, BigInt(row.revision)]));
  const stored = await findStored(
    trx,
    appends.flatMap((append) => append.events.map((event) => event.id)),
  );
  return appends.map((append, index): Planned => {
    const repeat = earlierAppendResult(append.streamName, append.events, (id) => stored.get(id.toLowerCase()));
    if (repeat !== null) return { kind: 'repeat', result: repeat };
    const revision = current.get(append.streamName) ?? null;
    checkExpectedRevision(append.streamName, append.expectedRevision, revision);
    return { kind: 'write', index, append, first: (revision ?? -1n) + 1n, exists: revision !== null };
  });
};

/**
 * One statement for every stream's row: move the locked ones, create the new ones (in name order). A stream
 * created by someone else since the lock makes the INSERT fail with a unique violation, never overwrite it.
 * Subscribers are notified here once; the notification is delivered when the transaction commits.
 */
const moveStreams = (writes: readonly StreamWrite[]) => {
  const sorted = [...writes].sort((a, b) => (a.append.streamName < b.append.streamName ? -1 : 1));
  return sql<TransactionRow>`
    WITH input AS (
      SELECT * FROM unnest(
        ${sorted.map((write) => write.append.streamName)}::text[],
        ${sorted.map((write) => categoryOf(write.append.streamName))}::text[],
        ${sorted.map((write) => (write.first + BigInt(write.append.events.length) - 1n).toString())}::bigint[],
        ${sorted.map((write) => write.exists)}::boolean[]
      ) WITH ORDINALITY AS i(stream_name, category, revision, existing, ordinal)
    ),
    moved AS (
      UPDATE event_streams s SET revision = input.revision FROM input
      WHERE input.existing AND s.stream_name = input.stream_name
      RETURNING s.stream_name
    ),
    created AS (
      INSERT INTO event_streams (stream_name, category, revision)
      SELECT stream_name, category, revision FROM input WHERE NOT existing ORDER BY ordinal
      RETURNING stream_name
    )
    SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM created) AS streams, pg_notify(${EVENTS_CHANNEL}, ''),
           pg_current_xact_id()::text AS transaction_id, now() AS recorded_at`;
};

/** What every event of the transaction shares: its xid8 and recorded_at (the column defaults). */
interface TransactionRow {
  transaction_id: string;
  recorded_at: Date;
}

interface InsertedRow {
  event_id: string;
  global_position: string;
}

/** One INSERT for every event of the call, in the order given: that order is their order in the log. */
const insertEvents = (writes: readonly StreamWrite[], serialized: ReadonlyMap<string, string>) => {
  const rows = writes.flatMap((write) =>
    write.append.events.map((event, offset) => ({ write, event, revision: write.first + BigInt(offset) })),
  );
  return sql<InsertedRow>`
    INSERT INTO events (event_id, stream_name, category, stream_revision, event_type, data, metadata)
    SELECT event_id, stream_name, category, stream_revision, event_type, data, metadata
    FROM unnest(
      ${rows.map((row) => row.event.id)}::uuid[],
      ${rows.map((row) => row.write.append.streamName)}::text[],
      ${rows.map((row) => categoryOf(row.write.append.streamName))}::text[],
      ${rows.map((row) => row.revision.toString())}::bigint[],
      ${rows.map((row) => row.event.type)}::text[],
      ${rows.map((row) => serialized.get(row.event.id) as string)}::jsonb[],
      ${rows.map((row) => JSON.stringify(row.event.metadata))}::jsonb[]
    ) WITH ORDINALITY AS e(event_id, stream_name, category, stream_revision, event_type, data, metadata, ordinal)
    ORDER BY ordinal
    RETURNING event_id, global_position`;
};

// Races that a fresh attempt settles: a stream or event id created by a concurrent append since our lock
// (the next attempt locks that stream and sees those ids, so it answers a repeat, a clash or a mismatch as
// usual), or a deadlock with a writer that locks in another order.
const isRetryableRace = (error: unknown): boolean =>
  isUniqueViolation(error, 'event_streams_pkey') ||
  isUniqueViolation(error, 'events_event_id_unique') ||
  isUniqueViolation(error, 'events_stream_revision_unique') ||
  (error as { code?: string } | null)?.code === '40P01';

const MAX_ATTEMPTS = 3;

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

  const inlineProjections = options.inlineProjections ?? [];

  // The fast path: one statement, used when no inline projection has to run in the append's transaction.
  const appendOne = async (streamName: string, events: readonly NewEvent[], expected: ExpectedRevision) => {
    try {
      const { rows } = await appendStatement(streamName, events, expected).execute(db);
      const last = rows[0];
      if (last === undefined) {
        // Not written: a repeat of an append that already succeeded, or a real conflict.
        const repeat = await earlierAppend(db, streamName, events);
        if (repeat !== null) return repeat;
        throw new WrongExpectedRevisionError(streamName, expected, await currentRevision(db, streamName));
      }
      return {
        nextExpectedRevision: BigInt(last.stream_revision),
        position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) },
      };
    } catch (error) {
      // The ids exist: a retried append (answer as before), possibly racing its twin, or a real clash.
      if (isUniqueViolation(error, 'events_event_id_unique')) {
        const repeat = await earlierAppend(db, streamName, events);
        if (repeat !== null) return repeat;
      }
      throw error;
    }
  };

  const writeAppends = async (
    trx: Transaction<unknown>,
    appends: readonly StreamAppend[],
  ): Promise<readonly AppendResult[]> => {
    const plans = await planAppends(trx, appends);
    const writes = plans.filter((plan): plan is Planned & { kind: 'write' } => plan.kind === 'write');
    if (writes.length === 0) return plans.map((plan) => (plan as { result: AppendResult }).result);
    const serialized = new Map(
      writes.flatMap((write) => write.append.events.map((event) => [event.id, JSON.stringify(event.data)])),
    );
    const shared = (await moveStreams(writes).execute(trx)).rows[0] as TransactionRow;
    const commit = BigInt(shared.transaction_id);
    const { rows } = await insertEvents(writes, serialized).execute(trx);
    const inserted = new Map(rows.map((row) => [row.event_id, row]));
    const recorded = writes.map((write) =>
      write.append.events.map((event, offset): RecordedEvent => {
        const row = inserted.get(event.id.toLowerCase()) as InsertedRow;
        return {
          id: row.event_id,
          type: event.type,
          // As a reader will see it: what went through JSON into jsonb.
          data: inlineProjections.length === 0 ? event.data : JSON.parse(serialized.get(event.id) as string),
          metadata: event.metadata,
          streamName: write.append.streamName,
          streamRevision: write.first + BigInt(offset),
          position: { commit, prepare: BigInt(row.global_position) },
          recordedAt: shared.recorded_at,
        };
      }),
    );
    const written = recorded.flat();
    for (const projection of inlineProjections) await projection.apply(trx, written);
    const lastWritten = new Map(
      writes.map((write, position) => [write.index, (recorded[position] as RecordedEvent[]).at(-1) as RecordedEvent]),
    );
    return plans.map((plan, index) => {
      if (plan.kind === 'repeat') return plan.result;
      const last = lastWritten.get(index) as RecordedEvent;
      return { nextExpectedRevision: last.streamRevision, position: last.position };
    });
  };

  const appendToStreams = async (appends: readonly StreamAppend[]): Promise<readonly AppendResult[]> => {
    checkStreamAppends(appends);
    for (const append of appends) validateIds(append.events);
    if (appends.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute((trx) => writeAppends(trx, appends));
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && isRetryableRace(error)) continue;
        throw error;
      }
    }
  };

  const appendToStream = async (
    streamName: string,
    events: readonly NewEvent[],
    appendOptions?: AppendOptions,
  ): Promise<AppendResult> => {
    const expectedRevision = appendOptions?.expectedRevision ?? 'any';
    if (inlineProjections.length > 0) {
      return (await appendToStreams([{ streamName, events, expectedRevision }]))[0] as AppendResult;
    }
    checkStreamAppends([{ streamName, events, expectedRevision }]);
    validateIds(events);
    return appendOne(streamName, events, expectedRevision);
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

  const readStreams = async (streamNames: readonly string[]): Promise<ReadonlyMap<string, ReadStreamResult>> => {
    const answers = new Map<string, ReadStreamResult>();
    if (streamNames.length === 0) return answers;
    // One statement for all of them, so each revision and its events come from the same snapshot.
    const { rows } = await sql<{ current_revision: string; head_name: string } & Partial<EventRow>>`
      SELECT s.stream_name AS head_name, s.revision AS current_revision,
             e.global_position, e.transaction_id::text AS transaction_id, e.event_id, e.stream_name,
             e.stream_revision, e.event_type, e.data, e.metadata, e.recorded_at
      FROM event_streams s
      LEFT JOIN events e ON e.stream_name = s.stream_name
      WHERE s.stream_name = ANY(${[...new Set(streamNames)]}::text[])
      ORDER BY s.stream_name, e.stream_revision`.execute(db);
    const found = new Map<string, { currentRevision: bigint; events: RecordedEvent[] }>();
    for (const row of rows) {
      let stream = found.get(row.head_name);
      if (stream === undefined) {
        stream = { currentRevision: BigInt(row.current_revision), events: [] };
        found.set(row.head_name, stream);
      }
      if (row.event_id != null) stream.events.push(toRecorded(row as EventRow));
    }
    for (const name of streamNames) {
      const stream = found.get(name);
      answers.set(
        name,
        stream === undefined
          ? { streamExists: false, currentRevision: null, events: [] }
          : { streamExists: true, currentRevision: stream.currentRevision, events: stream.events },
      );
    }
    return answers;
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
    appendToStreams,
    readStreams,
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
