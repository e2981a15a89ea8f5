// The decider of a run's stream, `sync-{syncId}`: requested → started (again after a crash) → pages recorded
// → completed, completed with failures, failed or cancelled. The run is a process whose state is folded from
// its own stream: every page it recorded names each record's final outcome, so the totals are derived (they
// always add up to `planned`) and a resumed run knows what it already did. A finished run takes nothing more.

import type { RecordType } from '../records/record-type.js';
import { type RecordOutcome, type SyncCounts, type SyncDirection, type SyncEvent, type SyncOutcome, type SyncScope, emptySyncCounts } from './sync-events.js';
import { IllegalSyncTransitionError } from './sync-errors.js';

export type SyncRunStatus = 'none' | 'requested' | 'running' | 'completed' | 'completed_with_failures' | 'failed' | 'cancelled';

export interface SyncRunState {
  readonly status: SyncRunStatus;
  readonly syncId: string | null;
  readonly tenantId: string | null;
  readonly recordType: RecordType | null;
  readonly direction: SyncDirection | null;
  readonly scope: SyncScope | null;
  readonly dryRun: boolean;
  readonly retryOf: string | null;
  /** How many times a worker started it: more than one means it resumed after a crash. */
  readonly starts: number;
  /**
   * The final outcome of every record the run recorded so far, by `recordOutcomeKey` (only the bucket: a run of
   * 100,000 records keeps 100,000 small entries, not their events).
   */
  readonly outcomes: ReadonlyMap<string, SyncOutcome>;
  readonly counts: SyncCounts;
}

export const initialSyncRunState = (): SyncRunState => ({
  status: 'none',
  syncId: null,
  tenantId: null,
  recordType: null,
  direction: null,
  scope: null,
  dryRun: false,
  retryOf: null,
  starts: 0,
  outcomes: new Map(),
  counts: emptySyncCounts(),
});

export const recordOutcomeKey = (recordType: RecordType, localId: string): string => `${recordType}\u0000${localId}`;

/** The records of a run in one bucket, as { recordType, localId }. */
export const recordsWithOutcome = (state: SyncRunState, outcome: SyncOutcome): { readonly recordType: RecordType; readonly localId: string }[] =>
  [...state.outcomes].flatMap(([key, bucket]) => {
    if (bucket !== outcome) return [];
    const split = key.indexOf('\u0000');
    return [{ recordType: key.slice(0, split) as RecordType, localId: key.slice(split + 1) }];
  });

/** Whether the run already recorded this record (a resumed run leaves it alone). */
export const isRecorded = (state: SyncRunState, recordType: RecordType, localId: string): boolean => state.outcomes.has(recordOutcomeKey(recordType, localId));

export type SyncCommand =
  | {
      readonly type: 'RequestSync';
      readonly syncId: string;
      readonly tenantId: string;
      readonly recordType: RecordType;
      readonly direction: SyncDirection;
      readonly scope: SyncScope;
      readonly dryRun: boolean;
      readonly retryOf: string | null;
      readonly requestedBy: string;
      readonly at: string;
    }
  | { readonly type: 'StartSync'; readonly workerId: string; readonly at: string }
  | { readonly type: 'RecordPage'; readonly outcomes: readonly RecordOutcome[]; readonly at: string }
  | { readonly type: 'NoteThrottle'; readonly until: string; readonly at: string }
  | { readonly type: 'CompleteSync'; readonly cursor: string | null; readonly plan: unknown | null; readonly at: string }
  | { readonly type: 'FailSync'; readonly reason: string; readonly at: string }
  | { readonly type: 'CancelSync'; readonly cancelledBy: string; readonly at: string };

const FINISHED: readonly SyncRunStatus[] = ['completed', 'completed_with_failures', 'failed', 'cancelled'];

export const isFinished = (state: SyncRunState): boolean => FINISHED.includes(state.status);

