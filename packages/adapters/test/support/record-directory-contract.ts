// The one contract every RecordDirectory adapter keeps, given an event store whose appends keep it: records
// appear as they are appended (never behind the log), linked records answer both ways, unlinked live records
// answer by their match keys (and stop answering once linked or deleted), pages come in local-id order with
// or without the needs-push filter, and a QBO record QBO deleted is no longer listed as linked.

import { randomUUID } from 'node:crypto';
import { type EventStore, type RecordCommand, type RecordDirectory, recordDecider, recordStreamName } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface RecordDirectoryHarness {
  readonly store: EventStore;
  readonly directory: RecordDirectory;
  readonly teardown: () => Promise<void>;
}

const at = '2026-01-01T00:00:00.000Z';

/** Appends a record command's events as the application would (fold, decide, append at the revision read). */
const apply = async (store: EventStore, tenantId: string, command: RecordCommand): Promise<void> => {
  const stream = recordStreamName(tenantId, command.recordType, command.localId);
  const read = await store.readStream(stream);
  const state = read.events.reduce((s, e) => recordDecider.evolve(s, e as never), recordDecider.initialState());
  const events = recordDecider.decide(command, state);
  if (events.length === 0) return;
  await store.appendToStream(
    stream,
    events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { tenantId, correlationId: 'c', causationId: null, actor: { type: 'system', id: 'test' }, schemaVersion: 2 } })),
    { expectedRevision: read.currentRevision ?? 'no_stream' },
  );
};

export const describeRecordDirectoryContract = (name: string, makeHarness: () => Promise<RecordDirectoryHarness>): void => {
  describe(`record directory contract: ${name}`, () => {
    let h: RecordDirectoryHarness;
    const tenant = `t${randomUUID().slice(0, 8)}`;
    const upsert = (localId: string, record: Record<string, unknown>) =>
      apply(h.store, tenant, { type: 'UpsertLocalRecord', recordType: 'customer', localId, at, record, contentHash: JSON.stringify(record) });
    const link = (localId: string, qboId: string) => apply(h.store, tenant, { type: 'LinkRecord', recordType: 'customer', localId, at, qboId, syncToken: '0', via: 'matched', syncId: 's' });

    beforeAll(async () => {
      h = await makeHarness();
      await upsert('c-2', { displayName: 'Bea', email: 'BEA@example.com', active: true });
      await upsert('c-1', { displayName: 'Amy', email: 'amy@example.com', active: true });
      await upsert('c-3', { displayName: 'Cid', active: true });
      await upsert('c-4', { displayName: 'amy ', active: true });
      await link('c-3', '30');
    });
    afterAll(async () => {
      await h?.teardown();
    });

    it('answers linked records both ways, at once after the append', async () => {
      expect(await h.directory.localIdsOf(tenant, 'customer', ['30', '99'])).toEqual(new Map([['30', 'c-3']]));
      expect(await h.directory.qboIdsOf(tenant, 'customer', ['c-3', 'c-1'])).toEqual(new Map([['c-3', '30']]));
      expect(await h.directory.localIdsOf('another-tenant', 'customer', ['30'])).toEqual(new Map());
    });

    it("finds unlinked live records by their rules' keys, several to a key, and not once linked or deleted", async () => {
      expect(await h.directory.unlinkedByMatchKey(tenant, 'customer', 'displayName', ['amy', 'cid'])).toEqual(new Map([['amy', ['c-1', 'c-4']]]));
      expect(await h.directory.unlinkedByMatchKey(tenant, 'customer', 'email', ['bea@example.com'])).toEqual(new Map([['bea@example.com', ['c-2']]]));
      await link('c-4', '40');
      await apply(h.store, tenant, { type: 'DeleteLocalRecord', recordType: 'customer', localId: 'c-2', at });
      expect(await h.directory.unlinkedByMatchKey(tenant, 'customer', 'displayName', ['amy'])).toEqual(new Map([['amy', ['c-1']]]));
      expect(await h.directory.unlinkedByMatchKey(tenant, 'customer', 'email', ['bea@example.com'])).toEqual(new Map());
    });

    it('pages local ids in order, all or only those with something for QBO', async () => {
      expect(await h.directory.localIds(tenant, 'customer', { after: null, limit: 2 })).toEqual(['c-1', 'c-2']);
      expect(await h.directory.localIds(tenant, 'customer', { after: 'c-2', limit: 10 })).toEqual(['c-3', 'c-4']);
      // c-1 is new, c-3 and c-4 are linked but never pushed; c-2 was deleted before it ever reached QBO.
      expect(await h.directory.localIds(tenant, 'customer', { after: null, limit: 10, needsPush: true })).toEqual(['c-1', 'c-3', 'c-4']);
    });

    it('lists linked records, and no longer those QBO deleted', async () => {
      expect(await h.directory.linked(tenant, 'customer', { after: null, limit: 10 })).toEqual([
        { localId: 'c-3', qboId: '30' },
        { localId: 'c-4', qboId: '40' },
      ]);
      await apply(h.store, tenant, { type: 'RecordRemoteDeletion', recordType: 'customer', localId: 'c-4', at, qboId: '40', syncId: 's' });
      expect(await h.directory.linked(tenant, 'customer', { after: null, limit: 10 })).toEqual([{ localId: 'c-3', qboId: '30' }]);
    });
  });
};
