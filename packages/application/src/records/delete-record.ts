// Use case: the host deleted a record. The next push carries it out (deactivates a name-list record, voids a
// transaction); deleting what never existed is refused (RecordNotFoundError), deleting twice changes nothing.

import { IS_NAME_LIST, type EventStore, type RecordType, recordDecider, recordStreamName } from '@qbo-sync/domain';
import type { CommandContext } from '../shared/command-context.js';
import { handleCommand } from '../shared/handle-command.js';

export interface DeleteRecordInput {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly localId: string;
  readonly at: string;
}

export interface DeleteRecordResult {
  /** False when it was deleted already. */
  readonly changed: boolean;
  readonly localRevision: number;
  /** What the next push does in QBO. */
  readonly remoteAction: 'none' | 'deactivate' | 'void';
}

export const deleteRecord = async (deps: { readonly eventStore: EventStore }, input: DeleteRecordInput, context: CommandContext): Promise<DeleteRecordResult> => {
  const { events, state } = await handleCommand(
    deps.eventStore,
    recordStreamName(input.tenantId, input.recordType, input.localId),
    recordDecider,
    { type: 'DeleteLocalRecord', recordType: input.recordType, localId: input.localId, at: input.at },
    { tenantId: input.tenantId, context },
  );
  return {
    changed: events.length > 0,
    localRevision: state.localRevision,
    remoteAction: state.link === null ? 'none' : IS_NAME_LIST[input.recordType] ? 'deactivate' : 'void',
  };
};
