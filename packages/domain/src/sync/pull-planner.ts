// What a pull does with one QBO record: linked → changed, our own echo, unchanged, deleted or a conflict;
// unlinked → matched to a local record, sent to review, or mirrored under a local id of its own.

import { mirrorLocalId } from '../records/record-stream.js';
import type { ConflictPolicy, RemoteSnapshot } from '../records/record-events.js';
import type { RecordState } from '../records/record-decider.js';
import type { RecordType } from '../records/record-type.js';
import { type FieldDiff, fieldDiffs } from './field-diff.js';
import { type MatchCandidate, matchRecord } from './match-rules.js';
import type { SyncOutcome } from './sync-events.js';

export type PullAction = 'changed' | 'refreshed' | 'echo' | 'unchanged' | 'deleted' | 'conflict' | 'match' | 'mirror' | 'review' | 'skip';

/** The run outcome of a pull plan item (what a dry run reports; a real run derives it from the events). */
export const PULL_ACTION_OUTCOME: Record<PullAction, SyncOutcome> = {
  changed: 'pulled',
  refreshed: 'pulled',
  echo: 'skipped',
  unchanged: 'skipped',
  deleted: 'remote_deleted',
  conflict: 'review',
  match: 'matched',
  mirror: 'created',
  review: 'review',
  skip: 'skipped',
};

export interface PullPlanItem {
  readonly qboId: string;
  readonly action: PullAction;
  /** The local record it applies to (a mirror's id for a new one; null when nothing is applied). */
  readonly localId: string | null;
  readonly reason: string;
  readonly diffs: readonly FieldDiff[];
  readonly resolution?: ConflictPolicy;
  readonly rule?: string;
  readonly candidates?: readonly { readonly localId: string; readonly label: string }[];
}

export interface PullInput {
  readonly remote: RemoteSnapshot;
  /** The local record linked to this QBO record, if any. */
  readonly linked?: { readonly localId: string; readonly state: RecordState };
  /** Unlinked local records the matching rules may pick (ids are local ids). */
  readonly candidates?: readonly MatchCandidate[];
}

export const planPullItem = (input: PullInput, recordType: RecordType, policy: ConflictPolicy): PullPlanItem => {
  const { remote, linked } = input;
  const item = (action: PullAction, localId: string | null, reason: string, extra: Partial<PullPlanItem> = {}): PullPlanItem => ({
    qboId: remote.qboId, action, localId, reason, diffs: [], ...extra,
  });

  if (linked !== undefined) {
    const { state, localId } = linked;
    if (remote.syncToken === state.lastPushedSyncToken) return item('echo', localId, 'our own push coming back');
    if (remote.status === 'deleted') return state.remoteStatus === 'deleted' ? item('unchanged', localId, 'already known as deleted') : item('deleted', localId, 'deleted in QuickBooks');
    // The same reading of QBO's version as the records decider's (a computed-only change is no conflict).
    const remoteMoved = remote.syncToken !== state.link?.syncToken || remote.status !== state.remoteStatus;
    const agreedRemote = state.syncedRemoteHash ?? state.syncedHash;
    if (!remoteMoved && remote.contentHash === agreedRemote) return item('unchanged', localId, 'no change since the last sync');
    const diffs = fieldDiffs(recordType, state.record, remote.record);
    const deletionPending = state.deleted && state.remoteStatus === 'active';
    const localChanged = state.exists && (state.contentHash !== state.syncedHash || deletionPending);
    const qboHoldsIt = deletionPending ? remote.status !== 'active' : remote.contentHash === state.contentHash;
    if (localChanged && !qboHoldsIt) {
      if (!remoteMoved) return item('unchanged', localId, 'no change in QuickBooks; the local edit waits for the next push');
      if (remote.contentHash === agreedRemote) return item('refreshed', localId, 'QuickBooks changed only what it computes; the local edit waits for the next push', { diffs });
      return item('conflict', localId, `changed here and in QuickBooks since the last sync; policy ${policy}`, { diffs, resolution: policy });
    }
    return item('changed', localId, 'changed in QuickBooks', { diffs });
  }

  if (remote.status === 'deleted') return item('skip', null, 'deleted in QuickBooks and never linked');
  const outcome = matchRecord(recordType, remote.record, input.candidates ?? []);
  switch (outcome.kind) {
    case 'one':
      return item('match', outcome.candidate.id, `matched a local record by ${outcome.rule}`, {
        rule: outcome.rule,
        diffs: fieldDiffs(recordType, outcome.candidate.record, remote.record),
      });
    case 'ambiguous':
      return item('review', null, `${outcome.candidates.length} local records match by ${outcome.rule}; a person must choose`, {
        rule: outcome.rule,
        candidates: outcome.candidates.map((candidate) => ({ localId: candidate.id, label: candidate.label })),
      });
    case 'none':
      return item('mirror', mirrorLocalId(remote.qboId), 'new in QuickBooks: mirrored as a local record', { diffs: fieldDiffs(recordType, null, remote.record) });
  }
};
