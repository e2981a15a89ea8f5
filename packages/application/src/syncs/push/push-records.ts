// Pushes a page of one type's records, in four steps with data passed between them: read (the records'
// streams), dependencies (what they reference is pushed first, type by type in dependency order), plan (the
// domain's planner over QBO's matching candidates), then write and record (QBO batches of 30, each recorded
// with the run's page event in one multi-stream append before the next goes out). A crash loses at most the
// answers of one call, and the resumed run sends those writes again with the same requestids.

import {
  MATCH_RULES,
  MAX_RECORD_ATTEMPTS,
  PUSH_ACTION_OUTCOME,
  type RecordCommand,
  type RecordEvent,
  type RecordOutcome,
  type RecordState,
  type RecordType,
  type RemoteWrite,
  type RemoteWriteResult,
  type SyncError,
  type WriteIdentity,
  fieldDiffs,
  isRecorded,
  needsPush,
  outcomeOfEvents,
  recordDecider,
  recordStreamName,
  typesInDependencyOrder,
} from '@qbo-sync/domain';
import { foldRead } from '../../shared/handle-command.js';
import { type DecidedPage, recordPage } from '../record-page.js';
import { type RecordStep, decideRecordSteps, stepStreams } from '../record-step.js';
import { noteThrottle } from '../note-throttle.js';
import { snapshotOf } from '../remote-snapshot.js';
import type { SyncDeps } from '../sync-deps.js';
import type { SyncRun } from '../sync-run.js';
import { type PushPageItem, planPushPage, referencesOf } from './plan-push-page.js';

/** What a dry run reports of each record. */
export interface PushPlanView {
  readonly recordType: RecordType;
  readonly localId: string;
  readonly action: string;
  readonly qboId: string | null;
  readonly reason: string;
  readonly differences: readonly { readonly field: string; readonly local: unknown; readonly remote: unknown }[];
}

export interface PushContext {
  readonly deps: SyncDeps;
  readonly policyOf: (type: RecordType) => 'qbo_wins' | 'local_wins' | 'review';
  /** Collected by a dry run instead of writing. */
  readonly plan: PushPlanView[] | null;
}

const BATCH = 30;

const dependencyError = (missing: readonly string[]): SyncError => ({
  kind: 'dependency_failed',
  qboCode: null,
  message: `could not link what this record needs in QuickBooks: ${missing.join(', ')}`,
  hint: 'push (or fix) the records named here first, or send them if the host never did; then retry this record',
  retriable: false,
  intuitTid: null,
});

/** Everything one record went through in this page, so its outcome counts its whole story (matched, then updated). */
class RecordHistories {
  private readonly events = new Map<string, RecordEvent[]>();
  add(localId: string, events: readonly RecordEvent[]): void {
    this.events.set(localId, [...(this.events.get(localId) ?? []), ...events]);
  }
  /** The record's outcome once these events (decided, not recorded yet) join its story. */
  outcomeWith(item: PushPageItem, pending: readonly RecordEvent[]): RecordOutcome['outcome'] {
    const events = [...(this.events.get(item.localId) ?? []), ...pending];
    return events.length === 0 ? PUSH_ACTION_OUTCOME[item.plan.action] : outcomeOfEvents(events);
  }
}

export const pushRecords = async (ctx: PushContext, run: SyncRun, type: RecordType, localIds: readonly string[]): Promise<SyncRun> => {
  const { deps } = ctx;
  const { tenantId } = run.request;
  const fresh = [...new Set(localIds)].filter((id) => !isRecorded(run.state, type, id));
  if (fresh.length === 0) return run;
  const work = async (): Promise<SyncRun> => {
    // Read.
    const reads = await deps.eventStore.readStreams(fresh.map((id) => recordStreamName(tenantId, type, id)));
    let states = new Map(fresh.map((id) => [id, foldRead(recordDecider, reads.get(recordStreamName(tenantId, type, id)) ?? { streamExists: false, currentRevision: null, events: [] })] as const));
    // Dependencies first: what these records reference and QBO does not have yet, type by type.
    const { unlinked } = await referencesOf(deps, tenantId, type, new Map([...states].filter(([, state]) => needsPush(state) && !state.parked)));
    if (unlinked.size > 0) {
      for (const depType of typesInDependencyOrder([...unlinked.keys()])) run = await pushRecords(ctx, run, depType, unlinked.get(depType) ?? []);
      // Our own records may have changed meanwhile (a dependency run by another worker): read them again.
      const again = await deps.eventStore.readStreams(fresh.map((id) => recordStreamName(tenantId, type, id)));
      states = new Map(fresh.map((id) => [id, foldRead(recordDecider, again.get(recordStreamName(tenantId, type, id)) ?? { streamExists: false, currentRevision: null, events: [] })] as const));
    }
    // Plan.
    const items = await planPushPage(deps, { tenantId, type, policy: ctx.policyOf(type), includeParked: run.request.retryOf !== null }, states);
    if (ctx.plan !== null) return recordDryRun(ctx, run, type, items);
    // Write and record.
    return writeAndRecord(ctx, run, type, items);
  };
  return ctx.plan !== null ? work() : deps.lock.hold(tenantId, type, work);
};

