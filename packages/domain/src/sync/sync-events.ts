// The events of one sync run's stream, `sync-{syncId}`. Per-record outcomes live on the records' own
// streams with the run's id as correlationId; the run's stream holds its life and its totals.

import type { RecordType } from '../records/record-type.js';

export type SyncDirection = 'push' | 'pull';
export type SyncScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'changed' }
  | { readonly kind: 'ids'; readonly localIds: readonly string[] };

export interface SyncCounts {
  readonly planned: number;
  readonly created: number;
  readonly updated: number;
  readonly matched: number;
  readonly skipped: number;
  readonly failed: number;
  readonly review: number;
}

export type SyncRequested = {
  readonly type: 'SyncRequested';
  readonly data: {
    readonly syncId: string;
    readonly tenantId: string;
    readonly recordType: RecordType;
    readonly direction: SyncDirection;
    readonly scope: SyncScope;
    readonly dryRun: boolean;
    /** Set when this run retries the parked failures of an earlier one. */
    readonly retryOf: string | null;
    readonly requestedBy: string;
    readonly at: string;
  };
};

export type SyncStarted = {
  readonly type: 'SyncStarted';
  readonly data: { readonly syncId: string; readonly workerId: string; readonly at: string };
};

export type SyncCompleted = {
  readonly type: 'SyncCompleted';
  readonly data: {
    readonly syncId: string;
    readonly counts: SyncCounts;
    /** Pull: where the next incremental pull starts (QBO time, ISO-8601 with offset). */
    readonly cursor: string | null;
    /** Dry run: the plan, returned instead of written. */
    readonly plan: unknown | null;
    /** 'completed_with_failures' when some records failed: a run never hides a failed record. */
    readonly outcome: 'completed' | 'completed_with_failures';
    readonly at: string;
  };
};

export type SyncFailed = {
  readonly type: 'SyncFailed';
  readonly data: { readonly syncId: string; readonly reason: string; readonly counts: SyncCounts | null; readonly at: string };
};

export type SyncCancelled = {
  readonly type: 'SyncCancelled';
  readonly data: { readonly syncId: string; readonly cancelledBy: string; readonly at: string };
};

export type SyncEvent = SyncRequested | SyncStarted | SyncCompleted | SyncFailed | SyncCancelled;

export const SYNC_CATEGORY = 'sync';

/** Tenant settings, on `settings-{tenant}`. */
export type SyncSettingsChanged = {
  readonly type: 'SyncSettingsChanged';
  readonly data: {
    readonly recordType: RecordType;
    readonly mode: 'manual' | 'scheduled' | 'realtime';
    readonly schedule: string | null;
    readonly conflictPolicy: 'qbo_wins' | 'local_wins' | 'review';
    readonly changedBy: string;
    readonly at: string;
  };
};
