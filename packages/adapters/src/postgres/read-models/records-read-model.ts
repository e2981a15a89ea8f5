// The `records` read model: one row per local record with its latest canonical content and its link to QBO
// (id, SyncToken, remote status, the hash both sides agreed on, sync status, last error). Folded here from
// record events by the projector with the records decider's own evolve (so the view and the decider agree),
// and read here by the api (get one, filtered pages) and the worker (keyset-paged streams for planning).
// Exactly-once comes from the projector: rows and checkpoint commit together, and redelivered events are
// dropped before they reach this fold.

import type { RecordEvent, RecordState, RecordType, RecordedEvent, SyncError } from '@qbo-sync/domain';
import { parseRecordStreamName, recordDecider, recordSyncStatus } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<unknown>;

export const RECORDS_PROJECTION = 'records';
export const RECORDS_CATEGORIES = ['record'] as const;

export type SyncStatus = 'pending' | 'synced' | 'failed' | 'review' | 'conflict';
export const SYNC_STATUSES = ['pending', 'synced', 'failed', 'review', 'conflict'] as const satisfies readonly SyncStatus[];

interface RowState {
  readonly state: RecordState;
  readonly lastError: RecordLastError | null;
  readonly lastSyncedAt: string | null;
  readonly remoteUpdatedAt: string | null;
  readonly lastSyncId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const keyOf = (tenantId: string, type: string, localId: string) => JSON.stringify([tenantId, type, localId]);

/** The row's columns as the decider's own state and status rules say: the read model cannot drift from the decider. */
const nextRow = (row: RowState, event: RecordedEvent, at: string): RowState => {
  const known = event as unknown as RecordEvent;
  const state = recordDecider.evolve(row.state, known);
  const syncId = (known.data as { syncId?: string | null }).syncId ?? null;
  let lastError = state.lastError === null ? null : row.lastError;
  if (known.type === 'RecordSyncFailed') {
    const d = known.data;
    lastError = { ...d.error, direction: d.direction, attempt: d.attempt, parked: d.parked, syncId: d.syncId, at };
  }
  const synced = known.type === 'RecordPushed' || known.type === 'RemoteRecordChanged' || known.type === 'RemoteRecordDeleted';
  return {
    state,
    lastError,
    lastSyncedAt: synced ? at : row.lastSyncedAt,
    remoteUpdatedAt: known.type === 'RemoteRecordChanged' ? known.data.remoteUpdatedAt : row.remoteUpdatedAt,
    lastSyncId: syncId ?? row.lastSyncId,
    createdAt: row.createdAt,
    updatedAt: at,
  };
};

const reviewOf = (state: RecordState): Record<string, unknown> | null => {
  if (state.conflict !== null) {
    const { policy, localContentHash, remoteSyncToken, differences, remote } = state.conflict;
    return { reason: 'conflict', policy, localContentHash, remoteSyncToken, differences, remote };
  }
  if (state.review !== null) return { reason: 'ambiguous_match', rule: state.review.rule, candidates: state.review.candidates };
  return null;
};

const json = (value: unknown) => sql`${value === null ? null : JSON.stringify(value)}::jsonb`;

const rowValues = (tenantId: string, type: string, localId: string, row: RowState) => {
  const { state } = row;
  return sql`(${tenantId}, ${type}, ${localId}, ${json(state)}, ${json(state.record)}, ${state.contentHash}, ${state.localRevision}, ${state.deleted},
    ${state.link?.qboId ?? null}, ${state.link?.syncToken ?? null}, ${state.link?.via ?? null}, ${state.generation}, ${state.remoteStatus},
    ${row.remoteUpdatedAt}::timestamptz, ${state.syncedHash}, ${state.lastPushedSyncToken}, ${recordSyncStatus(state)}, ${row.lastSyncedAt}::timestamptz,
    ${json(row.lastError)}, ${json(reviewOf(state))}, ${row.lastSyncId}, ${row.createdAt}::timestamptz, ${row.updatedAt}::timestamptz)`;
};

interface StoredRow {
  tenant_id: string;
  record_type: string;
  local_id: string;
  state: RecordState;
  last_error: RecordLastError | null;
  last_synced_at: Date | null;
  remote_updated_at: Date | null;
  last_sync_id: string | null;
  created_at: Date;
  updated_at: Date;
}

// 23 parameters a row; Postgres allows 65,535 per statement.
const ROWS_PER_UPSERT = 1_000;

/**
 * Folds a batch into the read model, inside the projector's transaction: reads the touched rows' decider
 * state in one query, evolves it event by event, and writes every touched row back in one upsert.
 */
export const projectRecords = async (db: Db, events: readonly RecordedEvent[]): Promise<void> => {
  const touched = new Map<string, { tenantId: string; type: string; localId: string; row: RowState | null }>();
  const relevant: { event: RecordedEvent; key: string }[] = [];
  for (const event of events) {
    const parsed = parseRecordStreamName(event.streamName);
    if (parsed === null) continue;
    const key = keyOf(parsed.tenantId, parsed.type, parsed.localId);
    if (!touched.has(key)) touched.set(key, { ...parsed, localId: parsed.localId, row: null });
    relevant.push({ event, key });
  }
  if (relevant.length === 0) return;
  const entries = [...touched.values()];
  // One indexed lookup per tenant and type (a batch is nearly always one of each): a join against an unnest of
  // keys let the planner scan the whole table, which made each batch slower as the table grew.
  const groups = new Map<string, { tenantId: string; type: string; localIds: string[] }>();
  for (const entry of entries) {
    const group = groups.get(`${entry.tenantId}\u0000${entry.type}`) ?? { tenantId: entry.tenantId, type: entry.type, localIds: [] };
    group.localIds.push(entry.localId);
    groups.set(`${entry.tenantId}\u0000${entry.type}`, group);
  }
  const rows: StoredRow[] = [];
  for (const group of groups.values()) {
    const found = await sql<StoredRow>`select r.tenant_id, r.record_type, r.local_id, r.state, r.last_error, r.last_synced_at, r.remote_updated_at,
        r.last_sync_id, r.created_at, r.updated_at
      from records r where r.tenant_id = ${group.tenantId} and r.record_type = ${group.type} and r.local_id = any(${group.localIds}::text[])`.execute(db);
    rows.push(...found.rows);
  }
  for (const stored of rows) {
    const entry = touched.get(keyOf(stored.tenant_id, stored.record_type, stored.local_id));
    if (entry === undefined) continue;
    entry.row = {
      state: stored.state,
      lastError: stored.last_error,
      lastSyncedAt: stored.last_synced_at?.toISOString() ?? null,
      remoteUpdatedAt: stored.remote_updated_at?.toISOString() ?? null,
      lastSyncId: stored.last_sync_id,
      createdAt: stored.created_at.toISOString(),
      updatedAt: stored.updated_at.toISOString(),
    };
  }
  for (const { event, key } of relevant) {
    const entry = touched.get(key);
    if (entry === undefined) continue;
    const at = (event.data as { at?: string } | null)?.at ?? event.recordedAt.toISOString();
    const row: RowState = entry.row ?? {
      state: recordDecider.initialState(),
      lastError: null,
      lastSyncedAt: null,
      remoteUpdatedAt: null,
      lastSyncId: null,
      createdAt: at,
      updatedAt: at,
    };
    entry.row = nextRow(row, event, at);
  }
  for (let start = 0; start < entries.length; start += ROWS_PER_UPSERT) {
    const values = entries.slice(start, start + ROWS_PER_UPSERT).flatMap((e) => (e.row === null ? [] : [rowValues(e.tenantId, e.type, e.localId, e.row)]));
    if (values.length === 0) continue;
    await sql`insert into records (tenant_id, record_type, local_id, state, record, content_hash, local_revision, deleted, qbo_id, sync_token, linked_via,
        generation, remote_status, remote_updated_at, synced_hash, last_pushed_sync_token, sync_status, last_synced_at, last_error, review, last_sync_id,
        created_at, updated_at)
      values ${sql.join(values)}
      on conflict (tenant_id, record_type, local_id) do update set state = excluded.state, record = excluded.record, content_hash = excluded.content_hash,
        local_revision = excluded.local_revision, deleted = excluded.deleted, qbo_id = excluded.qbo_id, sync_token = excluded.sync_token,
        linked_via = excluded.linked_via, generation = excluded.generation, remote_status = excluded.remote_status,
        remote_updated_at = excluded.remote_updated_at, synced_hash = excluded.synced_hash, last_pushed_sync_token = excluded.last_pushed_sync_token,
        sync_status = excluded.sync_status, last_synced_at = excluded.last_synced_at, last_error = excluded.last_error, review = excluded.review,
        last_sync_id = excluded.last_sync_id, updated_at = excluded.updated_at`.execute(db);
  }
};

export const resetRecords = async (db: Db): Promise<void> => {
  await sql`truncate table records`.execute(db);
};

export interface RecordLastError extends SyncError {
  readonly direction: 'push' | 'pull';
  readonly attempt: number;
  readonly parked: boolean;
  readonly syncId: string;
  readonly at: string;
}

export interface RecordView {
  readonly tenantId: string;
  readonly type: RecordType;
  readonly localId: string;
  /** The latest canonical content (the host's, or QBO's after a pull); null for a row known only by its link so far. */
  readonly record: Record<string, unknown> | null;
  readonly contentHash: string | null;
  readonly localRevision: number;
  readonly deleted: boolean;
  readonly link: {
    readonly qboId: string | null;
    readonly syncToken: string | null;
    readonly linkedVia: string | null;
    /** Goes up each time the link is dropped (QBO deleted the record): part of the next create's requestid. */
    readonly generation: number;
    readonly remoteStatus: 'active' | 'inactive' | 'voided' | 'deleted' | null;
    readonly remoteUpdatedAt: string | null;
    readonly syncedHash: string | null;
    readonly lastPushedSyncToken: string | null;
  };
  readonly syncStatus: SyncStatus;
  readonly lastSyncedAt: string | null;
  readonly lastSyncId: string | null;
  readonly lastError: RecordLastError | null;
  /** Why the record waits for a person: an ambiguous match (with candidates) or a conflict (with differences). */
  readonly review: Record<string, unknown> | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The records decider's folded state, for the worker's planners. */
  readonly state: RecordState;
}

interface RecordRow {
  tenant_id: string;
  record_type: string;
  local_id: string;
  state: RecordState;
  record: Record<string, unknown> | null;
  content_hash: string | null;
  local_revision: number;
  deleted: boolean;
  qbo_id: string | null;
  sync_token: string | null;
  linked_via: string | null;
  generation: number;
  remote_status: RecordView['link']['remoteStatus'];
  remote_updated_at: Date | null;
  synced_hash: string | null;
  last_pushed_sync_token: string | null;
  sync_status: SyncStatus;
  last_synced_at: Date | null;
  last_error: RecordLastError | null;
  review: Record<string, unknown> | null;
  last_sync_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

const toView = (row: RecordRow): RecordView => ({
  tenantId: row.tenant_id,
  type: row.record_type as RecordType,
  localId: row.local_id,
  record: row.record,
  contentHash: row.content_hash,
  localRevision: row.local_revision,
  deleted: row.deleted,
  link: {
    qboId: row.qbo_id,
    syncToken: row.sync_token,
    linkedVia: row.linked_via,
    generation: row.generation,
    remoteStatus: row.remote_status,
    remoteUpdatedAt: iso(row.remote_updated_at),
    syncedHash: row.synced_hash,
    lastPushedSyncToken: row.last_pushed_sync_token,
  },
  syncStatus: row.sync_status,
  lastSyncedAt: iso(row.last_synced_at),
  lastSyncId: row.last_sync_id,
  lastError: row.last_error,
  review: row.review,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  state: row.state,
});

export const getRecord = async (db: Db, tenantId: string, type: RecordType, localId: string): Promise<RecordView | null> => {
  const { rows } = await sql<RecordRow>`select * from records
    where tenant_id = ${tenantId} and record_type = ${type} and local_id = ${localId}`.execute(db);
  return rows[0] === undefined ? null : toView(rows[0]);
};

export const getRecordsByLocalIds = async (db: Db, tenantId: string, type: RecordType, localIds: readonly string[]): Promise<RecordView[]> => {
  if (localIds.length === 0) return [];
  const { rows } = await sql<RecordRow>`select * from records
    where tenant_id = ${tenantId} and record_type = ${type} and local_id = any(${[...localIds]}::text[]) order by local_id`.execute(db);
  return rows.map(toView);
};

export const getRecordByQboId = async (db: Db, tenantId: string, type: RecordType, qboId: string): Promise<RecordView | null> => {
  const { rows } = await sql<RecordRow>`select * from records
    where tenant_id = ${tenantId} and record_type = ${type} and qbo_id = ${qboId}`.execute(db);
  return rows[0] === undefined ? null : toView(rows[0]);
};

export interface RecordFilter {
  readonly syncStatus?: SyncStatus;
  /** true: only records linked to QBO; false: only unlinked ones. */
  readonly linked?: boolean;
  readonly deleted?: boolean;
  readonly qboId?: string;
  /** Only records the local side holds something new for (the decider's needsPush): what a push plans. */
  readonly changed?: boolean;
  /** Rows updated at or after this instant. */
  readonly updatedSince?: string;
}

export interface RecordPage {
  readonly items: readonly RecordView[];
  /** Pass back as `after` for the next page; null on the last page. */
  readonly nextAfter: string | null;
}

const filterSql = (filter: RecordFilter) => {
  const parts = [sql`true`];
  if (filter.syncStatus !== undefined) parts.push(sql`sync_status = ${filter.syncStatus}`);
  if (filter.linked !== undefined) parts.push(filter.linked ? sql`qbo_id is not null` : sql`qbo_id is null`);
  if (filter.deleted !== undefined) parts.push(sql`deleted = ${filter.deleted}`);
  if (filter.qboId !== undefined) parts.push(sql`qbo_id = ${filter.qboId}`);
  // The decider's needsPush, in SQL.
  if (filter.changed === true) {
    parts.push(sql`(state->>'exists')::boolean and ((deleted and qbo_id is not null and remote_status = 'active')
      or (not deleted and (qbo_id is null or content_hash is distinct from synced_hash)))`);
  }
  if (filter.updatedSince !== undefined) parts.push(sql`updated_at >= ${filter.updatedSince}`);
  return sql.join(parts, sql` and `);
};

/** One page in local id order, after the given local id (keyset: stable and cheap at any depth). */
export const listRecords = async (
  db: Db,
  tenantId: string,
  type: RecordType,
  filter: RecordFilter,
  page: { readonly limit: number; readonly after?: string | null },
): Promise<RecordPage> => {
  const after = page.after ?? null;
  const { rows } = await sql<RecordRow>`select * from records
    where tenant_id = ${tenantId} and record_type = ${type} and ${filterSql(filter)}
      and (${after}::text is null or local_id > ${after}::text)
    order by local_id limit ${page.limit + 1}`.execute(db);
  const items = rows.slice(0, page.limit).map(toView);
  return { items, nextAfter: rows.length > page.limit ? (items[items.length - 1]?.localId ?? null) : null };
};

/** Every matching record, a page at a time, never the whole set in memory. */
export async function* streamRecords(db: Db, tenantId: string, type: RecordType, filter: RecordFilter, pageSize = 500): AsyncGenerator<readonly RecordView[]> {
  let after: string | null = null;
  for (;;) {
    const page: RecordPage = await listRecords(db, tenantId, type, filter, { limit: pageSize, after });
    if (page.items.length > 0) yield page.items;
    if (page.nextAfter === null) return;
    after = page.nextAfter;
  }
}

export const countRecordsByStatus = async (db: Db, tenantId: string, type: RecordType): Promise<Record<SyncStatus, number>> => {
  const { rows } = await sql<{ sync_status: SyncStatus; n: string }>`select sync_status, count(*) as n from records
    where tenant_id = ${tenantId} and record_type = ${type} group by sync_status`.execute(db);
  const counts: Record<SyncStatus, number> = { pending: 0, synced: 0, failed: 0, review: 0, conflict: 0 };
  for (const row of rows) counts[row.sync_status] = Number(row.n);
  return counts;
};

/** Where a projection has got to in the log (null before its first event): the worker waits on it to read its own writes. */
export const readProjectionPosition = async (db: Db, projection: string): Promise<{ commit: bigint; prepare: bigint } | null> => {
  const { rows } = await sql<{ commit_position: string | null; prepare_position: string | null }>`
    select commit_position, prepare_position from projection_checkpoints where projection = ${projection}`.execute(db);
  const row = rows[0];
  if (row === undefined || row.commit_position === null || row.prepare_position === null) return null;
  return { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
};
