// What a sync run needs from the world, by capability: the log, the write side's record directory, QuickBooks,
// the per-type push lock, a clock and a logger. The worker's composition root fills it with Postgres and HTTP
// adapters; the in-process scenario specs fill it with the in-memory ones.

import type { EventStore, QboAccounting, RecordDirectory, SyncLock } from '@qbo-sync/domain';
import type { Logger } from '../shared/logger.js';

export interface SyncDeps {
  readonly eventStore: EventStore;
  readonly directory: RecordDirectory;
  readonly qbo: QboAccounting;
  readonly lock: SyncLock;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Records read and planned at once by a push (one page); writes still go 30 to a batch call. */
  readonly pushPageSize?: number;
}
