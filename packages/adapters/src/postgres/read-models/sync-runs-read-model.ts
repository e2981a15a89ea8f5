// The sync run read models: `sync_runs` (one row per run: what was asked, its status, totals, plan and times),
// `sync_run_records` (the last outcome of every record a run touched, with its error and attempt) and
// `sync_cursors` (where the next incremental pull of a tenant's type starts). Folded here from `sync-…` events
// and from record events that carry a syncId; read here by the api and the worker.

import type { RecordEvent, RecordType, RecordedEvent, SyncCounts, SyncEvent, SyncError } from '@qbo-sync/domain';
import { categoryOf, emptySyncCounts, parseRecordStreamName } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<unknown>;

export const SYNC_RUNS_PROJECTION = 'sync_runs';
export const SYNC_RUNS_CATEGORIES = ['sync', 'record'] as const;

export type SyncRunStatus = 'requested' | 'running' | 'completed' | 'completed_with_failures' | 'failed' | 'cancelled';
export const SYNC_RUN_STATUSES = ['requested', 'running', 'completed', 'completed_with_failures', 'failed', 'cancelled'] as const satisfies readonly SyncRunStatus[];
const FINISHED = ['completed', 'completed_with_failures', 'failed', 'cancelled'] as const;

export type RunRecordOutcome =
  | 'created'
  | 'updated'
  | 'matched'
  | 'linked'
  | 'pulled'
  | 'deactivated'
  | 'voided'
  | 'deleted'
  | 'remote_deleted'
  | 'retrying'
  | 'failed'
  | 'review'
  | 'conflict'
  | 'conflict_resolved'
  | 'skipped';
export const RUN_RECORD_OUTCOMES = [
  'created', 'updated', 'matched', 'linked', 'pulled', 'deactivated', 'voided', 'deleted', 'remote_deleted', 'retrying', 'failed', 'review', 'conflict', 'conflict_resolved', 'skipped',
] as const satisfies readonly RunRecordOutcome[];

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
const finishedList = sql.join(FINISHED.map((status) => sql`${status}`));

const applySyncEvent = async (db: Db, event: RecordedEvent): Promise<void> => {
  const known = event as unknown as SyncEvent;
  switch (known.type) {
    case 'SyncRequested': {
      const d = known.data;
      await sql`insert into sync_runs (sync_id, tenant_id, record_type, direction, scope, dry_run, retry_of, requested_by, status,
                  requested_at, request_commit, request_prepare)
                values (${d.syncId}, ${d.tenantId}, ${d.recordType}, ${d.direction}, ${json(d.scope)}, ${d.dryRun}, ${d.retryOf}, ${d.requestedBy},
                  'requested', ${d.at}, ${event.position.commit}, ${event.position.prepare})
                on conflict (sync_id) do nothing`.execute(db);
      return;
    }
    case 'SyncStarted': {
      const d = known.data;
      // A restarted run (its worker died) starts again: it is running, and keeps its first start time.
      await sql`update sync_runs set status = 'running', worker_id = ${d.workerId}, started_at = coalesce(started_at, ${d.at})
                where sync_id = ${d.syncId} and status not in (${finishedList})`.execute(db);
      return;
    }
    case 'SyncThrottled': {
      const d = known.data;
      await sql`update sync_runs set waiting_until = ${d.until} where sync_id = ${d.syncId} and status not in (${finishedList})`.execute(db);
      return;
    }
    case 'SyncPageRecorded': {
      const d = known.data;
      // The run's totals so far (its live progress), and each record's final outcome in it. The records' own
      // events came first in the same append and filled in the details (errors, operations). A page recorded
      // means the run is moving again: it no longer waits on QBO's limits.
      await sql`update sync_runs set counts = ${json(d.counts)}, waiting_until = null where sync_id = ${d.syncId} and status not in (${finishedList})`.execute(db);
      const tenantId = event.metadata.tenantId;
      if (d.outcomes.length > 0) {
        const col = <T>(pick: (outcome: (typeof d.outcomes)[number]) => T) => d.outcomes.map(pick);
        await sql`insert into sync_run_records (sync_id, record_type, local_id, tenant_id, qbo_id, outcome, at)
                  select ${d.syncId}, k.record_type, k.local_id, ${tenantId}, k.qbo_id, k.outcome, ${d.at}
                  from unnest(${col((o) => o.recordType)}::text[], ${col((o) => o.localId)}::text[], ${col((o) => o.qboId)}::text[], ${col((o) => o.outcome)}::text[])
                    as k(record_type, local_id, qbo_id, outcome)
                  on conflict (sync_id, record_type, local_id) do update set outcome = excluded.outcome, qbo_id = coalesce(excluded.qbo_id, sync_run_records.qbo_id),
                    error = case when excluded.outcome = 'failed' then sync_run_records.error else null end,
                    parked = case when excluded.outcome = 'failed' then sync_run_records.parked else false end`.execute(db);
      }
      return;
    }
    case 'SyncCompleted': {
      const d = known.data;
      // Belt and braces: a run that parked a failed record never reads "completed", whatever its event said.
      await sql`update sync_runs set counts = ${json(d.counts)}, plan = ${d.plan === null ? null : json(d.plan)}, cursor = ${d.cursor}, finished_at = ${d.at}, waiting_until = null,
                  status = case when ${d.outcome} = 'completed' and exists (select 1 from sync_run_records r where r.sync_id = ${d.syncId} and r.outcome = 'failed')
                                then 'completed_with_failures' else ${d.outcome} end
                where sync_id = ${d.syncId}`.execute(db);
      if (d.cursor !== null) {
        await sql`insert into sync_cursors (tenant_id, record_type, cursor, sync_id, updated_at)
                  select tenant_id, record_type, ${d.cursor}, sync_id, ${d.at} from sync_runs
                  where sync_id = ${d.syncId} and direction = 'pull' and not dry_run
                  on conflict (tenant_id, record_type) do update set cursor = excluded.cursor, sync_id = excluded.sync_id, updated_at = excluded.updated_at`.execute(db);
      }
      return;
    }
    case 'SyncFailed': {
      const d = known.data;
      await sql`update sync_runs set status = 'failed', reason = ${d.reason}, counts = coalesce(${d.counts === null ? null : json(d.counts)}, counts),
                  finished_at = ${d.at}, waiting_until = null where sync_id = ${d.syncId}`.execute(db);
      return;
    }
    case 'SyncCancelled': {
      const d = known.data;
      await sql`update sync_runs set status = 'cancelled', reason = ${`cancelled by ${d.cancelledBy}`}, finished_at = ${d.at}
                where sync_id = ${d.syncId} and status not in (${finishedList})`.execute(db);
      return;
    }
    default:
      return;
  }
};

