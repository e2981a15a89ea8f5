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
  connectionDecider,
  connectionStreamName,
} from '@qbo-sync/domain';
import { handleCommand } from '../event-store/handle-command.js';

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

export const createConnectionCommandHandler = (
  eventStore: EventStore,
  options: { maxAttempts?: number } = {},
): ConnectionCommandHandler => ({
  state: async (tenantId) =>
    (
      await eventStore.aggregateStream<ConnectionState>(connectionStreamName(tenantId), {
        initialState: connectionDecider.initialState,
        evolve: connectionDecider.evolve,
      })
    ).state,
  handle: async (tenantId, command, context) => {
    const { events } = await handleCommand(eventStore, connectionStreamName(tenantId), connectionDecider, command, {
      metadata: {
        tenantId,
        correlationId: context.correlationId,
        causationId: context.causationId ?? null,
        actor: context.actor,
        schemaVersion: CONNECTION_EVENT_SCHEMA_VERSION,
      },
      eventId: () => randomUUID(),
      maxAttempts: options.maxAttempts ?? 5,
    });
    return events;
  },
});
