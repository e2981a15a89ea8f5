// Runs a record command against its `record-{tenant}.{type}.{localId}` stream: fold the stream with the records
// decider, decide, append with the revision the decision was made on, and decide once more from fresh state
// when another writer appended first. Event ids are derived from the stream, the revision and the content, so
// a retried command that decides the same thing repeats the same ids and the store writes nothing twice.

import {
  type Actor,
  type EventStore,
  type NewEvent,
  type RecordCommand,
  type RecordEvent,
  type RecordState,
  isWrongExpectedRevision,
  recordDecider,
  recordStreamName,
} from '@qbo-sync/domain';
import { deterministicUuid } from '../sync/deterministic-id.js';
import { canonicalJson } from './content-hash.js';

export interface RecordCommandContext {
  /** The sync id for the worker's writes, the request id for the api's. */
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly actor: Actor;
}

export interface RecordCommandResult {
  /** What was appended; empty when the command changed nothing (e.g. an upsert of unchanged content). */
  readonly events: readonly RecordEvent[];
  /** The record's state after the command. */
  readonly state: RecordState;
  /** The stream's revision after the command; null when the stream still does not exist. */
  readonly revision: bigint | null;
}

export interface RecordCommandHandler {
  handle(tenantId: string, command: RecordCommand, context: RecordCommandContext): Promise<RecordCommandResult>;
  state(tenantId: string, type: RecordCommand['recordType'], localId: string): Promise<{ state: RecordState; revision: bigint | null }>;
}

export const RECORD_EVENT_SCHEMA_VERSION = 1;

export const createRecordCommandHandler = (eventStore: EventStore, options: { maxAttempts?: number } = {}): RecordCommandHandler => {
  // Decide, and on a lost race decide once more from fresh state (the brief's "retry once").
  const maxAttempts = options.maxAttempts ?? 2;
  const load = (stream: string) => eventStore.aggregateStream<RecordState>(stream, { initialState: recordDecider.initialState, evolve: recordDecider.evolve });
  return {
    state: async (tenantId, type, localId) => {
      const { state, currentRevision } = await load(recordStreamName(tenantId, type, localId));
      return { state, revision: currentRevision };
    },
    handle: async (tenantId, command, context) => {
      const stream = recordStreamName(tenantId, command.recordType, command.localId);
      for (let attempt = 1; ; attempt += 1) {
        const { state, currentRevision } = await load(stream);
        const decided = recordDecider.decide(command, state);
        if (decided.length === 0) return { events: decided, state, revision: currentRevision };
        const base = currentRevision === null ? -1n : currentRevision;
        const events: NewEvent[] = decided.map((event, index) => ({
          id: deterministicUuid(stream, String(base + BigInt(index) + 1n), event.type, canonicalJson(event.data)),
          type: event.type,
          data: event.data,
          metadata: {
            tenantId,
            correlationId: context.correlationId,
            causationId: context.causationId ?? null,
            actor: context.actor,
            schemaVersion: RECORD_EVENT_SCHEMA_VERSION,
          },
        }));
        try {
          const appended = await eventStore.appendToStream(stream, events, { expectedRevision: currentRevision ?? 'no_stream' });
          return { events: decided, state: decided.reduce(recordDecider.evolve, state), revision: appended.nextExpectedRevision };
        } catch (error) {
          if (!isWrongExpectedRevision(error) || attempt >= maxAttempts) throw error;
        }
      }
    },
  };
};