interface Outcome {
  readonly syncId: string;
  readonly qboId: string | null;
  readonly outcome: RunRecordOutcome;
  readonly operation?: string | null;
  readonly linkedVia?: string | null;
  readonly error?: SyncError | null;
  readonly attempt?: number | null;
  readonly parked?: boolean;
  readonly detail?: unknown;
}

const PUSH_OUTCOME = { create: 'created', update: 'updated', deactivate: 'deactivated', void: 'voided', delete: 'deleted' } as const;
const LINK_OUTCOME = { created: 'created', matched: 'matched', pulled: 'pulled', review: 'linked' } as const;

const outcomeOf = (event: RecordEvent): Outcome | null => {
  switch (event.type) {
    case 'RecordLinked': {
      const d = event.data;
      return d.syncId === null ? null : { syncId: d.syncId, qboId: d.qboId, outcome: LINK_OUTCOME[d.via], linkedVia: d.via };
    }
    case 'RecordPushed': {
      const d = event.data;
      return {
        syncId: d.syncId,
        qboId: d.qboId,
        outcome: PUSH_OUTCOME[d.operation],
        operation: d.operation,
        detail: { requestId: d.requestId, syncToken: d.syncToken, attempts: d.attempts, foundByLookup: d.foundByLookup },
      };
    }
    case 'RemoteRecordChanged': {
      const d = event.data;
      if (d.syncId === null) return null;
      return { syncId: d.syncId, qboId: d.qboId, outcome: 'pulled', detail: { status: d.status, syncToken: d.syncToken } };
    }
    case 'RemoteRecordVersionSeen': {
      const d = event.data;
      if (d.syncId === null) return null;
      return { syncId: d.syncId, qboId: d.qboId, outcome: 'pulled', detail: { status: d.status, syncToken: d.syncToken, computedOnly: true } };
    }
    case 'RemoteRecordDeleted':
      return { syncId: event.data.syncId, qboId: event.data.qboId, outcome: 'remote_deleted' };
    case 'RecordSyncFailed': {
      const d = event.data;
      return { syncId: d.syncId, qboId: null, outcome: d.parked ? 'failed' : 'retrying', error: d.error, attempt: d.attempt, parked: d.parked, detail: { direction: d.direction } };
    }
    case 'RecordMatchAmbiguous': {
      const d = event.data;
      return { syncId: d.syncId, qboId: null, outcome: 'review', detail: { rule: d.rule, candidates: d.candidates } };
    }
    case 'RecordConflictDetected': {
      const d = event.data;
      return { syncId: d.syncId, qboId: d.qboId, outcome: 'conflict', detail: { policy: d.policy, differences: d.differences } };
    }
    case 'RecordConflictResolved':
      if (event.data.syncId === null) return null;
      return { syncId: event.data.syncId, qboId: event.data.qboId, outcome: 'conflict_resolved', detail: { resolution: event.data.resolution, resolvedBy: event.data.resolvedBy } };
    default:
      return null;
  }
};

