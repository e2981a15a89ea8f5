// The `sync_settings` read model: per tenant and record type, the sync mode, its schedule and the conflict
// policy, folded from `settings-{tenant}` events. A type never configured reads as the defaults (manual,
// conflicts held for review), so the worker and the api always get an answer.

import type { ConflictPolicy, RecordType, RecordedEvent, SyncSettingsChanged } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<unknown>;

export const SYNC_SETTINGS_PROJECTION = 'sync_settings';
export const SYNC_SETTINGS_CATEGORIES = ['settings'] as const;

export type SyncMode = SyncSettingsChanged['data']['mode'];

export interface SyncSettingsView {
  readonly tenantId: string;
  readonly type: RecordType;
  readonly mode: SyncMode;
  readonly schedule: string | null;
  readonly conflictPolicy: ConflictPolicy;
  /** null while the defaults apply. */
  readonly changedBy: string | null;
  readonly updatedAt: string | null;
}

export const DEFAULT_SYNC_SETTINGS = { mode: 'manual', schedule: null, conflictPolicy: 'review' } as const;

export const projectSyncSettings = async (db: Db, events: readonly RecordedEvent[]): Promise<void> => {
  for (const event of events) {
    if (event.type !== 'SyncSettingsChanged') continue;
    const d = (event as unknown as SyncSettingsChanged).data;
    await sql`insert into sync_settings (tenant_id, record_type, mode, schedule, conflict_policy, changed_by, updated_at)
              values (${event.metadata.tenantId}, ${d.recordType}, ${d.mode}, ${d.schedule}, ${d.conflictPolicy}, ${d.changedBy}, ${d.at})
              on conflict (tenant_id, record_type) do update set mode = excluded.mode, schedule = excluded.schedule,
                conflict_policy = excluded.conflict_policy, changed_by = excluded.changed_by, updated_at = excluded.updated_at`.execute(db);
  }
};

export const resetSyncSettings = async (db: Db): Promise<void> => {
  await sql`truncate table sync_settings`.execute(db);
};

interface SettingsRow {
  record_type: string;
  mode: SyncMode;
  schedule: string | null;
  conflict_policy: ConflictPolicy;
  changed_by: string;
  updated_at: Date;
}

export const readSyncSettings = async (db: Db, tenantId: string, type: RecordType): Promise<SyncSettingsView> => {
  const { rows } = await sql<SettingsRow>`select * from sync_settings where tenant_id = ${tenantId} and record_type = ${type}`.execute(db);
  const row = rows[0];
  if (row === undefined) return { tenantId, type, ...DEFAULT_SYNC_SETTINGS, changedBy: null, updatedAt: null };
  return { tenantId, type, mode: row.mode, schedule: row.schedule, conflictPolicy: row.conflict_policy, changedBy: row.changed_by, updatedAt: row.updated_at.toISOString() };
};
