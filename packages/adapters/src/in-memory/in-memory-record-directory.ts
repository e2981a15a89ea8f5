// The RecordDirectory port in memory, kept by the in-memory event store's `onAppended` hook (synchronously,
// with each append), for running the sync engine in one process with nothing but the port.

import {
  type RecordDirectory,
  type RecordDirectoryEntry,
  type RecordState,
  type RecordedEvent,
  parseRecordStreamName,
  recordDecider,
  recordDirectoryEntry,
  upcast,
  type RecordType,
} from '@qbo-sync/domain';

interface Row {
  readonly tenantId: string;
  readonly type: RecordType;
  readonly localId: string;
  state: RecordState;
  entry: RecordDirectoryEntry;
}

export interface InMemoryRecordDirectory extends RecordDirectory {
  /** Pass as the in-memory event store's `onAppended`. */
  readonly onAppended: (events: readonly RecordedEvent[]) => void;
}

const byLocalId = (a: Row, b: Row): number => (a.localId < b.localId ? -1 : a.localId > b.localId ? 1 : 0);

export const createInMemoryRecordDirectory = (): InMemoryRecordDirectory => {
  const rows = new Map<string, Row>();
  const key = (tenantId: string, type: string, localId: string) => JSON.stringify([tenantId, type, localId]);
  const ofType = (tenantId: string, type: RecordType) => [...rows.values()].filter((row) => row.tenantId === tenantId && row.type === type);
  return {
    onAppended: (events) => {
      for (const event of events) {
        const parsed = parseRecordStreamName(event.streamName);
        if (parsed === null) continue;
        const type = parsed.type as RecordType;
        const k = key(parsed.tenantId, type, parsed.localId);
        const row = rows.get(k) ?? { tenantId: parsed.tenantId, type, localId: parsed.localId, state: recordDecider.initialState(), entry: recordDirectoryEntry(type, recordDecider.initialState()) };
        row.state = recordDecider.evolve(row.state, upcast(event) as never);
        row.entry = recordDirectoryEntry(type, row.state);
        rows.set(k, row);
      }
    },
    localIdsOf: async (tenantId, type, qboIds) => {
      const wanted = new Set(qboIds);
      return new Map(ofType(tenantId, type).flatMap((row) => (row.entry.qboId !== null && wanted.has(row.entry.qboId) ? [[row.entry.qboId, row.localId] as const] : [])));
    },
    qboIdsOf: async (tenantId, type, localIds) =>
      new Map(localIds.flatMap((localId) => {
        const qboId = rows.get(key(tenantId, type, localId))?.entry.qboId;
        return qboId == null ? [] : [[localId, qboId] as const];
      })),
    unlinkedByMatchKey: async (tenantId, type, rule, keys) => {
      const wanted = new Set(keys);
      const out = new Map<string, string[]>();
      for (const row of ofType(tenantId, type).sort(byLocalId)) {
        for (const match of row.entry.matchKeys) if (match.rule === rule && wanted.has(match.key)) out.set(match.key, [...(out.get(match.key) ?? []), row.localId]);
      }
      return out;
    },
    localIds: async (tenantId, type, page) =>
      ofType(tenantId, type)
        .filter((row) => row.entry.exists && (page.needsPush !== true || row.entry.needsPush) && (page.after === null || row.localId > page.after))
        .sort(byLocalId)
        .slice(0, page.limit)
        .map((row) => row.localId),
    linked: async (tenantId, type, page) =>
      ofType(tenantId, type)
        .filter((row) => row.entry.qboId !== null && row.entry.remoteStatus !== 'deleted' && (page.after === null || row.localId > page.after))
        .sort(byLocalId)
        .slice(0, page.limit)
        .map((row) => ({ localId: row.localId, qboId: row.entry.qboId as string })),
  };
};