/** The totals after these outcomes replace whatever the same records had before (a record counts once). */
const countsAfter = (state: SyncRunState, outcomes: readonly RecordOutcome[]): SyncCounts => {
  const counts: { -readonly [K in keyof SyncCounts]: number } = { ...state.counts };
  const seen = new Map<string, SyncOutcome>();
  for (const outcome of outcomes) {
    const key = recordOutcomeKey(outcome.recordType, outcome.localId);
    const before = seen.get(key) ?? state.outcomes.get(key);
    if (before === undefined) counts.planned += 1;
    else counts[before] -= 1;
    counts[outcome.outcome] += 1;
    seen.set(key, outcome.outcome);
  }
  return counts;
};


export const decideSync = (command: SyncCommand, state: SyncRunState): SyncEvent[] => {
  const refuse = () => new IllegalSyncTransitionError(state.syncId ?? (command.type === 'RequestSync' ? command.syncId : '?'), state.status, command.type);
  switch (command.type) {
    case 'RequestSync': {
      if (state.status !== 'none') {
        // The same request repeated (a retried POST with the same id) is already recorded.
        if (state.syncId === command.syncId && state.recordType === command.recordType && state.direction === command.direction) return [];
        throw refuse();
      }
      const { type: _type, ...data } = command;
      return [{ type: 'SyncRequested', data }];
    }
    case 'StartSync':
      if (state.status !== 'requested' && state.status !== 'running') throw refuse();
      return [{ type: 'SyncStarted', data: { syncId: state.syncId as string, workerId: command.workerId, at: command.at } }];
    case 'RecordPage': {
      if (state.status !== 'running') throw refuse();
      // What the run already recorded the same way (a resumed page) is not recorded again.
      const fresh = command.outcomes.filter((outcome) => state.outcomes.get(recordOutcomeKey(outcome.recordType, outcome.localId)) !== outcome.outcome);
      if (fresh.length === 0) return [];
      return [{ type: 'SyncPageRecorded', data: { syncId: state.syncId as string, outcomes: fresh, counts: countsAfter(state, fresh), at: command.at } }];
    }
    case 'NoteThrottle':
      // A note, not a transition: a run that is no longer running has nothing to wait for.
      if (state.status !== 'running') return [];
      return [{ type: 'SyncThrottled', data: { syncId: state.syncId as string, until: command.until, at: command.at } }];
    case 'CompleteSync': {
      if (state.status !== 'running') throw refuse();
      // A run never ends "completed" while a record failed.
      const outcome = state.counts.failed > 0 ? 'completed_with_failures' : 'completed';
      return [{ type: 'SyncCompleted', data: { syncId: state.syncId as string, counts: state.counts, cursor: command.cursor, plan: command.plan, outcome, at: command.at } }];
    }
    case 'FailSync':
      if (state.status !== 'running' && state.status !== 'requested') throw refuse();
      return [{ type: 'SyncFailed', data: { syncId: state.syncId as string, reason: command.reason, counts: state.counts, at: command.at } }];
    case 'CancelSync':
      if (isFinished(state) || state.status === 'none') throw refuse();
      return [{ type: 'SyncCancelled', data: { syncId: state.syncId as string, cancelledBy: command.cancelledBy, at: command.at } }];
  }
};

export const evolveSync = (state: SyncRunState, event: { readonly type: string; readonly data: unknown }): SyncRunState => {
  const known = event as SyncEvent;
  switch (known.type) {
    case 'SyncRequested': {
      const { syncId, tenantId, recordType, direction, scope, dryRun, retryOf } = known.data;
      return { ...state, status: 'requested', syncId, tenantId, recordType, direction, scope, dryRun, retryOf };
    }
    case 'SyncStarted':
      return { ...state, status: 'running', starts: state.starts + 1 };
    case 'SyncPageRecorded': {
      const outcomes = new Map(state.outcomes);
      for (const outcome of known.data.outcomes) outcomes.set(recordOutcomeKey(outcome.recordType, outcome.localId), outcome.outcome);
      return { ...state, outcomes, counts: known.data.counts };
    }
    case 'SyncCompleted':
      return { ...state, status: known.data.outcome };
    case 'SyncFailed':
      return { ...state, status: 'failed' };
    case 'SyncCancelled':
      return { ...state, status: 'cancelled' };
    default:
      return state;
  }
};

export const syncDecider = { decide: decideSync, evolve: evolveSync, initialState: initialSyncRunState };
