// The RecordDirectory port on Postgres: `record_directory` (one row per local record: its folded state, the
// QBO record it holds, whether it has something for QBO) and `record_match_keys` (an unlinked record's keys
// under its matching rules). Both are written by an inline projection of the Postgres event store, inside the
// transaction of the append that changed them, so the write side's searches are never behind the log.

import type { MatchRuleName, RecordDirectory, RecordType } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import type { PostgresInlineProjection } from '../postgres-event-store.js';
import { foldDirectoryRows, writeDirectoryRows } from './record-directory-rows.js';

export const RECORD_DIRECTORY_PROJECTION = 'record_directory';

/** Give this to the Postgres event store of every process that appends record events. */
export const recordDirectoryProjection: PostgresInlineProjection = {
  name: RECORD_DIRECTORY_PROJECTION,
  apply: async (trx, events) => {
    const records = events.filter((event) => event.streamName.startsWith('record-'));
    if (records.length > 0) await writeDirectoryRows(trx, await foldDirectoryRows(trx, records));
  },
};

export const createPostgresRecordDirectory = (db: Kysely<unknown>): RecordDirectory => ({
  localIdsOf: async (tenantId, type, qboIds) => {
    if (qboIds.length === 0) return new Map();
    const { rows } = await sql<{ qbo_id: string; local_id: string }>`select qbo_id, local_id from record_directory
      where tenant_id = ${tenantId} and record_type = ${type} and qbo_id = any(${[...new Set(qboIds)]}::text[])`.execute(db);
    return new Map(rows.map((row) => [row.qbo_id, row.local_id]));
  },
  qboIdsOf: async (tenantId, type, localIds) => {
    if (localIds.length === 0) return new Map();
    const { rows } = await sql<{ qbo_id: string; local_id: string }>`select qbo_id, local_id from record_directory
      where tenant_id = ${tenantId} and record_type = ${type} and local_id = any(${[...new Set(localIds)]}::text[]) and qbo_id is not null`.execute(db);
    return new Map(rows.map((row) => [row.local_id, row.qbo_id]));
  },
  unlinkedByMatchKey: async (tenantId, type, rule: MatchRuleName, keys) => {
    if (keys.length === 0) return new Map();
    const { rows } = await sql<{ match_key: string; local_id: string }>`select match_key, local_id from record_match_keys
      where tenant_id = ${tenantId} and record_type = ${type} and rule = ${rule} and match_key = any(${[...new Set(keys)]}::text[]) order by local_id`.execute(db);
    const out = new Map<string, string[]>();
    for (const row of rows) out.set(row.match_key, [...(out.get(row.match_key) ?? []), row.local_id]);
    return out;
  },
  localIds: async (tenantId, type: RecordType, page) => {
    const { rows } = await sql<{ local_id: string }>`select local_id from record_directory
      where tenant_id = ${tenantId} and record_type = ${type} and record_exists
        ${page.needsPush === true ? sql`and needs_push` : sql``}
        ${page.after === null ? sql`` : sql`and local_id collate "C" > ${page.after}`}
      order by local_id collate "C" limit ${page.limit}`.execute(db);
    return rows.map((row) => row.local_id);
  },
  linked: async (tenantId, type, page) => {
    const { rows } = await sql<{ local_id: string; qbo_id: string }>`select local_id, qbo_id from record_directory
      where tenant_id = ${tenantId} and record_type = ${type} and qbo_id is not null and remote_status is distinct from 'deleted'
        ${page.after === null ? sql`` : sql`and local_id collate "C" > ${page.after}`}
      order by local_id collate "C" limit ${page.limit}`.execute(db);
    return rows.map((row) => ({ localId: row.local_id, qboId: row.qbo_id }));
  },
});