/** What a step says, without what the record row already holds (the record's content). */
const stepDetail = (event: RecordEvent): Record<string, unknown> => {
  const { recordType: _type, localId: _id, at: _at, syncId: _sync, ...rest } = event.data as Record<string, unknown>;
  if (event.type === 'RemoteRecordChanged') {
    const { record: _record, contentHash: _hash, ...kept } = rest;
    return kept;
  }
  if (event.type === 'RecordConflictDetected') {
    const { remote: _remote, ...kept } = rest;
    return kept;
  }
  return rest;
};

interface RecordStepRow {
  readonly syncId: string;
  readonly type: string;
  readonly localId: string;
  readonly tenantId: string;
  readonly position: RecordedEvent['position'];
  readonly eventType: string;
  readonly detail: Record<string, unknown>;
  readonly at: string;
}

interface RecordOutcomeRow {
  readonly syncId: string;
  readonly type: string;
  readonly localId: string;
  readonly tenantId: string;
  qboId: string | null;
  outcome: RunRecordOutcome;
  operation: string | null;
  linkedVia: string | null;
  error: SyncError | null;
  attempt: number | null;
  parked: boolean;
  detail: unknown;
  at: string;
}

/**
 * Record events of a batch, folded into one row per (run, record) in log order, the way one upsert per event
 * would fold them (later values win; qboId, operation, linkedVia and attempt keep the last one given; the error
 * stays only while the record is failing), then written with one statement each for steps and outcomes.
 * Only runs this log knows about are written: a resolution made in the review queue belongs to no run.
 */
