// Use case: the host sends a record by its own id. The record arrives parsed by its canonical schema (at the
// edge); its content hash decides whether anything changed, and an unchanged record appends nothing.

import { type EventStore, type RecordType, ownedContent, recordDecider, recordStreamName } from '@qbo-sync/domain';
import type { CommandContext } from '../shared/command-context.js';
import { contentHash } from '../shared/content-hash.js';
import { handleCommand } from '../shared/handle-command.js';

export interface UpsertRecordInput {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly localId: string;
  /** Already parsed by the type's canonical schema. */
  readonly record: Record<string, unknown>;
  readonly at: string;
}

export interface UpsertRecordResult {
  readonly status: 'created' | 'updated' | 'unchanged';
  readonly localRevision: number;
  readonly contentHash: string;
  readonly record: Record<string, unknown>;
}

export const upsertRecord = async (deps: { readonly eventStore: EventStore }, input: UpsertRecordInput, context: CommandContext): Promise<UpsertRecordResult> => {
  // Over what the host owns: fields QBO computes (an invoice's balance) are not the host's to change.
  const hash = contentHash(ownedContent(input.recordType, input.record));
  const { events, state } = await handleCommand(
    deps.eventStore,
    recordStreamName(input.tenantId, input.recordType, input.localId),
    recordDecider,
    { type: 'UpsertLocalRecord', recordType: input.recordType, localId: input.localId, record: input.record, contentHash: hash, at: input.at },
    { tenantId: input.tenantId, context },
  );
  return {
    status: events.length === 0 ? 'unchanged' : state.localRevision === 1 ? 'created' : 'updated',
    localRevision: state.localRevision,
    contentHash: hash,
    record: input.record,
  };
};
