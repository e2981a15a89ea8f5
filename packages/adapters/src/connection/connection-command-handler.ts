// Runs a connection command against the tenant's `connection-{tenant}` stream: fold the stream, decide,
// append with the revision it was decided on, and retry from fresh state when another process appended
// first. Gives each event its id and metadata; the decider stays pure.

import {
  type Actor,
  type ConnectionCommand,
  type ConnectionEvent,
  type ConnectionState,
  type EventStore,
  connectionDecider,
  connectionStreamName,
} from '@qbo-sync/domain';
import { handleCommand } from '@qbo-sync/application';

export interface CommandContext {
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly actor: Actor;
}

export interface ConnectionCommandHandler {
  handle(tenantId: string, command: ConnectionCommand, context: CommandContext): Promise<readonly ConnectionEvent[]>;
  state(tenantId: string): Promise<ConnectionState>;
}

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
      tenantId,
      context,
      maxAttempts: options.maxAttempts ?? 5,
    });
    return events;
  },
});
