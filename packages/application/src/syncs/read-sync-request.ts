// Query on the write side: a run's request as its own stream holds it, for a caller that must see a run it
// just requested before the read models have (the api's run page right after a POST).

import { type EventStore, type SyncRequested, syncStreamName } from '@qbo-sync/domain';

export const readSyncRequest = async (deps: { readonly eventStore: EventStore }, syncId: string): Promise<SyncRequested['data'] | null> => {
  const read = await deps.eventStore.readStream(syncStreamName(syncId), { maxCount: 1 });
  const first = read.events[0];
  return first?.type === 'SyncRequested' ? (first.data as SyncRequested['data']) : null;
};
