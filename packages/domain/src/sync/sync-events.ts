// The events of one sync run's stream, `sync-{syncId}`. Per-record outcomes live on the records' own
// streams with the run's id as correlationId; the run's stream holds its life and its totals.

import { streamName } from '../event-store/stream-name.js';
import type { RecordType } from '../records/record-type.js';

export type SyncDirection = 'push' | 'pull';
export type SyncScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'changed' }
  | { readonly kind: 'ids'; readonly localIds: readonly string[] };

/**
 * Where one record ends up in one run. Each record a run touches counts once, in the bucket of its final
 * outcome, so the buckets always add up to `planned`.
 */
export const SYNC_OUTCOMES = [
  /** Push: created in QBO. Pull: new in QBO, mirrored as a local record. */
  'created',
  /** Push: an update written to QBO. */
  'updated',
  /** Linked to an existing record on the other side by a matching rule (and updated if they differed). */
  'matched',
  /** Push: a host delete of a name-list record, made inactive in QBO. */
  'deactivated',
  /** Push: a host delete or void of a transaction, voided in QBO. */
  'voided',
  /** Push: deleted in QBO. */
  'deleted',
  /** Pull: QBO's change applied to the linked local record. */
  'pulled',
  /** Pull: deleted in QBO; the local record is marked so. */
  'remote_deleted',
  /** Both sides changed and the tenant's policy kept the local side: the next push writes it over QBO. */
  'conflict',
  /** Held for a person: an ambiguous match, a conflict under the review policy, a duplicate. */
  'review',
  /** Nothing to do: unchanged, our own echo, parked, or already carried out. */
  'skipped',
  /** Failed in this run, with a typed error and a hint. */
  'failed',
] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

export type SyncCounts = { readonly planned: number } & { readonly [K in SyncOutcome]: number };

export const emptySyncCounts = (): SyncCounts => ({
  planned: 0,
  ...(Object.fromEntries(SYNC_OUTCOMES.map((outcome) => [outcome, 0])) as { [K in SyncOutcome]: number }),
});

/** One record's outcome in a run, as the run's page event lists it. */
export interface RecordOutcome {
  readonly recordType: RecordType;
  readonly localId: string;
  readonly qboId: string | null;
  readonly outcome: SyncOutcome;
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

/**
 * A page of a run recorded, in the same append as the records' own events: the final outcome of each record
 * the page touched, and the run's totals so far (the live progress). A resumed run folds these to know what
 * it already did, so nothing is counted or written twice.
 */
export type SyncPageRecorded = {
  readonly type: 'SyncPageRecorded';
  readonly data: {
    readonly syncId: string;
    readonly outcomes: readonly RecordOutcome[];
    readonly counts: SyncCounts;
    readonly at: string;
  };
};

/** The run waits on QBO's limits (a 429): until when, so the run's progress can say so while it waits. */
export type SyncThrottled = {
  readonly type: 'SyncThrottled';
  readonly data: { readonly syncId: string; readonly until: string; readonly at: string };
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

export type SyncEvent = SyncRequested | SyncStarted | SyncPageRecorded | SyncThrottled | SyncCompleted | SyncFailed | SyncCancelled;

export const SYNC_CATEGORY = 'sync';

export const syncStreamName = (syncId: string): string => streamName(SYNC_CATEGORY, syncId);
