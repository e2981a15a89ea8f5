// Test support: run any command of a record's or a run's stream through the one write path (handleCommand),
// to put a stream in the state a spec starts from (a push result, a failure, a page), and read states back.

import { type EventStore, type RecordCommand, type SyncCommand, recordDecider, recordStreamName, syncDecider, syncStreamName } from '@qbo-sync/domain';
import type { CommandContext } from '../src/shared/command-context.js';
import { handleCommand, loadState } from '../src/shared/handle-command.js';

export const recordCommands = (eventStore: EventStore) => ({
  handle: (tenantId: string, command: RecordCommand, context: CommandContext) =>
    handleCommand(eventStore, recordStreamName(tenantId, command.recordType, command.localId), recordDecider, command, { tenantId, context }),
  state: (tenantId: string, type: RecordCommand['recordType'], localId: string) => loadState(eventStore, recordStreamName(tenantId, type, localId), recordDecider),
});

export const syncCommands = (eventStore: EventStore) => ({
  handle: (syncId: string, tenantId: string, command: SyncCommand, context: CommandContext) => handleCommand(eventStore, syncStreamName(syncId), syncDecider, command, { tenantId, context }),
});
