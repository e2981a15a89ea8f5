// The event store port: the one interface every command handler and subscriber uses to reach the log.
// Adapters (Postgres, EventStoreDB, in memory) implement it and are held to the same contract suite.

import type { LogPosition, NewEvent, RecordedEvent } from './event.js';

/** As EventStoreDB: a 0-based revision of the last event, or one of the three named cases. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface ReadStreamOptions {
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

/** A stream that does not exist is an ordinary answer, not an error. */
export type ReadStreamResult =
  | { readonly streamExists: false; readonly currentRevision: null; readonly events: readonly RecordedEvent[] }
  | { readonly streamExists: true; readonly currentRevision: bigint; readonly events: readonly RecordedEvent[] };

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamName: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the stream's last event after the append. */
  readonly nextExpectedRevision: bigint;
  /** Where the last appended event sits in the global log. */
  readonly position: LogPosition;
}

export interface Evolver<State, Event extends RecordedEvent = RecordedEvent> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
}

export interface AggregateResult<State> {
  readonly state: State;
  /** null when the stream does not exist: append with `no_stream`. */
  readonly currentRevision: bigint | null;
}

export interface SubscriptionFilter {
  /** Stream categories (the part before the first dash). */
  readonly categories?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface SubscribeOptions {
  /** 'start' reads the whole log; a position resumes strictly after it. */
  readonly from: 'start' | LogPosition;
  readonly filter?: SubscriptionFilter;
  /** Most events handed over at once. */
  readonly batchSize?: number;
}

/**
 * Live, ordered delivery of the global log, in batches. Each batch is in log order and follows the last
 * one without gaps; `stop()` ends the iteration.
 */
export interface EventSubscription extends AsyncIterable<readonly RecordedEvent[]> {
  stop(): Promise<void>;
}

export interface EventStore {
  readStream(streamName: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;
  /** Atomic: all events are written, or none. Throws WrongExpectedRevisionError on a revision mismatch. */
  appendToStream(streamName: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to many streams in one call, each at its own expected revision; the results come back in the
   * order given. A stream whose events are all stored already (same ids, same stream) is answered as a
   * repeat, and its expected revision is not checked again. Postgres and in-memory: atomic, all streams or
   * none. EventStoreDB: stream by stream in the order given, so a failure part-way leaves the earlier
   * streams written; repeating the same call (the same deterministic event ids) completes it with no doubles.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]>;
  /** Many streams at once (one query on Postgres); a missing stream is answered with streamExists false. */
  readStreams(streamNames: readonly string[]): Promise<ReadonlyMap<string, ReadStreamResult>>;
  aggregateStream<State, Event extends RecordedEvent = RecordedEvent>(
    streamName: string,
    evolver: Evolver<State, Event>,
  ): Promise<AggregateResult<State>>;
  subscribe(options: SubscribeOptions): EventSubscription;
  close(): Promise<void>;
}