const recordDryRun = async (ctx: PushContext, run: SyncRun, type: RecordType, items: readonly PushPageItem[]): Promise<SyncRun> => {
  for (const item of items) {
    ctx.plan?.push({ recordType: type, localId: item.localId, action: item.plan.action, qboId: item.plan.qboId, reason: item.plan.reason, differences: item.plan.diffs });
  }
  const outcomes = items.map((item) => ({ recordType: type, localId: item.localId, qboId: item.plan.qboId, outcome: PUSH_ACTION_OUTCOME[item.plan.action] }));
  return (await recordPage(ctx.deps, run, [], () => ({ decisions: [], outcomes }))).run;
};

interface PendingWrite {
  readonly item: PushPageItem;
  readonly write: RemoteWrite;
}

const writeOf = (type: RecordType, item: PushPageItem, identity: WriteIdentity, existing: RemoteWrite['existing']): RemoteWrite => ({
  key: item.localId,
  recordType: type,
  operation: identity.operation,
  identity,
  record: item.state.record,
  existing,
  references: item.references,
});

/** The write a planned item makes, if any: create, update, deactivate, void, or the update after a match. */
const plannedWrite = (type: RecordType, item: PushPageItem): RemoteWrite | null => {
  const { plan, state } = item;
  if (plan.action === 'match' && plan.thenUpdate === true && item.matched !== null) {
    const over = item.matched.syncToken;
    const identity: WriteIdentity = { tenantId: '', recordType: type, localId: item.localId, localRevision: state.localRevision, generation: state.generation, operation: 'update', over };
    return writeOf(type, item, identity, { qboId: item.matched.qboId, syncToken: over });
  }
  if (plan.write === null) return null;
  const existing = state.link === null ? null : { qboId: state.link.qboId, syncToken: state.link.syncToken };
  return writeOf(type, item, plan.write, existing);
};

