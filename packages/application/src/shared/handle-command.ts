// The one way this system writes an event: read the stream, fold it with the decider, decide, and append at the
// revision that was read. A lost race (another writer appended first) is met by reading and deciding again.
// Several streams decided together (a page of records, its claims and the run's page event) are appended in
// one multi-stream call. Event ids derive from the stream, the revision and the decision, so a retried append
// of the same decision repeats the same ids and the store answers it without writing twice.

import {
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadStreamResult,
  type StreamAppend,
  isWrongExpectedRevision,
  upcast,
} from '@qbo-sync/domain';
import { type CommandContext, metadataFor } from './command-context.js';
import { deterministicUuid } from './deterministic-id.js';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface Decider<Command, Event extends DomainEvent, State> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

/** A stream's state as read: its events, in their current shape, folded with the decider. */
export const foldRead = <Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, read: ReadStreamResult): State =>
  read.events.map((event) => upcast(event) as unknown as Event).reduce(decider.evolve, decider.initialState());

/** What one stream's commands decided: the events to append at the revision that was read, and the state after. */
export interface StreamDecision<Event extends DomainEvent, State> {
  readonly streamName: string;
  /** The revision the decision was made on. */
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly Event[];
  readonly state: State;
}

/** Runs the commands one after another against the stream's state: each sees what the ones before decided. */
export const decideOnStream = <Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  streamName: string,
  read: ReadStreamResult,
  commands: readonly Command[],
  initial: State = foldRead(decider, read),
): StreamDecision<Event, State> => {
  const events: Event[] = [];
  let state = initial;
  for (const command of commands) {
    const decided = decider.decide(command, state);
    events.push(...decided);
    state = decided.reduce(decider.evolve, state);
  }
  return { streamName, expectedRevision: read.currentRevision ?? 'no_stream', events, state };
};

/** The id of an event about to sit at `revision` in a stream: the same decision gives the same id. */
export const eventIdOf = (streamName: string, revision: bigint, event: DomainEvent, correlationId: string): string =>
  deterministicUuid('event', streamName, revision.toString(), event.type, correlationId, JSON.stringify(event.data));

/** The append of a decision, with ids and metadata; null when it decided nothing. */
export const toStreamAppend = (tenantId: string, context: CommandContext, decision: StreamDecision<DomainEvent, unknown>): StreamAppend | null => {
  if (decision.events.length === 0) return null;
  const first = decision.expectedRevision === 'no_stream' ? 0n : typeof decision.expectedRevision === 'bigint' ? decision.expectedRevision + 1n : 0n;
  const events: NewEvent[] = decision.events.map((event, index) => ({
    id: eventIdOf(decision.streamName, first + BigInt(index), event, context.correlationId),
    type: event.type,
    data: event.data,
    metadata: metadataFor(tenantId, context, event.type),
  }));
  return { streamName: decision.streamName, events, expectedRevision: decision.expectedRevision };
};

export interface HandleCommandResult<Event, State> {
  /** What was appended; empty when the command changed nothing. */
  readonly events: readonly Event[];
  readonly state: State;
  /** The stream's revision afterwards; null when it still does not exist. */
  readonly revision: bigint | null;
}

/** One command on one stream, decided from fresh state again after each lost race, up to `maxAttempts` in all. */
export const handleCommand = async <Command, Event extends DomainEvent, State>(
  eventStore: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  options: { readonly tenantId: string; readonly context: CommandContext; readonly maxAttempts?: number },
): Promise<HandleCommandResult<Event, State>> => {
  const maxAttempts = options.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    const read = await eventStore.readStream(streamName);
    const decision = decideOnStream(decider, streamName, read, [command]);
    const append = toStreamAppend(options.tenantId, options.context, decision);
    if (append === null) return { events: [], state: decision.state, revision: read.currentRevision };
    try {
      const result = await eventStore.appendToStream(streamName, append.events, { expectedRevision: append.expectedRevision });
      return { events: decision.events, state: decision.state, revision: result.nextExpectedRevision };
    } catch (error) {
      if (!isWrongExpectedRevision(error) || attempt >= maxAttempts) throw error;
    }
  }
};

/** The state of one stream, read and folded. */
export const loadState = async <Command, Event extends DomainEvent, State>(
  eventStore: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
): Promise<{ readonly state: State; readonly revision: bigint | null }> => {
  const read = await eventStore.readStream(streamName);
  return { state: foldRead(decider, read), revision: read.currentRevision };
};
