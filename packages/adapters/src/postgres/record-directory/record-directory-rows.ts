// The record directory's rows, folded from record events with the records decider's own evolve and the
// domain's `recordDirectoryEntry`: shared by the inline projection (inside each append's transaction) and the
// migration that builds the table from an existing log, so the two cannot fold differently.

import {
  type RecordDirectoryEntry,
  type RecordState,
  type RecordType,
  type RecordedEvent,
  parseRecordStreamName,
  recordDecider,
  recordDirectoryEntry,
  upcast,
} from '@qbo-sync/domain';
import { type Kysely, type Transaction, sql } from 'kysely';

type Executor = Kysely<unknown> | Transaction<unknown>;

export interface DirectoryRow {
  readonly tenantId: string;
  readonly type: RecordType;
  readonly localId: string;
  readonly revision: bigint;
  readonly state: RecordState;
  readonly entry: RecordDirectoryEntry;
}

const keyOf = (tenantId: string, type: string, localId: string) => JSON.stringify([tenantId, type, localId]);

/** The rows these events touch: one indexed lookup per tenant and type (a page is nearly always one of each). */
const readRows = async (db: Executor, keys: readonly { tenantId: string; type: string; localId: string }[]): Promise<Map<string, { revision: bigint; state: RecordState }>> => {
  const groups = new Map<string, { tenantId: string; type: string; localIds: string[] }>();
  for (const key of keys) {
    const group = groups.get(`${key.tenantId}\u0000${key.type}`) ?? { tenantId: key.tenantId, type: key.type, localIds: [] };
    group.localIds.push(key.localId);
    groups.set(`${key.tenantId}\u0000${key.type}`, group);
  }
  const out = new Map<string, { revision: bigint; state: RecordState }>();
  for (const group of groups.values()) {
    const { rows } = await sql<{ tenant_id: string; record_type: string; local_id: string; revision: string; state: RecordState }>`
      select d.tenant_id, d.record_type, d.local_id, d.revision, d.state from record_directory d
      where d.tenant_id = ${group.tenantId} and d.record_type = ${group.type} and d.local_id = any(${group.localIds}::text[])`.execute(db);
    for (const row of rows) out.set(keyOf(row.tenant_id, row.record_type, row.local_id), { revision: BigInt(row.revision), state: row.state });
  }
  return out;
};

/** Folds record events into the rows they touch; events at or below a row's revision are already in it. */
export const foldDirectoryRows = async (db: Executor, events: readonly RecordedEvent[]): Promise<DirectoryRow[]> => {
  const touched = new Map<string, { tenantId: string; type: RecordType; localId: string; events: RecordedEvent[] }>();
  for (const event of events) {
    const parsed = parseRecordStreamName(event.streamName);
    if (parsed === null) continue;
    const key = keyOf(parsed.tenantId, parsed.type, parsed.localId);
    const entry = touched.get(key) ?? { tenantId: parsed.tenantId, type: parsed.type as RecordType, localId: parsed.localId, events: [] };
    entry.events.push(event);
    touched.set(key, entry);
  }
  if (touched.size === 0) return [];
  const stored = await readRows(db, [...touched.values()]);
  return [...touched].map(([key, { tenantId, type, localId, events: streamEvents }]) => {
    const before = stored.get(key);
    let state = before?.state ?? recordDecider.initialState();
    let revision = before?.revision ?? -1n;
    for (const event of streamEvents) {
      if (event.streamRevision <= revision) continue;
      state = recordDecider.evolve(state, upcast(event) as never);
      revision = event.streamRevision;
    }
    return { tenantId, type, localId, revision, state, entry: recordDirectoryEntry(type, state) };
  });
};

const json = (value: unknown) => JSON.stringify(value);

/** Writes rows and their match keys: a handful of statements whatever the number of rows. */
export const writeDirectoryRows = async (db: Executor, rows: readonly DirectoryRow[]): Promise<void> => {
  if (rows.length === 0) return;
  const col = <T>(pick: (row: DirectoryRow) => T) => rows.map(pick);
  await sql`insert into record_directory (tenant_id, record_type, local_id, revision, state, qbo_id, needs_push, deleted, record_exists, remote_status)
    select * from unnest(${col((r) => r.tenantId)}::text[], ${col((r) => r.type)}::text[], ${col((r) => r.localId)}::text[], ${col((r) => r.revision.toString())}::bigint[],
      ${col((r) => json(r.state))}::jsonb[], ${col((r) => r.entry.qboId)}::text[], ${col((r) => r.entry.needsPush)}::boolean[], ${col((r) => r.entry.deleted)}::boolean[],
      ${col((r) => r.entry.exists)}::boolean[], ${col((r) => r.entry.remoteStatus)}::text[])
    on conflict (tenant_id, record_type, local_id) do update set revision = excluded.revision, state = excluded.state, qbo_id = excluded.qbo_id,
      needs_push = excluded.needs_push, deleted = excluded.deleted, record_exists = excluded.record_exists, remote_status = excluded.remote_status`.execute(db);
  await sql`delete from record_match_keys m using unnest(${col((r) => r.tenantId)}::text[], ${col((r) => r.type)}::text[], ${col((r) => r.localId)}::text[]) as k(tenant_id, record_type, local_id)
    where m.tenant_id = k.tenant_id and m.record_type = k.record_type and m.local_id = k.local_id`.execute(db);
  const keys = rows.flatMap((row) => row.entry.matchKeys.map((match) => ({ row, match })));
  if (keys.length === 0) return;
  await sql`insert into record_match_keys (tenant_id, record_type, rule, match_key, local_id)
    select * from unnest(${keys.map((k) => k.row.tenantId)}::text[], ${keys.map((k) => k.row.type)}::text[], ${keys.map((k) => k.match.rule)}::text[],
      ${keys.map((k) => k.match.key)}::text[], ${keys.map((k) => k.row.localId)}::text[])
    on conflict do nothing`.execute(db);
};
