// Step one of pushing a page of records: gather what the domain's push planner needs and let it decide. For
// each record: its state (from its stream), the QBO ids of what it references (linked or created first by the
// caller), and, for an unlinked record, the QBO records its matching rules find (those another local record
// holds are left out). The plan is the domain's; this file only fetches.

import {
  MATCH_RULES,
  type MatchCandidate,
  type MatchRuleName,
  type PushPlanItem,
  type RecordRef,
  type RecordState,
  type RecordType,
  type RemoteRecord,
  matchLookups,
  planPushItem,
  recordReferences,
  referenceKey,
} from '@qbo-sync/domain';
import type { SyncDeps } from '../sync-deps.js';

export interface PushPageItem {
  readonly localId: string;
  readonly state: RecordState;
  readonly plan: PushPlanItem;
  /** QBO ids of what the record references, by `${type}:${localId}`. */
  readonly references: ReadonlyMap<string, string>;
  /** References that are still not linked in QBO: the record cannot be written. */
  readonly missing: readonly RecordRef[];
  /** The matched QBO record, for a `match`. */
  readonly matched: RemoteRecord | null;
}

/** Whether a record of this state would be written to QBO, so its references must exist there first. */
export const writesContent = (state: RecordState): boolean => state.exists && !state.deleted && state.record !== null && state.conflict === null;

/** The references of these records, by type, as `{ localId → qboId | null }`. */
export const referencesOf = async (deps: Pick<SyncDeps, 'directory'>, tenantId: string, type: RecordType, states: ReadonlyMap<string, RecordState>) => {
  const wanted = new Map<RecordType, Set<string>>();
  for (const state of states.values()) {
    if (!writesContent(state)) continue;
    for (const ref of recordReferences(type, state.record as Record<string, unknown>)) wanted.set(ref.type, (wanted.get(ref.type) ?? new Set()).add(ref.localId));
  }
  const linked = new Map<string, string>();
  for (const [refType, ids] of wanted) {
    for (const [localId, qboId] of await deps.directory.qboIdsOf(tenantId, refType, [...ids])) linked.set(referenceKey(refType, localId), qboId);
  }
  const unlinked = new Map<RecordType, string[]>();
  for (const [refType, ids] of wanted) {
    const missing = [...ids].filter((id) => !linked.has(referenceKey(refType, id)));
    if (missing.length > 0) unlinked.set(refType, missing.sort());
  }
  return { linked, unlinked };
};

/** QBO records the matching rules find for the unlinked records, minus those another local record holds. */
const candidatesOf = async (deps: Pick<SyncDeps, 'directory' | 'qbo'>, tenantId: string, type: RecordType, states: ReadonlyMap<string, RecordState>) => {
  const byRule = new Map<MatchRuleName, Set<string>>();
  for (const state of states.values()) {
    if (state.link !== null || !writesContent(state)) continue;
    for (const lookup of matchLookups(type, state.record as Record<string, unknown>)) byRule.set(lookup.rule, (byRule.get(lookup.rule) ?? new Set()).add(lookup.value));
  }
  const found = new Map<string, RemoteRecord>();
  const refs = (refType: RecordType, qboIds: readonly string[]) => deps.directory.localIdsOf(tenantId, refType, qboIds);
  for (const rule of MATCH_RULES[type]) {
    const values = byRule.get(rule.name);
    if (values === undefined || values.size === 0) continue;
    for (const remote of await deps.qbo.find(tenantId, type, rule.name, [...values], refs)) found.set(remote.qboId, remote);
  }
  const holders = found.size === 0 ? new Map<string, string>() : await deps.directory.localIdsOf(tenantId, type, [...found.keys()]);
  return { found, holders };
};

export const planPushPage = async (
  deps: Pick<SyncDeps, 'directory' | 'qbo'>,
  options: { readonly tenantId: string; readonly type: RecordType; readonly policy: 'qbo_wins' | 'local_wins' | 'review'; readonly includeParked: boolean },
  states: ReadonlyMap<string, RecordState>,
): Promise<PushPageItem[]> => {
  const { tenantId, type } = options;
  const { linked } = await referencesOf(deps, tenantId, type, states);
  const { found, holders } = await candidatesOf(deps, tenantId, type, states);
  return [...states].map(([localId, state]) => {
    const candidates: MatchCandidate[] = [...found.values()]
      .filter((remote) => {
        const holder = holders.get(remote.qboId);
        return holder === undefined || holder === localId;
      })
      .map((remote) => ({ id: remote.qboId, label: remote.label, record: remote.record }));
    const plan = planPushItem({ localId, state, ...(state.link === null ? { candidates } : {}) }, { tenantId, recordType: type, policy: options.policy, includeParked: options.includeParked });
    const refs = writesContent(state) ? recordReferences(type, state.record as Record<string, unknown>) : [];
    const references = new Map(refs.flatMap((ref) => {
      const qboId = linked.get(referenceKey(ref.type, ref.localId));
      return qboId === undefined ? [] : [[referenceKey(ref.type, ref.localId), qboId] as const];
    }));
    const missing = refs.filter((ref) => !references.has(referenceKey(ref.type, ref.localId)));
    const matched = plan.action === 'match' && plan.qboId !== null ? (found.get(plan.qboId) ?? null) : null;
    return { localId, state, plan, references, missing, matched };
  });
};

