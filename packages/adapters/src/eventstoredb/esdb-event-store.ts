// The EventStoreDB adapter, for installations that run it. Same port and contract as the Postgres store,
// except that a multi-stream append is not atomic: EventStoreDB writes one stream per call, so it goes
// stream by stream and relies on the caller's event ids to make a repeated call complete a partial one.
// Every call runs under our own timeout: against a dead or non-gRPC endpoint the client can hang forever.

import {
  EventStoreDBClient,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import {
  type AppendResult,
  type EventMetadata,
  type EventStore,
  EventStoreUnavailableError,
  type EventSubscription,
  type ExpectedRevision,
  type LogPosition,
  type NewEvent,
  type ReadStreamResult,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  WrongExpectedRevisionError,
  checkStreamAppends,
  foldStream,
  isAfter,
  matchesFilter,
} from '@qbo-sync/domain';

export interface EsdbEventStoreOptions {
  /** e.g. esdb://localhost:2113?tls=false */
  readonly connectionString: string;
  /** Longest wait for any one call before the store is declared unavailable. */
  readonly timeoutMs?: number;
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new EventStoreUnavailableError(`EventStoreDB did not answer ${what} within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

// The client reports a refused connection as a raw gRPC error (code 14), not always as UnavailableError.
const translate = (error: unknown, what: string): unknown => {
  if (error instanceof EventStoreUnavailableError || error instanceof WrongExpectedRevisionError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const type = (error as { type?: unknown } | null)?.type;
  if (code === 14 || code === 4 || type === 'unavailable' || type === 'deadline-exceeded') {
    return new EventStoreUnavailableError(`EventStoreDB is unavailable (${what})`, { cause: error });
  }
  return error;
};

const toRecorded = (resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null => {
  const event = resolved.event;
  if (event === undefined || !event.isJson) return null;
  const { $correlationId: _c, $causationId: _k, ...metadata } = (event.metadata ?? {}) as Record<string, unknown>;
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: metadata as unknown as EventMetadata,
    streamName: event.streamId,
    streamRevision: event.revision,
    position: event.position ?? { commit: -1n, prepare: -1n },
    recordedAt: event.created,
  };
};

/** Runs `work` over `items` with at most `limit` at a time, answering in the order given. */
const mapBounded = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

/** Streams read at once by readStreams: enough to hide latency, few enough not to flood the server. */
const READ_CONCURRENCY = 8;

const isSystem = (event: { streamName: string; type: string }): boolean =>
  event.streamName.startsWith('$') || event.type.startsWith('$');

export const createEsdbEventStore = (options: EsdbEventStoreOptions): EventStore => {
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const subscriptions = new Set<() => Promise<void>>();

  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(run(), timeoutMs, what);
    } catch (error) {
      throw translate(error, what);
    }
  };

  const readStream = async (
    streamName: string,
    readOptions: { fromRevision?: bigint; maxCount?: number } = {},
  ): Promise<ReadStreamResult> =>
    call(`reading ${streamName}`, async () => {
      const events: RecordedEvent[] = [];
      try {
        for await (const resolved of client.readStream(streamName, {
          fromRevision: readOptions.fromRevision ?? 'start',
          ...(readOptions.maxCount === undefined ? {} : { maxCount: readOptions.maxCount }),
        })) {
          const event = toRecorded(resolved);
          if (event !== null) events.push(event);
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return { streamExists: false, currentRevision: null, events: [] };
        throw error;
      }
      const unlimited = readOptions.fromRevision === undefined && readOptions.maxCount === undefined;
      if (unlimited && events.length > 0) {
        return {
          streamExists: true,
          currentRevision: (events[events.length - 1] as RecordedEvent).streamRevision,
          events,
        };
      }
      // The stream's head, which a limited read does not show.
      let head: bigint | null = null;
      for await (const resolved of client.readStream(streamName, {
        fromRevision: 'end',
        direction: 'backwards',
        maxCount: 1,
      })) {
        head = resolved.event?.revision ?? null;
      }
      if (head === null) return { streamExists: false, currentRevision: null, events: [] };
      return { streamExists: true, currentRevision: head, events };
    });

  const appendToStream = async (
    streamName: string,
    events: readonly NewEvent[],
    appendOptions?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> => {
    if (events.length === 0) throw new Error('append needs at least one event');
    const expected = appendOptions?.expectedRevision ?? 'any';
    return call(`appending to ${streamName}`, async () => {
      try {
        const result = await client.appendToStream(
          streamName,
          events.map((event) =>
            jsonEvent({
              id: event.id,
              type: event.type,
              data: event.data as Record<string, unknown>,
              metadata: {
                ...event.metadata,
                $correlationId: event.metadata.correlationId,
                ...(event.metadata.causationId === null ? {} : { $causationId: event.metadata.causationId }),
              },
            }),
          ),
          { expectedRevision: expected },
        );
        return {
          nextExpectedRevision: result.nextExpectedRevision,
          position: result.position ?? { commit: -1n, prepare: -1n },
        };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          throw new WrongExpectedRevisionError(streamName, expected, error.actualVersion);
        }
        throw error;
      }
    });
  };

  // Stream by stream, in the order given, each under its own timeout. A repeat of a stream already written
  // (same ids at the revision its expectation names) is answered by EventStoreDB's idempotent append without
  // writing, so repeating the whole call after a failure part-way completes it with no doubles.
  const appendToStreams = async (appends: readonly StreamAppend[]): Promise<readonly AppendResult[]> => {
    checkStreamAppends(appends);
    const results: AppendResult[] = [];
    for (const append of appends) {
      results.push(
        await appendToStream(append.streamName, append.events, { expectedRevision: append.expectedRevision }),
      );
    }
    return results;
  };

  const readStreams = async (streamNames: readonly string[]): Promise<ReadonlyMap<string, ReadStreamResult>> => {
    const names = [...new Set(streamNames)];
    const reads = await mapBounded(names, READ_CONCURRENCY, (name) => readStream(name));
    return new Map(names.map((name, index) => [name, reads[index] as ReadStreamResult]));
  };

  const subscribe = (subscribeOptions: SubscribeOptions): EventSubscription => {
    const batchSize = subscribeOptions.batchSize ?? 500;
    const categories = subscribeOptions.filter?.categories;
    const eventTypes = subscribeOptions.filter?.eventTypes;
    // EventStoreDB filters on one thing server-side; the other (if any) is applied here.
    const filter =
      categories !== undefined
        ? streamNameFilter({ prefixes: categories.map((category) => `${category}-`) })
        : eventTypes !== undefined
          ? eventTypeFilter({ prefixes: [...eventTypes] })
          : excludeSystemEvents();
    const from = subscribeOptions.from;
    let started: ReturnType<typeof client.subscribeToAll> | null = null;
    let stopped = false;
    const stop = async (): Promise<void> => {
      stopped = true;
      subscriptions.delete(stop);
      await started?.unsubscribe().catch(() => undefined);
    };
    subscriptions.add(stop);

    async function* batches(): AsyncGenerator<readonly RecordedEvent[]> {
      // Prove the server answers before opening a stream that could otherwise wait forever.
      await call('a connectivity check', async () => {
        for await (const _ of client.readAll({ maxCount: 1 })) break;
      });
      if (stopped) return;
      const subscription = client.subscribeToAll({
        fromPosition: from === 'start' ? 'start' : { commit: from.commit, prepare: from.prepare },
        filter,
      });
      started = subscription;
      let checkpoint: LogPosition | null = from === 'start' ? null : from;
      let batch: RecordedEvent[] = [];
      for await (const resolved of subscription) {
        const event = toRecorded(resolved);
        if (event !== null && !isSystem(event) && isAfter(event.position, checkpoint)) {
          checkpoint = event.position;
          if (matchesFilter(event, subscribeOptions.filter)) batch.push(event);
        }
        // Hand over what has arrived once the client's buffer is drained, or the batch is full.
        if (batch.length > 0 && (batch.length >= batchSize || subscription.readableLength === 0)) {
          yield batch;
          batch = [];
        }
        if (stopped) break;
      }
    }
    const iterator = batches();
    return { stop, [Symbol.asyncIterator]: () => iterator };
  };

  return {
    readStream,
    readStreams,
    appendToStream,
    appendToStreams,
    aggregateStream: async (streamName, evolver) => foldStream(await readStream(streamName), evolver),
    subscribe,
    close: async () => {
      await Promise.all([...subscriptions].map((stop) => stop()));
      await client.dispose();
    },
  };
};
