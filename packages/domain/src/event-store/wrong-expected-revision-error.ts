// Raised by every event store when an append's expected revision does not match the stream.
// Command handlers catch it to retry with fresh state; it never means data was written.

import type { ExpectedRevision } from './event-store.js';

export type ActualRevision = bigint | 'no_stream';

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(`stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export const isWrongExpectedRevision = (error: unknown): error is WrongExpectedRevisionError =>
  error instanceof WrongExpectedRevisionError;
