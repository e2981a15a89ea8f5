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
  aggregateStream<State, Event extends RecordedEvent = RecordedEvent>(
    streamName: string,
    evolver: Evolver<State, Event>,
  ): Promise<AggregateResult<State>>;
  subscribe(options: SubscribeOptions): EventSubscription;
  close(): Promise<void>;
}