const applyRecordEvents = async (db: Db, events: readonly RecordedEvent[]): Promise<void> => {
  const steps: RecordStepRow[] = [];
  const outcomes = new Map<string, RecordOutcomeRow>();
  for (const event of events) {
    const key = parseRecordStreamName(event.streamName);
    if (key === null) continue;
    const known = event as unknown as RecordEvent;
    const outcome = outcomeOf(known);
    if (outcome === null) continue;
    const at = (known.data as { at?: string }).at ?? event.recordedAt.toISOString();
    // Every step of the record in this run, in log order: a conflict resolved by policy, a retry, a write found
    // by a lookup after a lost answer all stay visible, not only where the record ended.
    steps.push({ syncId: outcome.syncId, type: key.type, localId: key.localId, tenantId: key.tenantId, position: event.position, eventType: known.type, detail: stepDetail(known), at });
    const rowKey = JSON.stringify([outcome.syncId, key.type, key.localId]);
    const before = outcomes.get(rowKey);
    outcomes.set(rowKey, {
      syncId: outcome.syncId,
      type: key.type,
      localId: key.localId,
      tenantId: key.tenantId,
      qboId: outcome.qboId ?? before?.qboId ?? null,
      outcome: outcome.outcome,
      operation: outcome.operation ?? before?.operation ?? null,
      linkedVia: outcome.linkedVia ?? before?.linkedVia ?? null,
      error: outcome.outcome === 'failed' || outcome.outcome === 'retrying' ? (outcome.error ?? null) : null,
      attempt: outcome.attempt ?? before?.attempt ?? null,
      parked: outcome.parked ?? false,
      detail: outcome.detail === undefined ? null : outcome.detail,
      at,
    });
  }
  if (steps.length > 0) {
    const col = <T>(pick: (row: RecordStepRow) => T) => steps.map(pick);
    await sql`insert into sync_run_record_steps (sync_id, record_type, local_id, commit_position, prepare_position, tenant_id, event_type, detail, at)
      select k.sync_id, k.record_type, k.local_id, k.commit_position, k.prepare_position, k.tenant_id, k.event_type, k.detail, k.at
      from unnest(${col((r) => r.syncId)}::text[], ${col((r) => r.type)}::text[], ${col((r) => r.localId)}::text[], ${col((r) => r.position.commit.toString())}::bigint[],
        ${col((r) => r.position.prepare.toString())}::bigint[], ${col((r) => r.tenantId)}::text[], ${col((r) => r.eventType)}::text[], ${col((r) => JSON.stringify(r.detail))}::jsonb[],
        ${col((r) => r.at)}::timestamptz[]) as k(sync_id, record_type, local_id, commit_position, prepare_position, tenant_id, event_type, detail, at)
      where exists (select 1 from sync_runs r where r.sync_id = k.sync_id)
      on conflict do nothing`.execute(db);
  }
  if (outcomes.size > 0) {
    const rows = [...outcomes.values()];
    const col = <T>(pick: (row: RecordOutcomeRow) => T) => rows.map(pick);
    await sql`insert into sync_run_records (sync_id, record_type, local_id, tenant_id, qbo_id, outcome, operation, linked_via, error, attempt, parked, detail, at)
      select k.sync_id, k.record_type, k.local_id, k.tenant_id, k.qbo_id, k.outcome, k.operation, k.linked_via, k.error, k.attempt, k.parked, k.detail, k.at
      from unnest(${col((r) => r.syncId)}::text[], ${col((r) => r.type)}::text[], ${col((r) => r.localId)}::text[], ${col((r) => r.tenantId)}::text[], ${col((r) => r.qboId)}::text[],
        ${col((r) => r.outcome)}::text[], ${col((r) => r.operation)}::text[], ${col((r) => r.linkedVia)}::text[], ${col((r) => (r.error === null ? null : JSON.stringify(r.error)))}::jsonb[],
        ${col((r) => r.attempt)}::integer[], ${col((r) => r.parked)}::boolean[], ${col((r) => (r.detail === null ? null : JSON.stringify(r.detail)))}::jsonb[], ${col((r) => r.at)}::timestamptz[])
        as k(sync_id, record_type, local_id, tenant_id, qbo_id, outcome, operation, linked_via, error, attempt, parked, detail, at)
      where exists (select 1 from sync_runs r where r.sync_id = k.sync_id)
      on conflict (sync_id, record_type, local_id) do update set
        qbo_id = coalesce(excluded.qbo_id, sync_run_records.qbo_id),
        outcome = excluded.outcome,
        operation = coalesce(excluded.operation, sync_run_records.operation),
        linked_via = coalesce(excluded.linked_via, sync_run_records.linked_via),
        error = case when excluded.outcome in ('failed', 'retrying') then excluded.error else null end,
        attempt = coalesce(excluded.attempt, sync_run_records.attempt),
        parked = excluded.parked,
        detail = excluded.detail,
        at = excluded.at`.execute(db);
  }
};

/** Folds a batch into the read models, inside the projector's transaction. */
export const projectSyncRuns = async (db: Db, events: readonly RecordedEvent[]): Promise<void> => {
  // Record events are written a run of them at a time; a run event in between is applied in its place, so
  // a record event never lands before the run it belongs to exists.
  let pending: RecordedEvent[] = [];
  const flush = async () => {
    if (pending.length > 0) await applyRecordEvents(db, pending);
    pending = [];
  };
  for (const event of events) {
    const category = categoryOf(event.streamName);
    if (category === 'record') pending.push(event);
    else if (category === 'sync') {
      await flush();
      await applySyncEvent(db, event);
    }
  }
  await flush();
};

export const resetSyncRuns = async (db: Db): Promise<void> => {
  await sql`truncate table sync_runs, sync_run_records, sync_run_record_steps, sync_cursors`.execute(db);
};

export interface SyncRunView {
  readonly syncId: string;
  readonly tenantId: string;
  readonly type: RecordType;
  readonly direction: 'push' | 'pull';
  readonly scope: unknown;
  readonly dryRun: boolean;
  readonly retryOf: string | null;
  readonly requestedBy: string;
  readonly status: SyncRunStatus;
  /** The run's totals once it finished; while it runs, what its record outcomes add up to so far. */
  readonly counts: SyncCounts;
  readonly plan: unknown;
  readonly cursor: string | null;
  readonly reason: string | null;
  readonly workerId: string | null;
  /** Set while the run waits on QuickBooks' limits (a 429): until when. */
  readonly waitingUntil: string | null;
  readonly requestedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Runs of the same tenant and type that are ahead of this one in the queue (0 once it runs). */
  readonly queuedBehind: number;
  readonly requestPosition: { readonly commit: bigint; readonly prepare: bigint };
}

