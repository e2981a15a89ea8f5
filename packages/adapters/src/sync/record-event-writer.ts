// Writes the outcome of a sync step on a record's stream: fold the stream with the records decider, decide,
// append with the expected revision. A host write that lands in between is met by folding again and
// deciding once more. Event ids derive from the run, the stream and the revision, so a resumed run that
// decides the same thing appends nothing twice. Links are claimed first on `qbolink-…` (no_stream), so
// one QBO record can never be linked to two local records.

import {
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordCommand,
  type RecordEvent,
  type RecordState,
  type RecordType,
  WrongExpectedRevisionError,
  qboLinkStreamName,
  recordDecider,
  recordStreamName,
} from '@qbo-sync/domain';
import { deterministicUuid } from './deterministic-id.js';

export interface FoldedRecord {
  readonly state: RecordState;
  /** null: the stream does not exist yet. */
  readonly revision: bigint | null;
}

export type ClaimOutcome = { readonly kind: 'claimed' } | { readonly kind: 'held'; readonly localId: string };

export interface RecordEventWriter {
  fold(type: RecordType, localId: string): Promise<FoldedRecord>;
  /** Decides the command against the current state and appends what it says; returns those events and the new state. */
  apply(type: RecordType, localId: string, command: (state: RecordState) => RecordCommand | null): Promise<{ events: RecordEvent[]; state: RecordState }>;
  /** Claims a QBO record for a local one; `held` names the local record that already holds it. */
  claim(type: RecordType, qboId: string, localId: string): Promise<ClaimOutcome>;
  /** Event ids and metadata as apply writes them, for callers that append many streams in one transaction. */
  toNewEvents(stream: string, revision: bigint | null, events: readonly { type: string; data: unknown }[]): NewEvent[];
}

export const createRecordEventWriter = (options: { eventStore: EventStore; tenantId: string; syncId: string; now: () => Date }): RecordEventWriter => {
  const { eventStore, tenantId, syncId } = options;
  const metadata: EventMetadata = { tenantId, correlationId: syncId, causationId: syncId, actor: { type: 'system', id: 'sync-worker' }, schemaVersion: 1 };

  const toNewEvents = (stream: string, revision: bigint | null, events: readonly { type: string; data: unknown }[]): NewEvent[] =>
    events.map((event, index) => ({
      id: deterministicUuid('record-event', syncId, stream, String((revision ?? -1n) + 1n + BigInt(index)), event.type),
      type: event.type,
      data: event.data,
      metadata,
    }));

  const fold = async (type: RecordType, localId: string): Promise<FoldedRecord> => {
    const result = await eventStore.aggregateStream(recordStreamName(tenantId, type, localId), recordDecider as never);
    return { state: result.state as RecordState, revision: result.currentRevision };
  };

  const apply: RecordEventWriter['apply'] = async (type, localId, command) => {
    const stream = recordStreamName(tenantId, type, localId);
    for (let tries = 0; ; tries += 1) {
      const { state, revision } = await fold(type, localId);
      const cmd = command(state);
      if (cmd === null) return { events: [], state };
      const events = recordDecider.decide(cmd, state);
      if (events.length === 0) return { events, state };
      try {
        await eventStore.appendToStream(stream, toNewEvents(stream, revision, events), { expectedRevision: revision ?? 'no_stream' });
        return { events, state: events.reduce(recordDecider.evolve, state) };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || tries >= 3) throw error;
      }
    }
  };

  const claim: RecordEventWriter['claim'] = async (type, qboId, localId) => {
    const stream = qboLinkStreamName(tenantId, type, qboId);
    const event = { type: 'QboRecordClaimed', data: { recordType: type, qboId, localId, at: options.now().toISOString() } };
    try {
      await eventStore.appendToStream(stream, [{ id: deterministicUuid('claim', stream, localId), type: event.type, data: event.data, metadata }], { expectedRevision: 'no_stream' });
      return { kind: 'claimed' };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) {
        // The same claim appended before (a resumed run) comes back as a repeat, not an error; anything else is real.
        throw error;
      }
      const existing = await eventStore.readStream(stream);
      const holder = [...existing.events].reverse().find((e) => e.type === 'QboRecordClaimed' || e.type === 'QboRecordReleased');
      const held = holder?.type === 'QboRecordClaimed' ? (holder.data as { localId: string }).localId : null;
      if (held === null || held === localId) return { kind: 'claimed' };
      return { kind: 'held', localId: held };
    }
  };

  return { fold, apply, claim, toNewEvents };
};
