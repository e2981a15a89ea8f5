// The rules every event store applies to an append before it writes, kept here once so the Postgres,
// in-memory and EventStoreDB adapters cannot drift apart: what a multi-stream append may carry, when an
// expected revision holds, and when an append is a repeat of one already stored.

import { DuplicateEventIdError } from './duplicate-event-id-error.js';
import type { AppendResult, ExpectedRevision, StreamAppend } from './event-store.js';
import type { LogPosition, NewEvent } from './event.js';
import { WrongExpectedRevisionError } from './wrong-expected-revision-error.js';

/**
 * Refuses an append the store could not write as one unit: a stream with no events, a stream named twice
 * (its second part could never hold the expected revision the caller read), or an event id carried twice.
 */
export const checkStreamAppends = (appends: readonly StreamAppend[]): void => {
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const { streamName, events } of appends) {
    if (events.length === 0) throw new Error(`append to ${streamName} needs at least one event`);
    if (streams.has(streamName)) throw new TypeError(`an append must not name stream ${streamName} twice`);
    streams.add(streamName);
    for (const event of events) {
      const id = event.id.toLowerCase();
      if (ids.has(id)) throw new TypeError('an append must not carry the same event id twice');
      ids.add(id);
    }
  }
};

/** Whether a stream whose last revision is `current` (null: no stream) meets the expectation. */
export const expectedRevisionHolds = (expected: ExpectedRevision, current: bigint | null): boolean =>
  expected === 'any' ||
  (expected === 'no_stream' && current === null) ||
  (expected === 'stream_exists' && current !== null) ||
  (typeof expected === 'bigint' && current === expected);

/** Throws WrongExpectedRevisionError, naming the stream, when the expectation does not hold. */
export const checkExpectedRevision = (streamName: string, expected: ExpectedRevision, current: bigint | null): void => {
  if (!expectedRevisionHolds(expected, current)) {
    throw new WrongExpectedRevisionError(streamName, expected, current ?? 'no_stream');
  }
};

/** Where an event id is stored already. */
export interface StoredEvent {
  readonly streamName: string;
  readonly streamRevision: bigint;
  readonly position: LogPosition;
}

/**
 * The earlier result when every event of the append is stored already in this stream (a retry after a lost
 * answer), null when none is stored. Anything in between, or ids stored in another stream, is a clash.
 * `lookup` is called with the id as the caller gave it.
 */
export const earlierAppendResult = (
  streamName: string,
  events: readonly NewEvent[],
  lookup: (eventId: string) => StoredEvent | undefined,
): AppendResult | null => {
  const stored = events.map((event) => lookup(event.id));
  if (stored.every((found) => found === undefined)) return null;
  if (stored.every((found) => found?.streamName === streamName)) {
    const last = (stored as StoredEvent[]).reduce((a, b) => (b.streamRevision > a.streamRevision ? b : a));
    return { nextExpectedRevision: last.streamRevision, position: last.position };
  }
  throw new DuplicateEventIdError(
    streamName,
    events.filter((_, index) => stored[index] !== undefined).map((event) => event.id),
  );
};
