// One page of a pull, in three steps: gather (which local record holds each QBO record, from the directory;
// for the unlinked, the local records their matching rules find), plan (the domain's pull planner decides:
// changed, our own echo, deleted, a conflict, a match, a question for a person, or a new mirror), and record
// (every record's events, the claims that guard new links, and the run's page event, in one append).

import {
  MATCH_RULES,
  type MatchCandidate,
  PULL_ACTION_OUTCOME,
  type PullPlanItem,
  type RecordCommand,
  type RecordOutcome,
  type RecordState,
  type RecordType,
  type RemoteChange,
  type RemoteSnapshot,
  isRecorded,
  mirrorLocalId,
  outcomeOfEvents,
  planPullItem,
  recordDecider,
  recordStreamName,
} from '@qbo-sync/domain';
import { foldRead } from '../../shared/handle-command.js';
import { recordPage } from '../record-page.js';
import { type DecidedStep, type RecordStep, decideRecordSteps, stepStreams } from '../record-step.js';
import { snapshotOf } from '../remote-snapshot.js';
import type { SyncDeps } from '../sync-deps.js';
import type { SyncRun } from '../sync-run.js';

export interface PullContext {
  readonly deps: SyncDeps;
  readonly policy: 'qbo_wins' | 'local_wins' | 'review';
  /** Collected by a dry run instead of writing. */
  readonly plan: { readonly localId: string | null; readonly qboId: string; readonly action: string; readonly reason: string }[] | null;
}

/** Records recorded in one append. */
const RECORD_SLICE = 250;

export interface PullPageOptions {
  /** Read records this run recorded already again (a payment page changed their balance). */
  readonly revisit?: boolean;
}

interface Planned {
  readonly remote: RemoteSnapshot;
  readonly plan: PullPlanItem;
}

const deletionSnapshot = (qboId: string, remoteUpdatedAt: string): RemoteSnapshot => ({ qboId, syncToken: '', status: 'deleted', record: {}, contentHash: '', remoteUpdatedAt });

/** The remote records of a page, newest version of each (CDC windows overlap), as snapshots. */
const snapshotsOf = (type: RecordType, changes: readonly RemoteChange[]) => {
  const latest = new Map<string, RemoteSnapshot>();
  const unreadable: { qboId: string; reason: string }[] = [];
  for (const change of changes) {
    if (change.kind === 'changed') latest.set(change.remote.qboId, snapshotOf(type, change.remote));
    else if (change.kind === 'deleted') latest.set(change.qboId, deletionSnapshot(change.qboId, change.remoteUpdatedAt));
    else unreadable.push(change);
  }
  return { latest, unreadable };
};

const readStates = async (deps: Pick<SyncDeps, 'eventStore'>, tenantId: string, type: RecordType, localIds: readonly string[]): Promise<Map<string, RecordState>> => {
  if (localIds.length === 0) return new Map();
  const reads = await deps.eventStore.readStreams(localIds.map((id) => recordStreamName(tenantId, type, id)));
  return new Map(localIds.map((id) => [id, foldRead(recordDecider, reads.get(recordStreamName(tenantId, type, id)) ?? { streamExists: false, currentRevision: null, events: [] })]));
};

/** Unlinked local records the type's matching rules find for these remote records, with their states. */
const localCandidates = async (deps: Pick<SyncDeps, 'eventStore' | 'directory'>, tenantId: string, type: RecordType, remotes: readonly RemoteSnapshot[]) => {
  const ids = new Set<string>();
  for (const rule of MATCH_RULES[type]) {
    const keys = [...new Set(remotes.flatMap((remote) => rule.key(remote.record[rule.field]) ?? []))];
    if (keys.length === 0) continue;
    for (const localIds of (await deps.directory.unlinkedByMatchKey(tenantId, type, rule.name, keys)).values()) localIds.forEach((id) => ids.add(id));
  }
  const states = await readStates(deps, tenantId, type, [...ids]);
  return [...states].flatMap(([localId, state]): MatchCandidate[] => (state.record === null || state.link !== null ? [] : [{ id: localId, label: localId, record: state.record }]));
};

/** Plans a page: linked records against their state, unlinked ones against the local candidates. */
export const planPullPage = async (ctx: PullContext, run: SyncRun, type: RecordType, changes: readonly RemoteChange[], options: PullPageOptions = {}) => {
  const { deps } = ctx;
  const { tenantId } = run.request;
  const { latest, unreadable } = snapshotsOf(type, changes);
  const holders = await deps.directory.localIdsOf(tenantId, type, [...latest.keys()]);
  const linkedIds = [...new Set(holders.values())].filter((localId) => options.revisit === true || !isRecorded(run.state, type, localId));
  const states = await readStates(deps, tenantId, type, linkedIds);
  const unlinked = [...latest.values()].filter((remote) => !holders.has(remote.qboId) && remote.status !== 'deleted');
  const candidates = unlinked.length === 0 ? [] : await localCandidates(deps, tenantId, type, unlinked);
  const planned: Planned[] = [];
  const taken = new Set<string>();
  for (const remote of latest.values()) {
    const holder = holders.get(remote.qboId);
    if (holder !== undefined) {
      const state = states.get(holder);
      // Recorded by an earlier attempt of this run: done.
      if (state === undefined) continue;
      planned.push({ remote, plan: planPullItem({ remote, linked: { localId: holder, state } }, type, ctx.policy) });
      continue;
    }
    if (isRecorded(run.state, type, mirrorLocalId(remote.qboId))) continue;
    // A local record two QBO records match in one page is matched once; the other is a question too.
    const plan = planPullItem({ remote, candidates: candidates.filter((candidate) => !taken.has(candidate.id)) }, type, ctx.policy);
    if (plan.action === 'match' && plan.localId !== null) taken.add(plan.localId);
    planned.push({ remote, plan });
  }
  return { planned, unreadable };
};

