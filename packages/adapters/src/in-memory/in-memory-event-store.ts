// An event store held in memory, for domain and handler unit tests only. It keeps the same contract as the
// Postgres and EventStoreDB adapters (the shared contract suite runs against it), including a log horizon:
// an append that has taken its position but not committed holds back everything after it.

import {
  type AppendOptions,
  type AppendResult,
  DuplicateEventIdError,
  type EventStore,
  type EventSubscription,
  type ExpectedRevision,
  type LogPosition,
  type NewEvent,
  type RecordedEvent,
  type SubscribeOptions,
  WrongExpectedRevisionError,
  foldStream,
  isAfter,
  matchesFilter,
} from '@qbo-sync/domain';
import { createWakeUp } from '../postgres/wake-up.js';

export interface InMemoryEventStore extends EventStore {
  /**
   * Takes log positions for an append now and commits it later, as a slow Postgres transaction would.
   * Lets the contract suite show that subscribers never skip an event that commits late.
   */
  holdAppend(
    streamName: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<{ commit(): Promise<AppendResult> }>;
}

const checkExpected = (streamName: string, expected: ExpectedRevision, current: bigint | null): void => {
  const actual = current ?? 'no_stream';
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === null) ||
    (expected === 'stream_exists' && current !== null) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedRevisionError(streamName, expected, actual);
};

export const createInMemoryEventStore = (options: { now?: () => Date } = {}): InMemoryEventStore => {
  const now = options.now ?? (() => new Date());
  const streams = new Map<string, RecordedEvent[]>();
  const byId = new Map<string, RecordedEvent>();
  let log: RecordedEvent[] = [];
  let nextSequence = 0n;
  const pending = new Set<bigint>();
  const wakeUp = createWakeUp();

  const horizon = (): bigint => (pending.size === 0 ? nextSequence : [...pending].reduce((a, b) => (b < a ? b : a)));

  const repeatOf = (streamName: string, events: readonly NewEvent[]): AppendResult | null => {
    const known = events.map((event) => byId.get(event.id));
    if (known.every((event) => event === undefined)) return null;
    if (known.every((event) => event?.streamName === streamName)) {
      const last = known[known.length - 1] as RecordedEvent;
      return { nextExpectedRevision: last.streamRevision, position: last.position };
    }
    throw new DuplicateEventIdError(
      streamName,
      events.filter((event) => byId.has(event.id)).map((event) => event.id),
    );
  };

  // Reserves revisions and one log position per event; the caller commits (or drops) the result.
  type Prepared =
    | { readonly kind: 'repeat'; readonly result: AppendResult }
    | { readonly kind: 'new'; readonly recorded: readonly RecordedEvent[]; readonly result: AppendResult };
  const prepare = (streamName: string, events: readonly NewEvent[], options?: AppendOptions): Prepared => {
    if (events.length === 0) throw new Error('append needs at least one event');
    const repeat = repeatOf(streamName, events);
    if (repeat !== null) return { kind: 'repeat', result: repeat };
    const stream = streams.get(streamName) ?? [];
    const current = stream.length === 0 ? null : BigInt(stream.length - 1);
    checkExpected(streamName, options?.expectedRevision ?? 'any', current);
    const recordedAt = now();
    const recorded = events.map((event, index): RecordedEvent => {
      const sequence = nextSequence++;
      return {
        ...event,
        streamName,
        streamRevision: BigInt(stream.length + index),
        position: { commit: sequence, prepare: sequence },
        recordedAt,
      };
    });
    stream.push(...recorded);
    streams.set(streamName, stream);
    for (const event of recorded) byId.set(event.id, event);
    const last = recorded[recorded.length - 1] as RecordedEvent;
    return { kind: 'new', recorded, result: { nextExpectedRevision: last.streamRevision, position: last.position } };
  };

  const publish = (recorded: readonly RecordedEvent[]): void => {
    log = [...log, ...recorded].sort((a, b) => (a.position.commit < b.position.commit ? -1 : 1));
    wakeUp.notify();
  };

  const visibleAfter = (from: LogPosition | null): RecordedEvent[] => {
    const limit = horizon();
    return log.filter((event) => event.position.commit < limit && isAfter(event.position, from));
  };

  const subscribe = (options: SubscribeOptions): EventSubscription => {
    const batchSize = options.batchSize ?? 500;
    let stopped = false;
    const stop = async (): Promise<void> => {
      stopped = true;
      wakeUp.notify();
    };
    async function* batches(): AsyncGenerator<readonly RecordedEvent[]> {
      let checkpoint: LogPosition | null = options.from === 'start' ? null : options.from;
      while (!stopped) {
        const seen = wakeUp.version();
        const page = visibleAfter(checkpoint).slice(0, batchSize);
        if (page.length > 0) {
          checkpoint = (page[page.length - 1] as RecordedEvent).position;
          const wanted = page.filter((event) => matchesFilter(event, options.filter));
          if (wanted.length > 0) yield wanted;
          continue;
        }
        await wakeUp.wait(seen, 1_000);
      }
    }
    const iterator = batches();
    return {
      stop,
      [Symbol.asyncIterator]: () => iterator,
    };
  };

  return {
    readStream: async (streamName, options = {}) => {
      const stream = streams.get(streamName) ?? [];
      const committed = stream.filter((event) => !pending.has(event.position.commit));
      if (committed.length === 0) return { streamExists: false, currentRevision: null, events: [] };
      const from = options.fromRevision ?? 0n;
      const selected = committed
        .filter((event) => event.streamRevision >= from)
        .slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
      return { streamExists: true, currentRevision: BigInt(committed.length - 1), events: selected };
    },
    appendToStream: async (streamName, events, options) => {
      const prepared = prepare(streamName, events, options);
      if (prepared.kind === 'repeat') return prepared.result;
      publish(prepared.recorded);
      return prepared.result;
    },
    holdAppend: async (streamName, events, options) => {
      const prepared = prepare(streamName, events, options);
      if (prepared.kind === 'repeat') return { commit: async () => prepared.result };
      for (const event of prepared.recorded) pending.add(event.position.commit);
      return {
        commit: async () => {
          for (const event of prepared.recorded) pending.delete(event.position.commit);
          publish(prepared.recorded);
          return prepared.result;
        },
      };
    },
    aggregateStream: async function (streamName, evolver) {
      return foldStream(await this.readStream(streamName), evolver);
    },
    subscribe,
    close: async () => undefined,
  };
};
