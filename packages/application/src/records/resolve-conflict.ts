// Use case: a person settles a conflict held for review. QBO wins applies QBO's version (held in the conflict)
// as the record, sent to the host as RemoteRecordChanged; local wins leaves the local version for the next push
// to write over QBO's. A record with no open conflict is refused (NoOpenConflictError).

import { type EventStore, type RecordType, recordDecider, recordStreamName } from '@qbo-sync/domain';
import { type CommandContext, actorLabel } from '../shared/command-context.js';
import { handleCommand } from '../shared/handle-command.js';

export interface ResolveConflictInput {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly localId: string;
  readonly resolution: 'qbo_wins' | 'local_wins';
  readonly at: string;
}

export const resolveConflict = async (deps: { readonly eventStore: EventStore }, input: ResolveConflictInput, context: CommandContext): Promise<{ readonly events: readonly string[] }> => {
  const { events } = await handleCommand(
    deps.eventStore,
    recordStreamName(input.tenantId, input.recordType, input.localId),
    recordDecider,
    {
      type: 'ResolveConflict',
      recordType: input.recordType,
      localId: input.localId,
      resolution: input.resolution,
      resolvedBy: actorLabel(context.actor),
      // Outside any run: the review queue's resolution belongs to no sync.
      syncId: null,
      at: input.at,
    },
    { tenantId: input.tenantId, context },
  );
  return { events: events.map((event) => event.type) };
};