const writeAndRecord = async (ctx: PushContext, run: SyncRun, type: RecordType, items: readonly PushPageItem[]): Promise<SyncRun> => {
  const { deps } = ctx;
  const { tenantId, syncId } = run.request;
  const at = () => deps.now().toISOString();
  const histories = new RecordHistories();
  const steps = new Map<string, RecordStep>();
  const writes: PendingWrite[] = [];

  // What needs no QBO write is decided now: links of matches, review items, dependency failures.
  for (const item of items) {
    const { plan, localId } = item;
    const base = { recordType: type, localId, at: at() };
    const writing = plannedWrite(type, item);
    if (item.missing.length > 0 && (writing !== null || plan.action === 'match')) {
      const error = dependencyError(item.missing.map((ref) => `${ref.type} ${ref.localId}`));
      steps.set(localId, { recordType: type, localId, commands: () => [{ ...base, type: 'RecordFailure', direction: 'push', error, attempt: 1, syncId }] });
      continue;
    }
    if (plan.action === 'blocked' && plan.error !== undefined) {
      // QBO would refuse the write (a paid invoice the host deleted): the record fails now, saying what to do.
      const error = plan.error;
      steps.set(localId, { recordType: type, localId, commands: () => [{ ...base, type: 'RecordFailure', direction: 'push', error, attempt: 1, syncId }] });
      continue;
    }
    if (plan.action === 'review' && plan.candidates !== undefined && plan.candidates.length > 0 && plan.rule !== undefined) {
      const { rule, candidates } = plan;
      steps.set(localId, { recordType: type, localId, commands: () => [{ ...base, type: 'RecordAmbiguousMatch', rule, candidates, syncId }] });
      continue;
    }
    if (plan.action === 'match' && item.matched !== null) {
      const matched = item.matched;
      const snapshot = snapshotOf(type, matched);
      steps.set(localId, {
        recordType: type,
        localId,
        claim: matched.qboId,
        commands: () => [
          { ...base, type: 'LinkRecord', qboId: matched.qboId, syncToken: matched.syncToken, via: 'matched', syncId },
          // The same content on both sides: linked and in sync at once.
          ...(plan.thenUpdate === true ? [] : [{ ...base, type: 'RecordRemoteState', remote: snapshot, policy: 'qbo_wins', differences: [], syncId } as RecordCommand]),
        ],
        onHeld: (holder) => [{ ...base, type: 'RecordAmbiguousMatch', rule: 'linked_elsewhere', syncId, candidates: [{ qboId: matched.qboId, label: `${matched.label} (linked to ${holder})` }] }],
      });
      if (writing !== null) writes.push({ item, write: { ...writing, identity: { ...writing.identity, tenantId } } });
      continue;
    }
    if (writing !== null) writes.push({ item, write: { ...writing, identity: { ...writing.identity, tenantId } } });
    else steps.set(localId, { recordType: type, localId, commands: () => [] });
  }
  // A match whose update is still to be sent is linked now but not done: the run does not count it yet, so a
  // run resumed before the update's answer was recorded sends the update (the same requestid) again.
  const awaitingWrite = new Set(writes.map((pendingWrite) => pendingWrite.item.localId));
  let current = await recordSteps(ctx, run, type, items, [...steps.values()], histories, awaitingWrite);

  // Matches whose claim was refused are not updated.
  const linkedNow = new Set(items.filter((item) => item.plan.action !== 'match' || current.heldBy.get(item.localId) === undefined).map((item) => item.localId));
  let pending = writes.filter((pendingWrite) => linkedNow.has(pendingWrite.item.localId));
  for (let round = 0; pending.length > 0; round += 1) {
    const again: PendingWrite[] = [];
    for (let start = 0; start < pending.length; start += BATCH) {
      const chunk = pending.slice(start, start + BATCH);
      const notes: Promise<void>[] = [];
      const results = await deps.qbo.write(tenantId, chunk.map((pendingWrite) => pendingWrite.write), {
        onThrottle: (waitMs) => notes.push(noteThrottle(deps, current.run, waitMs).catch((error: unknown) => deps.logger.warn({ syncId, err: String(error) }, 'could not note a throttle wait'))),
      });
      await Promise.all(notes);
      const resultSteps: RecordStep[] = [];
      for (const [index, result] of results.entries()) {
        const pendingWrite = chunk[index] as PendingWrite;
        const step = await stepOfResult(ctx, run, type, pendingWrite, result, round);
        resultSteps.push(step.step);
        if (step.again !== null) again.push(step.again);
      }
      current = await recordSteps(ctx, current.run, type, chunk.map((pendingWrite) => pendingWrite.item), resultSteps, histories);
    }
    pending = again;
  }
  return current.run;
};

