// The plan of a push: for each local record, what the run does and why, with field-level diffs. Pure: the
// worker gathers the records' states, the QBO candidates its lookups found and, for linked records it read,
// QBO's current version; the plan is what a dry run returns and what a real run carries out.

import type { ConflictPolicy, RemoteSnapshot } from '../records/record-events.js';
import type { RecordState } from '../records/record-decider.js';
import { IS_NAME_LIST, type RecordType } from '../records/record-type.js';
import { type FieldDiff, fieldDiffs } from './field-diff.js';
import { type MatchOutcome, matchRecord, type MatchCandidate } from './match-rules.js';
import type { WriteIdentity, WriteOperation } from './request-id.js';
import type { SyncOutcome } from './sync-events.js';
import type { SyncError } from './sync-error.js';
import { voidBlocker } from '../records/void-rules.js';

export type PushAction = 'create' | 'update' | 'match' | 'skip' | 'review' | 'conflict' | 'deactivate' | 'void' | 'blocked';

export interface PushInput {
  readonly localId: string;
  readonly state: RecordState;
  /** QBO records the matching lookups found for an unlinked record (already linked ones left out). */
  readonly candidates?: readonly MatchCandidate[];
  /** QBO's current version of a linked record, when the worker read it (dry runs and conflict checks). */
  readonly remote?: RemoteSnapshot;
}

export interface PushPlanItem {
  readonly localId: string;
  readonly action: PushAction;
  /** Why, in words for the activity view. */
  readonly reason: string;
  readonly qboId: string | null;
  /** The write this item makes (its requestid components), or null when it writes nothing to QBO. */
  readonly write: WriteIdentity | null;
  /** Local against QBO: for a create, every local field against nothing. */
  readonly diffs: readonly FieldDiff[];
  /** match: whether the matched QBO record then needs an update to equal the local one. */
  readonly thenUpdate?: boolean;
  /** review: the candidates a person chooses from, and the rule that found them. */
  readonly rule?: string;
  readonly candidates?: readonly { readonly qboId: string; readonly label: string }[];
  /** conflict: how the tenant's policy settles it (review holds it). */
  readonly resolution?: ConflictPolicy;
  /** blocked: why QBO would refuse the write, as the record's failure says it. */
  readonly error?: SyncError;
}

export interface PushPlanOptions {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly policy: ConflictPolicy;
  /** A retry of parked failures: parked records are planned like any other. */
  readonly includeParked?: boolean;
}

const write = (options: PushPlanOptions, input: PushInput, operation: WriteOperation): WriteIdentity => ({
  tenantId: options.tenantId,
  recordType: options.recordType,
  localId: input.localId,
  localRevision: input.state.localRevision,
  generation: input.state.generation,
  operation,
  over: operation === 'create' ? null : (input.state.link?.syncToken ?? null),
});

/** A void QBO would refuse, planned as blocked with the reason (and no write). */
const voidBlocked = (type: RecordType, state: RecordState, localId: string): PushPlanItem | null => {
  const error = voidBlocker(type, state.record);
  return error === null ? null : { localId, action: 'blocked', reason: error.message, qboId: state.link?.qboId ?? null, write: null, diffs: [], error };
};

