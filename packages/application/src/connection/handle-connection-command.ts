// The one way a connection event is written: a command on the tenant's `connection-{tenant}` stream, decided
// by the connection decider through the application's handleCommand. Connect, disconnect, token refreshes,
// refresh failures and health changes all come through here.

import { type ConnectionCommand, type ConnectionEvent, type ConnectionState, type EventStore, connectionDecider, connectionStreamName } from '@qbo-sync/domain';
import type { CommandContext } from '../shared/command-context.js';
import { handleCommand, loadState } from '../shared/handle-command.js';

/** Health changes and refreshes from several processes race on one stream: a few more tries than elsewhere. */
const MAX_ATTEMPTS = 5;

/** Decides the command on the tenant's connection stream and appends what it decided; answers those events. */
export const handleConnectionCommand = async (
  eventStore: EventStore,
  tenantId: string,
  command: ConnectionCommand,
  context: CommandContext,
): Promise<readonly ConnectionEvent[]> =>
  (await handleCommand(eventStore, connectionStreamName(tenantId), connectionDecider, command, { tenantId, context, maxAttempts: MAX_ATTEMPTS })).events;

/** The tenant's connection as its stream says, folded with the decider. */
export const loadConnectionState = async (eventStore: EventStore, tenantId: string): Promise<ConnectionState> =>
  (await loadState(eventStore, connectionStreamName(tenantId), connectionDecider)).state;
