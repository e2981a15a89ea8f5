// Runs a connection command against the tenant's `connection-{tenant}` stream: fold the stream, decide,
// append with the revision it was decided on, and retry from fresh state when another process appended
// first. Gives each event its id and metadata; the decider stays pure.

import { randomUUID } from 'node:crypto';
import {
  type Actor,
  type ConnectionCommand,
  type ConnectionEvent,
  type ConnectionState,
  type EventStore,
  type NewEvent,
  connectionDecider,
  connectionStreamName,
  isWrongExpectedRevision,
} from '@qbo-sync/domain';

export interface CommandContext {
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly actor: Actor;
}

export interface ConnectionCommandHandler {
  handle(tenantId: string, command: ConnectionCommand, context: CommandContext): Promise<readonly ConnectionEvent[]>;
  state(tenantId: string): Promise<ConnectionState>;
}

export const CONNECTION_EVENT_SCHEMA_VERSION = 1;

export const createConnectionCommandHandler = (eventStore: EventStore, options: { maxAttempts?: number } = {}): ConnectionCommandHandler => {
  const maxAttempts = options.maxAttempts ?? 5;
  const load = (tenantId: string) =>
    eventStore.aggregateStream<ConnectionState>(connectionStreamName(tenantId), { initialState: connectionDecider.initialState, evolve: connectionDecider.evolve });
  return {
    state: async (tenantId) => (await load(tenantId)).state,
    handle: async (tenantId, command, context) => {
      for (let attempt = 1; ; attempt += 1) {
        const { state, currentRevision } = await load(tenantId);
        const decided = connectionDecider.decide(command, state);
        if (decided.length === 0) return decided;
        const events: NewEvent[] = decided.map((event) => ({
          id: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: {
            tenantId,
            correlationId: context.correlationId,
            causationId: context.causationId ?? null,
            actor: context.actor,
            schemaVersion: CONNECTION_EVENT_SCHEMA_VERSION,
          },
        }));
        try {
          await eventStore.appendToStream(connectionStreamName(tenantId), events, { expectedRevision: currentRevision ?? 'no_stream' });
          return decided;
        } catch (error) {
          if (!isWrongExpectedRevision(error) || attempt >= maxAttempts) throw error;
        }
      }
    },
  };
};