/** The commands a plan item makes on the local record it names (a review names several). */
const stepsOf = (type: RecordType, syncId: string, at: string, policy: PullContext['policy'], item: Planned): RecordStep[] => {
  const { remote, plan } = item;
  const base = (localId: string) => ({ recordType: type, localId, at });
  const remoteState = (localId: string): RecordCommand => ({ ...base(localId), type: 'RecordRemoteState', remote, policy, differences: plan.diffs, syncId });
  switch (plan.action) {
    case 'changed':
    case 'refreshed':
    case 'conflict':
    case 'echo':
    case 'unchanged':
      return plan.localId === null ? [] : [{ recordType: type, localId: plan.localId, commands: () => [remoteState(plan.localId as string)] }];
    case 'deleted':
      return plan.localId === null ? [] : [{ recordType: type, localId: plan.localId, commands: () => [{ ...base(plan.localId as string), type: 'RecordRemoteDeletion', qboId: remote.qboId, syncId }] }];
    case 'match':
    case 'mirror': {
      const localId = plan.localId as string;
      return [
        {
          recordType: type,
          localId,
          claim: remote.qboId,
          commands: () => [
            { ...base(localId), type: 'LinkRecord', qboId: remote.qboId, syncToken: remote.syncToken, via: plan.action === 'match' ? 'matched' : 'pulled', syncId },
            remoteState(localId),
          ],
        },
      ];
    }
    case 'review':
      return (plan.candidates ?? []).map((candidate) => ({
        recordType: type,
        localId: candidate.localId,
        commands: () => [{ ...base(candidate.localId), type: 'RecordAmbiguousMatch', rule: plan.rule ?? 'match', syncId, candidates: [{ qboId: remote.qboId, label: candidate.label }] }],
      }));
    case 'skip':
      return [];
  }
};

/** Plans and records one page; returns the run after it and the local records the page changed. */
export const pullPage = async (
  ctx: PullContext,
  start: SyncRun,
  type: RecordType,
  changes: readonly RemoteChange[],
  options: PullPageOptions = {},
): Promise<{ run: SyncRun; changed: readonly { localId: string; state: RecordState }[] }> => {
  const { deps } = ctx;
  const { tenantId, syncId } = start.request;
  const at = deps.now().toISOString();
  const { planned, unreadable } = await planPullPage(ctx, start, type, changes, options);
  for (const bad of unreadable) deps.logger.warn({ syncId, qboId: bad.qboId, reason: bad.reason }, 'a QBO record could not be read as a canonical record');
  const failedOutcomes: RecordOutcome[] = unreadable.map((bad) => ({ recordType: type, localId: mirrorLocalId(bad.qboId), qboId: bad.qboId, outcome: 'failed' }));
  if (ctx.plan !== null) {
    for (const { remote, plan } of planned) ctx.plan.push({ localId: plan.localId, qboId: remote.qboId, action: plan.action, reason: plan.reason });
    const outcomes = planned.map(({ remote, plan }) => ({ recordType: type, localId: plan.localId ?? mirrorLocalId(remote.qboId), qboId: remote.qboId, outcome: PULL_ACTION_OUTCOME[plan.action] }));
    return { run: (await recordPage(deps, start, [], () => ({ decisions: [], outcomes: [...outcomes, ...failedOutcomes] }))).run, changed: [] };
  }
  // One step per local record: the first plan item naming it wins (a page names a record once but for reviews).
  const steps = new Map<string, { step: RecordStep; item: Planned }>();
  for (const item of planned) {
    for (const step of stepsOf(type, syncId, at, ctx.policy, item)) if (!steps.has(step.localId)) steps.set(step.localId, { step, item });
  }
  const changed: { localId: string; state: RecordState }[] = [];
  const all = [...steps.values()];
  let run = start;
  // Recorded a slice at a time: a slice's events, claims and run page event are one append, and the memory
  // a page takes stays that of a slice, whatever the size of QBO's page.
  for (let offset = 0; offset === 0 || offset < all.length; offset += RECORD_SLICE) {
    const slice = all.slice(offset, offset + RECORD_SLICE);
    const sliceChanged: { localId: string; state: RecordState }[] = [];
    run = (
      await recordPage(deps, run, slice.flatMap(({ step }) => stepStreams(tenantId, step)), (reads) => {
        sliceChanged.length = 0;
        const results = decideRecordSteps(tenantId, slice.map(({ step }) => step), reads, at, syncId, 'pull');
        const decided = slice.map(({ step, item }) => ({ step, item, result: results.get(step.localId) as DecidedStep }));
        const outcomes: RecordOutcome[] = decided.map(({ step, item, result }) => {
          if (result.events.some((event) => event.type === 'RemoteRecordChanged')) sliceChanged.push({ localId: step.localId, state: result.state });
          return {
            recordType: type,
            localId: step.localId,
            qboId: item.remote.qboId,
            // Nothing appended: a question still open stays one; anything else had nothing to do.
            outcome: result.events.length > 0 ? outcomeOfEvents(result.events) : PULL_ACTION_OUTCOME[item.plan.action] === 'review' ? 'review' : 'skipped',
          };
        });
        return { decisions: decided.flatMap(({ result }) => result.decisions), outcomes: offset === 0 ? [...outcomes, ...failedOutcomes] : outcomes };
      })
    ).run;
    changed.push(...sliceChanged);
  }
  return { run, changed };
};
