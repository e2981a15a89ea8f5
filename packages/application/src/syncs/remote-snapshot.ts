// A QBO record as the records decider takes it: the canonical record with its content hash.

import type { RemoteRecord, RemoteSnapshot } from '@qbo-sync/domain';
import { contentHash } from '../shared/content-hash.js';

export const snapshotOf = (remote: RemoteRecord): RemoteSnapshot => ({
  qboId: remote.qboId,
  syncToken: remote.syncToken,
  status: remote.status,
  record: remote.record,
  // A deletion holds no fields: nothing to compare.
  contentHash: remote.status === 'deleted' ? '' : contentHash(remote.record),
  remoteUpdatedAt: remote.remoteUpdatedAt,
});
