// A QBO record as the records decider takes it: the canonical record with the hash of its owned content
// (without the fields QBO computes), comparable with the hash of a host's upsert.

import { type RecordType, type RemoteRecord, type RemoteSnapshot, ownedContent } from '@qbo-sync/domain';
import { contentHash } from '../shared/content-hash.js';

export const snapshotOf = (type: RecordType, remote: RemoteRecord): RemoteSnapshot => ({
  qboId: remote.qboId,
  syncToken: remote.syncToken,
  status: remote.status,
  record: remote.record,
  // A deletion holds no fields: nothing to compare.
  contentHash: remote.status === 'deleted' ? '' : contentHash(ownedContent(type, remote.record)),
  remoteUpdatedAt: remote.remoteUpdatedAt,
});