interface RunRow {
  sync_id: string;
  tenant_id: string;
  record_type: string;
  direction: 'push' | 'pull';
  scope: unknown;
  dry_run: boolean;
  retry_of: string | null;
  requested_by: string;
  status: SyncRunStatus;
  counts: SyncCounts | null;
  plan: unknown;
  cursor: string | null;
  reason: string | null;
  worker_id: string | null;
  waiting_until: Date | null;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  request_commit: string;
  request_prepare: string;
  queued_behind: string;
}

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

const toView = (row: RunRow): SyncRunView => ({
  syncId: row.sync_id,
  tenantId: row.tenant_id,
  type: row.record_type as RecordType,
  direction: row.direction,
  scope: row.scope,
  dryRun: row.dry_run,
  retryOf: row.retry_of,
  requestedBy: row.requested_by,
  status: row.status,
  counts: row.counts ?? emptySyncCounts(),
  plan: row.plan,
  cursor: row.cursor,
  reason: row.reason,
  workerId: row.worker_id,
  waitingUntil: iso(row.waiting_until),
  requestedAt: row.requested_at.toISOString(),
  startedAt: iso(row.started_at),
  finishedAt: iso(row.finished_at),
  queuedBehind: Number(row.queued_behind),
  requestPosition: { commit: BigInt(row.request_commit), prepare: BigInt(row.request_prepare) },
});

const runSelect = sql`select r.*,
    case when r.status = 'requested' then (select count(*) from sync_runs a where a.tenant_id = r.tenant_id and a.record_type = r.record_type
      and a.status in ('requested', 'running') and (a.request_commit, a.request_prepare) < (r.request_commit, r.request_prepare)) else 0 end as queued_behind
  from sync_runs r`;

export const getSyncRun = async (db: Db, tenantId: string, syncId: string): Promise<SyncRunView | null> => {
  const { rows } = await sql<RunRow>`${runSelect} where r.tenant_id = ${tenantId} and r.sync_id = ${syncId}`.execute(db);
  return rows[0] === undefined ? null : toView(rows[0]);
};

export interface SyncRunFilter {
  readonly type?: RecordType;
  readonly direction?: 'push' | 'pull';
  readonly status?: SyncRunStatus;
}

export interface SyncRunPage {
  readonly items: readonly SyncRunView[];
  /** Opaque: pass back as `after` for the next page (newest first). */
  readonly nextAfter: string | null;
}

const encodeRunKey = (view: SyncRunView): string => Buffer.from(`${view.requestedAt}|${view.syncId}`).toString('base64url');

/** Decodes a run page key; null when it is not one this module made. */
export const decodeRunKey = (key: string): { at: string; syncId: string } | null => {
  const text = Buffer.from(key, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar === -1) return null;
  const at = text.slice(0, bar);
  if (Number.isNaN(Date.parse(at))) return null;
  return { at, syncId: text.slice(bar + 1) };
};

/** Newest first, keyset-paged on (requested_at, sync_id). */
export const listSyncRuns = async (db: Db, tenantId: string, filter: SyncRunFilter, page: { readonly limit: number; readonly after?: string | null }): Promise<SyncRunPage> => {
  const key = page.after == null ? null : decodeRunKey(page.after);
  const parts = [sql`r.tenant_id = ${tenantId}`];
  if (filter.type !== undefined) parts.push(sql`r.record_type = ${filter.type}`);
  if (filter.direction !== undefined) parts.push(sql`r.direction = ${filter.direction}`);
  if (filter.status !== undefined) parts.push(sql`r.status = ${filter.status}`);
  if (key !== null) parts.push(sql`(r.requested_at, r.sync_id) < (${key.at}::timestamptz, ${key.syncId})`);
  const { rows } = await sql<RunRow>`${runSelect} where ${sql.join(parts, sql` and `)}
    order by r.requested_at desc, r.sync_id desc limit ${page.limit + 1}`.execute(db);
  const items = rows.slice(0, page.limit).map(toView);
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > page.limit && last !== undefined ? encodeRunKey(last) : null };
};

export interface RunRecordView {
  readonly type: RecordType;
  readonly localId: string;
  readonly qboId: string | null;
  readonly outcome: RunRecordOutcome;
  readonly operation: string | null;
  readonly linkedVia: string | null;
  readonly error: SyncError | null;
  readonly attempt: number | null;
  readonly parked: boolean;
  readonly detail: unknown;
  readonly at: string;
  /** Everything the record went through in the run, in order. */
  readonly steps: readonly RunRecordStep[];
}

