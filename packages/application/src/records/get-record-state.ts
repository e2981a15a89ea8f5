// Query on the write side: one record's state as its stream holds it (the api answers a host that must see
// its own write at once from here; lists and filters come from the read model).

import { type EventStore, type RecordState, type RecordType, recordDecider, recordStreamName } from '@qbo-sync/domain';
import { loadState } from '../shared/handle-command.js';

export const getRecordState = async (deps: { readonly eventStore: EventStore }, tenantId: string, type: RecordType, localId: string): Promise<{ readonly state: RecordState; readonly revision: bigint | null }> =>
  loadState(deps.eventStore, recordStreamName(tenantId, type, localId), recordDecider);
