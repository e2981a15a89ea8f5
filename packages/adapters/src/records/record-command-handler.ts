// Runs a record command against its `record-{tenant}.{type}.{localId}` stream: fold the stream with the records
// decider, decide, append with the revision the decision was made on, and decide once more from fresh state
// when another writer appended first. Event ids are derived from the stream, the revision and the content, so
// a retried command that decides the same thing repeats the same ids and the store writes nothing twice.

import {
  type Actor,
  type EventStore,
  type RecordCommand,
  type RecordEvent,
  type RecordState,
  recordDecider,
  recordStreamName,
} from '@qbo-sync/domain';
import { handleCommand } from '../event-store/handle-command.js';
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
  state(
    tenantId: string,
    type: RecordCommand['recordType'],
    localId: string,
  ): Promise<{ state: RecordState; revision: bigint | null }>;
}

export const RECORD_EVENT_SCHEMA_VERSION = 1;

export const createRecordCommandHandler = (
  eventStore: EventStore,
  options: { maxAttempts?: number } = {},
): RecordCommandHandler => {
  // Decide, and on a lost race decide once more from fresh state (the brief's "retry once").
  const maxAttempts = options.maxAttempts ?? 2;
  const load = (stream: string) =>
    eventStore.aggregateStream<RecordState>(stream, {
      initialState: recordDecider.initialState,
      evolve: recordDecider.evolve,
    });
  return {
    state: async (tenantId, type, localId) => {
      const { state, currentRevision } = await load(recordStreamName(tenantId, type, localId));
      return { state, revision: currentRevision };
    },
    handle: async (tenantId, command, context) => {
      const stream = recordStreamName(tenantId, command.recordType, command.localId);
      return handleCommand(eventStore, stream, recordDecider, command, {
        metadata: {
          tenantId,
          correlationId: context.correlationId,
          causationId: context.causationId ?? null,
          actor: context.actor,
          schemaVersion: RECORD_EVENT_SCHEMA_VERSION,
        },
        eventId: (event, revision) =>
          deterministicUuid(stream, String(revision), event.type, canonicalJson(event.data)),
        maxAttempts,
      });
    },
  };
};