export interface RunRecordStep {
  readonly event: string;
  readonly at: string;
  readonly detail: Record<string, unknown>;
}

interface RunRecordRow {
  record_type: string;
  local_id: string;
  qbo_id: string | null;
  outcome: RunRecordOutcome;
  operation: string | null;
  linked_via: string | null;
  error: SyncError | null;
  attempt: number | null;
  parked: boolean;
  detail: unknown;
  at: Date;
}

export interface RunRecordPage {
  readonly items: readonly RunRecordView[];
  readonly nextAfter: string | null;
}

const encodeRecordKey = (view: RunRecordView): string => Buffer.from(JSON.stringify([view.type, view.localId])).toString('base64url');

export const decodeRunRecordKey = (key: string): { type: string; localId: string } | null => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(key, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') return { type: parsed[0], localId: parsed[1] };
  } catch {
    // not one of ours: the caller answers 400
  }
  return null;
};

/** The per-record outcomes of a run (of one tenant: a run id from another tenant lists nothing). */
export const listSyncRunRecords = async (
  db: Db,
  tenantId: string,
  syncId: string,
  filter: { readonly outcome?: RunRecordOutcome; readonly type?: RecordType },
  page: { readonly limit: number; readonly after?: string | null },
): Promise<RunRecordPage> => {
  const key = page.after == null ? null : decodeRunRecordKey(page.after);
  const parts = [sql`sync_id = ${syncId}`, sql`tenant_id = ${tenantId}`];
  if (filter.outcome !== undefined) parts.push(sql`outcome = ${filter.outcome}`);
  if (filter.type !== undefined) parts.push(sql`record_type = ${filter.type}`);
  if (key !== null) parts.push(sql`(record_type, local_id) > (${key.type}, ${key.localId})`);
  const { rows } = await sql<RunRecordRow>`select * from sync_run_records where ${sql.join(parts, sql` and `)}
    order by record_type, local_id limit ${page.limit + 1}`.execute(db);
  const shown = rows.slice(0, page.limit);
  const steps = new Map<string, RunRecordStep[]>();
  if (shown.length > 0) {
    const { rows: stepRows } = await sql<{ record_type: string; local_id: string; event_type: string; detail: Record<string, unknown>; at: Date }>`
      select s.record_type, s.local_id, s.event_type, s.detail, s.at from sync_run_record_steps s
      join unnest(${shown.map((row) => row.record_type)}::text[], ${shown.map((row) => row.local_id)}::text[]) as k(record_type, local_id) using (record_type, local_id)
      where s.sync_id = ${syncId} and s.tenant_id = ${tenantId}
      order by s.record_type, s.local_id, s.commit_position, s.prepare_position`.execute(db);
    for (const step of stepRows) {
      const k = `${step.record_type}\u0000${step.local_id}`;
      steps.set(k, [...(steps.get(k) ?? []), { event: step.event_type, at: step.at.toISOString(), detail: step.detail }]);
    }
  }
  const items: RunRecordView[] = shown.map((row) => ({
    type: row.record_type as RecordType,
    localId: row.local_id,
    qboId: row.qbo_id,
    outcome: row.outcome,
    operation: row.operation,
    linkedVia: row.linked_via,
    error: row.error,
    attempt: row.attempt,
    parked: row.parked,
    detail: row.detail,
    at: row.at.toISOString(),
    steps: steps.get(`${row.record_type}\u0000${row.local_id}`) ?? [],
  }));
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > page.limit && last !== undefined ? encodeRecordKey(last) : null };
};

/** The local ids a run parked as failed, of the run's own type: what retry-failed asks for again. */
export const listParkedFailures = async (db: Db, tenantId: string, syncId: string, type: RecordType, limit: number): Promise<string[]> => {
  const { rows } = await sql<{ local_id: string }>`select local_id from sync_run_records
    where sync_id = ${syncId} and tenant_id = ${tenantId} and record_type = ${type} and outcome = 'failed' and parked
    order by local_id limit ${limit}`.execute(db);
  return rows.map((row) => row.local_id);
};

/** Where the next incremental pull of this tenant's type starts; null before the first completed pull. */
export const readSyncCursor = async (db: Db, tenantId: string, type: RecordType): Promise<string | null> => {
  const { rows } = await sql<{ cursor: string }>`select cursor from sync_cursors where tenant_id = ${tenantId} and record_type = ${type}`.execute(db);
  return rows[0]?.cursor ?? null;
};