export const planPushItem = (input: PushInput, options: PushPlanOptions): PushPlanItem => {
  const { state, localId } = input;
  const type = options.recordType;
  const qboId = state.link?.qboId ?? null;
  const item = (action: PushAction, reason: string, extra: Partial<PushPlanItem> = {}): PushPlanItem => ({
    localId, action, reason, qboId, write: null, diffs: [], ...extra,
  });
  if (!state.exists || state.record === null) return item('skip', 'the host never sent this record');
  if (state.parked && options.includeParked !== true) return item('skip', 'parked after failing; retry the failed records to try it again');
  if (state.conflict !== null) return item('conflict', 'a conflict is waiting for review', { resolution: 'review' });

  if (state.deleted) {
    if (state.link === null) return item('skip', 'deleted before it ever reached QuickBooks');
    if (state.remoteStatus !== 'active') return item('skip', `already ${state.remoteStatus ?? 'gone'} in QuickBooks`);
    return IS_NAME_LIST[type]
      ? item('deactivate', 'deleted by the host: made inactive in QuickBooks (name lists are never deleted)', { write: write(options, input, 'deactivate') })
      : (voidBlocked(type, state, localId) ?? item('void', 'deleted by the host: voided in QuickBooks', { write: write(options, input, 'void') }));
  }

  if (state.link === null) {
    if (state.review !== null && input.candidates === undefined) {
      return item('review', `several QuickBooks records match by ${state.review.rule}; choose one in the review queue`, { rule: state.review.rule, candidates: state.review.candidates });
    }
    const outcome: MatchOutcome = matchRecord(type, state.record, input.candidates ?? []);
    switch (outcome.kind) {
      case 'one': {
        const diffs = fieldDiffs(type, state.record, outcome.candidate.record);
        // An update follows only when a field the host sets differs. What the host leaves out QBO may have filled
        // in (the home currency of a customer it created): that is no difference, and updating for it wrote every
        // customer a resumed run found (its answer lost with a killed worker) a second time, with nothing changed.
        const thenUpdate = diffs.some((diff) => diff.local !== null);
        return item('match', `matched by ${outcome.rule}`, { qboId: outcome.candidate.id, diffs, thenUpdate, rule: outcome.rule });
      }
      case 'ambiguous':
        return item('review', `${outcome.candidates.length} QuickBooks records match by ${outcome.rule}; a person must choose`, {
          rule: outcome.rule,
          candidates: outcome.candidates.map((candidate) => ({ qboId: candidate.id, label: candidate.label })),
        });
      case 'none':
        return item('create', 'not in QuickBooks yet', { write: write(options, input, 'create'), diffs: fieldDiffs(type, state.record, null) });
    }
  }

  // Never recreate or write over what QBO deleted without an operator deciding so (unlink, then push).
  if (state.remoteStatus === 'deleted') return item('review', 'deleted in QuickBooks; unlink the record to create it again');
  if (state.remoteStatus === 'voided') return item('skip', 'voided in QuickBooks; a voided transaction is not written again');

  const remote = input.remote;
  const remoteMoved =
    remote !== undefined && remote.syncToken !== state.link.syncToken && remote.syncToken !== state.lastPushedSyncToken && remote.contentHash !== state.contentHash;
  const localChanged = state.contentHash !== state.syncedHash;
  if (!localChanged) return item('skip', 'unchanged since the last sync');
  const diffs = remote === undefined ? [] : fieldDiffs(type, state.record, remote.record);
  if (remoteMoved && localChanged) {
    return item('conflict', `changed here and in QuickBooks since the last sync; policy ${options.policy}`, {
      diffs,
      resolution: options.policy,
      write: options.policy === 'local_wins' ? write(options, input, 'update') : null,
    });
  }
  if (remote !== undefined && remote.contentHash === state.contentHash) return item('skip', 'QuickBooks already holds this content');
  if (!IS_NAME_LIST[type] && state.record['voided'] === true) return voidBlocked(type, state, localId) ?? item('void', 'voided by the host', { write: write(options, input, 'void'), diffs });
  return item('update', 'changed since the last push', { write: write(options, input, 'update'), diffs });
};

/** The whole plan, one item per record, in the order given. */
export const planPush = (inputs: readonly PushInput[], options: PushPlanOptions): PushPlanItem[] => inputs.map((input) => planPushItem(input, options));

/** The run outcome of a plan item that wrote nothing (and what a dry run reports each would come to). */
export const PUSH_ACTION_OUTCOME: Record<PushAction, SyncOutcome> = {
  create: 'created',
  update: 'updated',
  match: 'matched',
  skip: 'skipped',
  review: 'review',
  conflict: 'review',
  deactivate: 'deactivated',
  void: 'voided',
  blocked: 'failed',
};

/** What a plan would do, counted by action: for run totals and the dry-run summary. */
export const countPlan = (items: readonly { readonly action: string }[]): Record<string, number> =>
  items.reduce<Record<string, number>>((counts, { action }) => ({ ...counts, [action]: (counts[action] ?? 0) + 1 }), {});
