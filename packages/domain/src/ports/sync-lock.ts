// Runs of different types push the same records as dependencies (an invoice run creates its customers while a
// customer run may be creating them too), so whoever pushes records of one type for a tenant holds this lock,
// in whatever process, from reading the records' streams to recording QBO's answers. Locks are taken in
// dependency order (payment, then invoice, then customer and item), never the other way: no deadlock.

import type { RecordType } from '../records/record-type.js';

export interface SyncLock {
  hold<T>(tenantId: string, type: RecordType, work: () => Promise<T>): Promise<T>;
}
