// Query for auditors: a record's whole history, read from its own stream through the event store port (so it
// is the log itself, on either store, and shows a write at once), one page at a time by stream revision.
// Each entry says who (the actor), what (type and data), when, in which run and under which QBO request id.

import { type Actor, type EventStore, type RecordType, occurredAt, recordStreamName, upcast } from '@qbo-sync/domain';

export interface RecordHistoryQuery {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly localId: string;
  /** The stream revision of the last entry already read; null from the start. */
  readonly afterRevision: bigint | null;
  readonly limit: number;
}

export interface RecordHistoryEntry {
  readonly id: string;
  readonly type: string;
  readonly streamRevision: bigint;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  /** The run that wrote it; null for the host's own writes and a person's decisions. */
  readonly syncId: string | null;
  /** The requestid QBO was sent with, for writes to QBO. */
  readonly requestId: string | null;
  readonly data: unknown;
}

export interface RecordHistoryPage {
  readonly entries: readonly RecordHistoryEntry[];
  readonly hasMore: boolean;
  /** The revision to pass back as `afterRevision`: the last entry's, or the one asked after when none came. */
  readonly nextAfterRevision: bigint | null;
}

const stringField = (data: unknown, key: string): string | null => {
  const value = (data as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' ? value : null;
};

/** null when the record has no stream: it was never sent nor pulled. */
export const getRecordHistory = async (deps: { readonly eventStore: EventStore }, query: RecordHistoryQuery): Promise<RecordHistoryPage | null> => {
  const read = await deps.eventStore.readStream(recordStreamName(query.tenantId, query.recordType, query.localId), {
    fromRevision: query.afterRevision === null ? 0n : query.afterRevision + 1n,
    // One more than asked tells whether another page follows, without a second read.
    maxCount: query.limit + 1,
  });
  if (!read.streamExists) return null;
  const entries = read.events.slice(0, query.limit).map((recorded): RecordHistoryEntry => {
    const event = upcast(recorded);
    return {
      id: event.id,
      type: event.type,
      streamRevision: event.streamRevision,
      occurredAt: occurredAt(event).toISOString(),
      recordedAt: event.recordedAt.toISOString(),
      actor: event.metadata.actor,
      correlationId: event.metadata.correlationId,
      syncId: stringField(event.data, 'syncId'),
      requestId: stringField(event.data, 'requestId'),
      data: event.data,
    };
  });
  return {
    entries,
    hasMore: read.events.length > query.limit,
    nextAfterRevision: entries[entries.length - 1]?.streamRevision ?? query.afterRevision,
  };
};
