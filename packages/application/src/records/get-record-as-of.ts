// Query for auditors: a record as it stood at a past time. Its stream is read through the event store port a
// page at a time and folded with the record decider's own evolve, the fold every write decides from, up to
// the first event that happened after that time. A state is always a prefix of its stream, so the fold stops
// there rather than skipping a late event and folding a later one.

import { type EventStore, type RecordState, type RecordSyncStatus, type RecordType, occurredAt, recordDecider, recordStreamName, recordSyncStatus, upcast } from '@qbo-sync/domain';

export interface RecordAsOfQuery {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly localId: string;
  readonly asOf: Date;
}

export interface RecordAsOf {
  readonly state: RecordState;
  readonly syncStatus: RecordSyncStatus;
  /** The revision of the last event folded: the record's version at that time. */
  readonly streamRevision: bigint;
  /** When that event happened. */
  readonly lastEventAt: string;
}

// Memory stays flat for a long history: one page of events is held at a time.
const PAGE = 500;

/** null when the record had no event yet at that time. */
export const getRecordAsOf = async (deps: { readonly eventStore: EventStore }, query: RecordAsOfQuery): Promise<RecordAsOf | null> => {
  const name = recordStreamName(query.tenantId, query.recordType, query.localId);
  let state = recordDecider.initialState();
  let last: { revision: bigint; at: Date } | null = null;
  const answer = (): RecordAsOf | null =>
    last === null ? null : { state, syncStatus: recordSyncStatus(state), streamRevision: last.revision, lastEventAt: last.at.toISOString() };
  for (let from = 0n; ; from += BigInt(PAGE)) {
    const read = await deps.eventStore.readStream(name, { fromRevision: from, maxCount: PAGE });
    for (const recorded of read.events) {
      const event = upcast(recorded);
      const at = occurredAt(event);
      if (at.getTime() > query.asOf.getTime()) return answer();
      state = recordDecider.evolve(state, event);
      last = { revision: event.streamRevision, at };
    }
    if (read.events.length < PAGE) return answer();
  }
};
