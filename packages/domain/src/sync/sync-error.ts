// The typed failure of one record in one run: what went wrong, QBO's own code when it gave one, and a hint
// a person can act on. It travels in RecordSyncFailed and is shown in the activity view.

export const SYNC_ERROR_KINDS = [
  'auth',
  'throttle',
  'stale_object',
  'duplicate_name',
  'duplicate_document_number',
  'not_found',
  'validation',
  'business_rule',
  'server',
  'network',
  'dependency_failed',
  'ambiguous_match',
  'conflict',
  'unknown',
] as const;
export type SyncErrorKind = (typeof SYNC_ERROR_KINDS)[number];

export interface SyncError {
  readonly kind: SyncErrorKind;
  /** QBO's fault code (e.g. "6240"), or null when the failure is not QBO's. */
  readonly qboCode: string | null;
  readonly message: string;
  /** What to do about it, in words for the admin. */
  readonly hint: string;
  /** Whether trying again, unchanged, may succeed. */
  readonly retriable: boolean;
  /** QBO's intuit_tid for the failing call, for Intuit support. */
  readonly intuitTid: string | null;
}
