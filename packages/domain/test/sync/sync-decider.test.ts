// The run's stream as a process: requested → started (again after a crash) → pages recorded → completed.
// Each record counts once, in the bucket of its final outcome, so the totals always add up to `planned`.

import { describe, expect, it } from 'vitest';
import { decideAll, deciderSpecification } from '../../testing/index.js';
import {
  IllegalSyncTransitionError,
  type RecordOutcome,
  SYNC_OUTCOMES,
  type SyncCommand,
  type SyncEvent,
  isFinished,
  recordsWithOutcome,
  syncDecider,
} from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';
const spec = deciderSpecification(syncDecider);
const requested: SyncCommand = {
  type: 'RequestSync', syncId: 's1', tenantId: 't1', recordType: 'customer', direction: 'push', scope: { kind: 'changed' }, dryRun: false, retryOf: null, requestedBy: 'u1', at,
};
const decided = (commands: readonly SyncCommand[]) =>
  decideAll(syncDecider, commands) as SyncEvent[];
const started = decided([requested, { type: 'StartSync', workerId: 'w1', at }]);
const outcome = (localId: string, bucket: RecordOutcome['outcome'], recordType: RecordOutcome['recordType'] = 'customer'): RecordOutcome => ({ recordType, localId, qboId: null, outcome: bucket });
const page = (...outcomes: RecordOutcome[]): SyncCommand => ({ type: 'RecordPage', outcomes, at });
const sum = (counts: Record<string, number>) => SYNC_OUTCOMES.reduce((total, bucket) => total + (counts[bucket] ?? 0), 0);

describe('sync run decider', () => {
  it('records a page with its totals so far', () => {
    spec.given(started).when(page(outcome('a', 'created'), outcome('b', 'failed'))).thenMatches([
      { type: 'SyncPageRecorded', data: { outcomes: [{ localId: 'a' }, { localId: 'b' }], counts: { planned: 2, created: 1, failed: 1 } } },
    ]);
  });

  it('counts a record once, in the bucket of its final outcome; the buckets add up to planned', () => {
    const after = decided([requested, { type: 'StartSync', workerId: 'w1', at }, page(outcome('a', 'matched'), outcome('b', 'created')), page(outcome('a', 'failed'), outcome('c', 'skipped'))]);
    const state = after.reduce(syncDecider.evolve, syncDecider.initialState());
    expect(state.counts).toMatchObject({ planned: 3, matched: 0, failed: 1, created: 1, skipped: 1 });
    expect(sum(state.counts)).toBe(state.counts.planned);
    expect(recordsWithOutcome(state, 'failed')).toEqual([{ recordType: 'customer', localId: 'a' }]);
  });

  it('records nothing again for a page a resumed run repeats', () => {
    const once = decided([requested, { type: 'StartSync', workerId: 'w1', at }, page(outcome('a', 'created'))]);
    spec.given(once).when(page(outcome('a', 'created'))).thenNothing();
  });

  it('completes with the totals folded from its pages, and with failures when a record failed', () => {
    const withFailure = decided([requested, { type: 'StartSync', workerId: 'w1', at }, page(outcome('a', 'created'), outcome('b', 'failed'))]);
    spec.given(withFailure).when({ type: 'CompleteSync', cursor: null, plan: null, at }).thenMatches([
      { type: 'SyncCompleted', data: { outcome: 'completed_with_failures', counts: { planned: 2, created: 1, failed: 1 } } },
    ]);
    spec.given(started).when({ type: 'CompleteSync', cursor: 'c', plan: null, at }).thenMatches([{ type: 'SyncCompleted', data: { outcome: 'completed', cursor: 'c', counts: { planned: 0 } } }]);
  });

  it('resumes a run a crashed worker left running; a finished run takes nothing more', () => {
    expect(spec.given(started).when({ type: 'StartSync', workerId: 'w2', at }).thenState()).toMatchObject({ status: 'running', starts: 2 });
    const finished = decided([requested, { type: 'StartSync', workerId: 'w1', at }, { type: 'CompleteSync', cursor: null, plan: null, at }]);
    expect(isFinished(finished.reduce(syncDecider.evolve, syncDecider.initialState()))).toBe(true);
    spec.given(finished).when({ type: 'StartSync', workerId: 'w2', at }).thenThrows(IllegalSyncTransitionError);
    spec.given(finished).when(page(outcome('a', 'created'))).thenThrows(IllegalSyncTransitionError);
  });

  it('refuses completing a run never started, takes a repeated request once, cancels only unfinished runs', () => {
    spec.given(decided([requested])).when({ type: 'CompleteSync', cursor: null, plan: null, at }).thenThrows(/requested; it cannot take CompleteSync/);
    spec.given(decided([requested])).when(requested).thenNothing();
    const cancelled = decided([requested, { type: 'CancelSync', cancelledBy: 'u1', at }]);
    expect(cancelled.at(-1)?.type).toBe('SyncCancelled');
    spec.given(cancelled).when({ type: 'CancelSync', cancelledBy: 'u1', at }).thenThrows(IllegalSyncTransitionError);
  });
});
