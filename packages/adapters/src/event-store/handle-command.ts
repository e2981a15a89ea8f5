// Runs one command against one stream, the way every command handler here does: fold the stream with the
// decider, decide, append with the revision the decision was made on, and decide again from fresh state when
// another writer appended first. The caller names each event's id: a deterministic id makes a retried command
// that decides the same thing repeat the same ids, which the store answers without writing twice.

import {
  type EventMetadata,
  type EventStore,
  type Evolver,
  type NewEvent,
  type RecordedEvent,
  isWrongExpectedRevision,
} from '@qbo-sync/domain';

export interface StreamDecider<Command, Event extends { readonly type: string; readonly data: unknown }, State> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

export interface HandleCommandOptions<Event> {
  readonly metadata: EventMetadata;
  /** The id of an event about to sit at `revision` in the stream. */
  readonly eventId: (event: Event, revision: bigint) => string;
  /** Attempts in all, counting the first; lost races beyond them throw WrongExpectedRevisionError. */
  readonly maxAttempts: number;
}

export interface HandleCommandResult<Event, State> {
  /** What was appended; empty when the command changed nothing. */
  readonly events: readonly Event[];
  readonly state: State;
  /** The stream's revision afterwards; null when it still does not exist. */
  readonly revision: bigint | null;
}

export const handleCommand = async <Command, Event extends { readonly type: string; readonly data: unknown }, State>(
  eventStore: EventStore,
  streamName: string,
  decider: StreamDecider<Command, Event, State>,
  command: Command,
  options: HandleCommandOptions<Event>,
): Promise<HandleCommandResult<Event, State>> => {
  // Recorded events carry the domain event's type and data, which is all evolve reads.
  const evolver = decider as unknown as Evolver<State, RecordedEvent>;
  for (let attempt = 1; ; attempt += 1) {
    const { state, currentRevision } = await eventStore.aggregateStream(streamName, evolver);
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { events: decided, state, revision: currentRevision };
    const next = currentRevision === null ? 0n : currentRevision + 1n;
    const events: NewEvent[] = decided.map((event, index) => ({
      id: options.eventId(event, next + BigInt(index)),
      type: event.type,
      data: event.data,
      metadata: options.metadata,
    }));
    try {
      const appended = await eventStore.appendToStream(streamName, events, {
        expectedRevision: currentRevision ?? 'no_stream',
      });
      return { events: decided, state: decided.reduce(decider.evolve, state), revision: appended.nextExpectedRevision };
    } catch (error) {
      if (!isWrongExpectedRevision(error) || attempt >= options.maxAttempts) throw error;
    }
  }
};
