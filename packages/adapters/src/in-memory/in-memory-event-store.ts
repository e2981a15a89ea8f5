// An event store held in memory, for domain and handler unit tests only. It keeps the same contract as the
// Postgres and EventStoreDB adapters (the shared contract suite runs against it), including atomic
// multi-stream appends and a log horizon: an append that has taken its position but not committed holds back
// everything after it. `onAppended` stands in for Postgres's inline projections.

import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type LogPosition,
  type NewEvent,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  checkExpectedRevision,
  checkStreamAppends,
  earlierAppendResult,
  foldStream,
  isAfter,
  matchesFilter,
} from '@qbo-sync/domain';
import { createWakeUp } from '../event-store-support/wake-up.js';

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

export interface InMemoryEventStoreOptions {
  readonly now?: () => Date;
  /**
   * Called synchronously right after an append's events are stored (once per call, with every event it
   * wrote), as Postgres runs an inline projection inside the append's transaction: if it throws, the append
   * fails and its events are removed again. A repeat that writes nothing does not call it.
   */
  readonly onAppended?: (events: readonly RecordedEvent[]) => void;
}

export const createInMemoryEventStore = (options: InMemoryEventStoreOptions = {}): InMemoryEventStore => {
  const now = options.now ?? (() => new Date());
  const streams = new Map<string, RecordedEvent[]>();
  const byId = new Map<string, RecordedEvent>();
  let log: RecordedEvent[] = [];
  let nextSequence = 0n;
  const pending = new Set<bigint>();
  const wakeUp = createWakeUp();

  const horizon = (): bigint => (pending.size === 0 ? nextSequence : [...pending].reduce((a, b) => (b < a ? b : a)));

  const lastRevision = (streamName: string): bigint | null => {
    const length = streams.get(streamName)?.length ?? 0;
    return length === 0 ? null : BigInt(length - 1);
  };

  const remove = (recorded: readonly RecordedEvent[]): void => {
    for (const event of recorded) {
      byId.delete(event.id);
      const stream = streams.get(event.streamName) ?? [];
      const kept = stream.filter((stored) => stored !== event);
      if (kept.length === 0) streams.delete(event.streamName);
      else streams.set(event.streamName, kept);
    }
  };

  /**
   * Checks every stream before storing anything, then stores them all, in the order given, each event taking
   * the next log position. Runs synchronously, so nothing interleaves: all streams are written, or none.
   */
  const store = (
    appends: readonly StreamAppend[],
  ): { readonly recorded: readonly RecordedEvent[]; readonly results: readonly AppendResult[] } => {
    checkStreamAppends(appends);
    const repeats = appends.map((append) => {
      const repeat = earlierAppendResult(append.streamName, append.events, (id) => byId.get(id));
      if (repeat === null)
        checkExpectedRevision(append.streamName, append.expectedRevision, lastRevision(append.streamName));
      return repeat;
    });
    const recordedAt = now();
    const recorded: RecordedEvent[] = [];
    const results = appends.map((append, index): AppendResult => {
      const repeat = repeats[index];
      if (repeat !== null && repeat !== undefined) return repeat;
      const stream = streams.get(append.streamName) ?? [];
      const written = append.events.map((event, offset): RecordedEvent => {
        const sequence = nextSequence++;
        return {
          ...event,
          streamName: append.streamName,
          streamRevision: BigInt(stream.length + offset),
          position: { commit: sequence, prepare: sequence },
          recordedAt,
        };
      });
      stream.push(...written);
      streams.set(append.streamName, stream);
      for (const event of written) byId.set(event.id, event);
      recorded.push(...written);
      const last = written[written.length - 1] as RecordedEvent;
      return { nextExpectedRevision: last.streamRevision, position: last.position };
    });
    if (recorded.length > 0 && options.onAppended !== undefined) {
      try {
        options.onAppended(recorded);
      } catch (error) {
        remove(recorded);
        throw error;
      }
    }
    return { recorded, results };
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

  const readStream = async (streamName: string, readOptions: ReadStreamOptions = {}): Promise<ReadStreamResult> => {
    const stream = streams.get(streamName) ?? [];
    const committed = stream.filter((event) => !pending.has(event.position.commit));
    if (committed.length === 0) return { streamExists: false, currentRevision: null, events: [] };
    const from = readOptions.fromRevision ?? 0n;
    const selected = committed
      .filter((event) => event.streamRevision >= from)
      .slice(0, readOptions.maxCount ?? Number.MAX_SAFE_INTEGER);
    return { streamExists: true, currentRevision: BigInt(committed.length - 1), events: selected };
  };

  const appendToStreams = async (appends: readonly StreamAppend[]): Promise<readonly AppendResult[]> => {
    const { recorded, results } = store(appends);
    if (recorded.length > 0) publish(recorded);
    return results;
  };

  const appendStream = (
    streamName: string,
    events: readonly NewEvent[],
    appendOptions?: AppendOptions,
  ): StreamAppend => ({
    streamName,
    events,
    expectedRevision: appendOptions?.expectedRevision ?? 'any',
  });

  return {
    readStream,
    readStreams: async (streamNames) =>
      new Map(await Promise.all(streamNames.map(async (name) => [name, await readStream(name)] as const))),
    appendToStream: async (streamName, events, appendOptions) =>
      (await appendToStreams([appendStream(streamName, events, appendOptions)]))[0] as AppendResult,
    appendToStreams,
    holdAppend: async (streamName, events, appendOptions) => {
      const { recorded, results } = store([appendStream(streamName, events, appendOptions)]);
      const result = results[0] as AppendResult;
      if (recorded.length === 0) return { commit: async () => result };
      for (const event of recorded) pending.add(event.position.commit);
      return {
        commit: async () => {
          for (const event of recorded) pending.delete(event.position.commit);
          publish(recorded);
          return result;
        },
      };
    },
    aggregateStream: async (streamName, evolver) => foldStream(await readStream(streamName), evolver),
    subscribe,
    close: async () => undefined,
  };
};