/** The record commands QBO's answer to one write calls for; a 5010 is settled by the policy and may go again once. */
const stepOfResult = async (
  ctx: PushContext,
  run: SyncRun,
  type: RecordType,
  pendingWrite: PendingWrite,
  result: RemoteWriteResult,
  round: number,
): Promise<{ step: RecordStep; again: PendingWrite | null }> => {
  const { deps } = ctx;
  const { tenantId, syncId } = run.request;
  const { item, write } = pendingWrite;
  const base = { recordType: type, localId: item.localId, at: deps.now().toISOString() };
  const state = item.state;
  if (result.kind !== 'failed') {
    const pushed: RecordCommand = {
      ...base,
      type: 'RecordPushResult',
      qboId: result.qboId,
      operation: write.operation,
      syncToken: result.syncToken,
      contentHash: state.contentHash ?? '',
      localRevision: state.localRevision,
      requestId: result.requestId,
      attempts: result.attempts,
      foundByLookup: result.kind === 'found',
      remoteContentHash: result.remote === null ? null : snapshotOf(type, result.remote).contentHash,
      syncId,
    };
    if (write.operation !== 'create') return { step: { recordType: type, localId: item.localId, commands: () => [pushed] }, again: null };
    // A create answered by a lookup (a lost answer, or the name was taken) is ours only when QBO holds our very
    // spelling: two local records whose names differ only in case are one name to QBO, and the second must
    // not show as synced against the first one's spelling. A person decides.
    const unique = MATCH_RULES[type].at(-1);
    const ours = unique === undefined ? undefined : item.state.record?.[unique.field];
    if (result.kind === 'found' && typeof ours === 'string' && result.label.trim() !== ours.trim()) {
      return {
        step: {
          recordType: type,
          localId: item.localId,
          commands: () => [{ ...base, type: 'RecordAmbiguousMatch', rule: 'duplicate', syncId, candidates: [{ qboId: result.qboId, label: `${result.label} (QuickBooks holds this spelling)` }] }],
        },
        again: null,
      };
    }
    return {
      step: {
        recordType: type,
        localId: item.localId,
        claim: result.qboId,
        commands: () => [pushed],
        // Another local record holds what QBO answered with (two names QBO takes for one): a person decides.
        onHeld: (holder) => [
          { ...base, type: 'RecordAmbiguousMatch', rule: 'duplicate', syncId, candidates: [{ qboId: result.qboId, label: `${result.label} (linked to local record ${holder})` }] },
        ],
      },
      again: null,
    };
  }
  if (result.error.kind === 'stale_object' && round === 0 && write.existing !== null) {
    // Someone changed it in QBO since our last read: read it, let the tenant's policy decide.
    const refs = (refType: RecordType, qboIds: readonly string[]) => deps.directory.localIdsOf(tenantId, refType, qboIds);
    const [remote] = await deps.qbo.readByIds(tenantId, type, [write.existing.qboId], refs);
    if (remote !== undefined) {
      const snapshot = snapshotOf(type, remote);
      const policy = ctx.policyOf(type);
      const settled: RecordCommand = { ...base, type: 'RecordRemoteState', remote: snapshot, policy, differences: fieldDiffs(type, state.record, snapshot.record), syncId };
      // The same content goes again over QBO's newer version when the record still has it to give: local wins,
      // or QBO moved only what it computes (a payment changed the invoice). QBO wins and review leave it.
      const after = recordDecider.decide(settled, state).reduce(recordDecider.evolve, state as RecordState);
      const retry =
        after.link !== null && after.conflict === null && needsPush(after) && after.link.syncToken !== write.existing.syncToken
          ? { item: { ...item, state: after }, write: { ...write, identity: { ...write.identity, over: after.link.syncToken }, existing: { qboId: remote.qboId, syncToken: after.link.syncToken } } }
          : null;
      return { step: { recordType: type, localId: item.localId, commands: () => [settled] }, again: retry };
    }
  }
  const attempt = result.error.retriable ? MAX_RECORD_ATTEMPTS : 1;
  return { step: { recordType: type, localId: item.localId, commands: () => [{ ...base, type: 'RecordFailure', direction: 'push', error: result.error, attempt, syncId }] }, again: null };
};

/** Decides the steps from fresh reads and records them with the run's page event. */
const recordSteps = async (
  ctx: PushContext,
  run: SyncRun,
  type: RecordType,
  items: readonly PushPageItem[],
  steps: readonly RecordStep[],
  histories: RecordHistories,
  /** Records whose outcome the page does not settle yet (a write follows). */
  notYet: ReadonlySet<string> = new Set(),
): Promise<{ run: SyncRun; heldBy: Map<string, string> }> => {
  const { tenantId, syncId } = run.request;
  const at = ctx.deps.now().toISOString();
  const heldBy = new Map<string, string>();
  const byId = new Map(items.map((item) => [item.localId, item]));
  let decided: ReturnType<typeof decideRecordSteps> = new Map();
  const { run: next } = await recordPage(ctx.deps, run, steps.flatMap((step) => stepStreams(tenantId, step)), (reads): DecidedPage => {
    decided = decideRecordSteps(tenantId, steps, reads, at, syncId, 'push');
    const outcomes: RecordOutcome[] = steps.filter((step) => !notYet.has(step.localId) || decided.get(step.localId)?.heldBy != null).map((step) => {
      const item = byId.get(step.localId) as PushPageItem;
      const d = decided.get(step.localId);
      return { recordType: type, localId: step.localId, qboId: d?.state.link?.qboId ?? item.plan.qboId, outcome: histories.outcomeWith(item, d?.events ?? []) };
    });
    return { decisions: [...decided.values()].flatMap((d) => d.decisions), outcomes };
  });
  for (const [localId, d] of decided) {
    histories.add(localId, d.events);
    if (d.heldBy !== null) heldBy.set(localId, d.heldBy);
  }
  return { run: next, heldBy };
};
