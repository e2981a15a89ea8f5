// The decider of a run's stream, `sync-{syncId}`: requested → started (again after a crash) → completed,
// completed with failures, failed or cancelled. A finished run takes nothing more, so a repeated job is a
// no-op for whoever checks `isFinished` first, and an error for whoever does not.

import type { RecordType } from '../records/record-type.js';
import type { SyncCounts, SyncDirection, SyncEvent, SyncScope } from './sync-events.js';
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
}

export const initialSyncRunState = (): SyncRunState => ({
  status: 'none', syncId: null, tenantId: null, recordType: null, direction: null, scope: null, dryRun: false, retryOf: null, starts: 0,
});

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
  | { readonly type: 'CompleteSync'; readonly counts: SyncCounts; readonly cursor: string | null; readonly plan: unknown | null; readonly at: string }
  | { readonly type: 'FailSync'; readonly reason: string; readonly counts: SyncCounts | null; readonly at: string }
  | { readonly type: 'CancelSync'; readonly cancelledBy: string; readonly at: string };

const FINISHED: readonly SyncRunStatus[] = ['completed', 'completed_with_failures', 'failed', 'cancelled'];

export const isFinished = (state: SyncRunState): boolean => FINISHED.includes(state.status);

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
    case 'CompleteSync': {
      if (state.status !== 'running') throw refuse();
      // A run never ends "completed" while a record failed.
      const outcome = command.counts.failed > 0 ? 'completed_with_failures' : 'completed';
      return [{ type: 'SyncCompleted', data: { syncId: state.syncId as string, counts: command.counts, cursor: command.cursor, plan: command.plan, outcome, at: command.at } }];
    }
    case 'FailSync':
      if (state.status !== 'running' && state.status !== 'requested') throw refuse();
      return [{ type: 'SyncFailed', data: { syncId: state.syncId as string, reason: command.reason, counts: command.counts, at: command.at } }];
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
