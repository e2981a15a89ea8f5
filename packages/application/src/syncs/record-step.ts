// One record's part of a page: optionally claim a QBO record (on its `qbolink-…` stream), then run commands on
// the record's own stream, each seeing what the one before decided. Both are decided from the page's reads and
// appended with it. A claim held by another local record never links: `onHeld` decides what happens instead
// (a review item, a change recorded on the holder). A command the decider refuses (a race the page lost, e.g.
// the record was linked elsewhere meanwhile) becomes a failure of that record, never a failed page.

import {
  type QboClaimEvent,
  QboRecordHeldError,
  type ReadStreamResult,
  type RecordCommand,
  type RecordEvent,
  type RecordState,
  type RecordType,
  type SyncError,
  qboClaimDecider,
  qboLinkStreamName,
  recordDecider,
  recordStreamName,
} from '@qbo-sync/domain';
import { type DomainEvent, type StreamDecision, decideOnStream, foldRead } from '../shared/handle-command.js';
import { readOf } from './record-page.js';

export interface RecordStep {
  readonly recordType: RecordType;
  readonly localId: string;
  /** Claim this QBO record for the local record before its commands run. */
  readonly claim?: string;
  readonly commands: (state: RecordState) => readonly RecordCommand[];
  /** The claim is held by another local record: what to do instead (nothing when absent). */
  readonly onHeld?: (holder: string, state: RecordState) => readonly RecordCommand[];
}

export interface DecidedStep {
  readonly decisions: readonly StreamDecision<DomainEvent, unknown>[];
  /** What the record's own stream got. */
  readonly events: readonly RecordEvent[];
  readonly state: RecordState;
  /** The local record holding the QBO record, when the claim was refused. */
  readonly heldBy: string | null;
}

/** The streams a step reads. */
export const stepStreams = (tenantId: string, step: RecordStep): string[] => [
  recordStreamName(tenantId, step.recordType, step.localId),
  ...(step.claim === undefined ? [] : [qboLinkStreamName(tenantId, step.recordType, step.claim)]),
];

const refusedError = (error: Error): SyncError => ({
  kind: 'conflict',
  qboCode: null,
  message: error.message,
  hint: 'the record changed while the run recorded it; run the sync again',
  retriable: true,
  intuitTid: null,
});

export const decideRecordStep = (
  tenantId: string,
  step: RecordStep,
  reads: ReadonlyMap<string, ReadStreamResult>,
  at: string,
  syncId: string,
  direction: 'push' | 'pull',
  /** A local record that claimed the same QBO record earlier in this page. */
  claimedEarlier: string | null = null,
): DecidedStep => {
  const streamName = recordStreamName(tenantId, step.recordType, step.localId);
  const read = readOf(reads, streamName);
  const state = foldRead(recordDecider, read);
  const decisions: StreamDecision<DomainEvent, unknown>[] = [];
  let heldBy: string | null = null;
  let commands: readonly RecordCommand[];
  if (step.claim === undefined) {
    commands = step.commands(state);
  } else {
    const claimStream = qboLinkStreamName(tenantId, step.recordType, step.claim);
    try {
      if (claimedEarlier !== null && claimedEarlier !== step.localId) throw new QboRecordHeldError(step.recordType, step.claim, claimedEarlier);
      const claimed = decideOnStream<Parameters<typeof qboClaimDecider.decide>[0], QboClaimEvent, ReturnType<typeof qboClaimDecider.initialState>>(
        qboClaimDecider,
        claimStream,
        readOf(reads, claimStream),
        [{ type: 'ClaimQboRecord', recordType: step.recordType, qboId: step.claim, localId: step.localId, at }],
      );
      decisions.push(claimed);
      commands = step.commands(state);
    } catch (error) {
      if (!(error instanceof QboRecordHeldError)) throw error;
      heldBy = error.holder;
      commands = step.onHeld?.(error.holder, state) ?? [];
    }
  }
  try {
    const decided = decideOnStream(recordDecider, streamName, read, commands, state);
    return { decisions: [...decisions, decided], events: decided.events, state: decided.state, heldBy };
  } catch (error) {
    if (!(error instanceof Error) || error.name === 'TypeError') throw error;
    // The record moved under the page (linked elsewhere, unlinked): fail it, keep the page.
    const failed = decideOnStream(recordDecider, streamName, read, [
      { type: 'RecordFailure', recordType: step.recordType, localId: step.localId, at, direction, error: refusedError(error), attempt: 1, syncId },
    ], state);
    return { decisions: [failed], events: failed.events, state: failed.state, heldBy };
  }
};

/**
 * The steps of one page, in order. Two steps claiming the same QBO record (two local records QBO takes for one,
 * answered with the same record) cannot both have it: the first does, the second meets it as held.
 */
export const decideRecordSteps = (
  tenantId: string,
  steps: readonly RecordStep[],
  reads: ReadonlyMap<string, ReadStreamResult>,
  at: string,
  syncId: string,
  direction: 'push' | 'pull',
): Map<string, DecidedStep> => {
  const claimed = new Map<string, string>();
  const decided = new Map<string, DecidedStep>();
  for (const step of steps) {
    const earlier = step.claim === undefined ? null : (claimed.get(step.claim) ?? null);
    const result = decideRecordStep(tenantId, step, reads, at, syncId, direction, earlier);
    if (step.claim !== undefined && result.heldBy === null && !claimed.has(step.claim)) claimed.set(step.claim, step.localId);
    decided.set(step.localId, result);
  }
  return decided;
};
