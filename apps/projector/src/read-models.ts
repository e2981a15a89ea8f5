// The Postgres tables the projector writes, as Kysely sees them (created by migration 0002-projections).
// int8 columns come back from node-postgres as strings; positions are converted at this edge.

import type { ColumnType } from 'kysely';

type Int8 = ColumnType<string, string | bigint, string | bigint>;

export interface ProjectionCheckpointsTable {
  projection: string;
  commit_position: ColumnType<string | null, string | bigint | null, string | bigint | null>;
  prepare_position: ColumnType<string | null, string | bigint | null, string | bigint | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ActivityLogTable {
  event_id: string;
  commit_position: Int8;
  prepare_position: Int8;
  stream_name: string;
  stream_revision: Int8;
  category: string;
  event_type: string;
  tenant_id: string;
  correlation_id: string;
  causation_id: string | null;
  actor_type: string;
  actor_id: string;
  schema_version: number;
  recorded_at: Date;
}

export interface ReadModels {
  projection_checkpoints: ProjectionCheckpointsTable;
  activity_log: ActivityLogTable;
  records: RecordsTable;
  sync_runs: SyncRunsTable;
  sync_run_records: SyncRunRecordsTable;
  sync_cursors: SyncCursorsTable;
  sync_settings: SyncSettingsTable;
  event_feed: EventFeedTable;
}

// The sync engine's read models (migration 0004-records). Their rows are written by the adapters' folds
// (records-read-model.ts, sync-runs-read-model.ts, sync-settings-read-model.ts); jsonb columns are typed loosely.

type Json = ColumnType<unknown, string, string>;

export interface RecordsTable {
  tenant_id: string;
  record_type: string;
  local_id: string;
  state: Json;
  record: Json | null;
  content_hash: string | null;
  local_revision: number;
  deleted: boolean;
  qbo_id: string | null;
  sync_token: string | null;
  linked_via: string | null;
  generation: number;
  remote_status: string | null;
  remote_updated_at: Date | null;
  synced_hash: string | null;
  last_pushed_sync_token: string | null;
  sync_status: string;
  last_synced_at: Date | null;
  last_error: Json | null;
  review: Json | null;
  last_sync_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SyncRunsTable {
  sync_id: string;
  tenant_id: string;
  record_type: string;
  direction: string;
  scope: Json;
  dry_run: boolean;
  retry_of: string | null;
  requested_by: string;
  status: string;
  counts: Json | null;
  plan: Json | null;
  cursor: string | null;
  reason: string | null;
  worker_id: string | null;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  request_commit: Int8;
  request_prepare: Int8;
}

export interface SyncRunRecordsTable {
  sync_id: string;
  record_type: string;
  local_id: string;
  tenant_id: string;
  qbo_id: string | null;
  outcome: string;
  operation: string | null;
  linked_via: string | null;
  error: Json | null;
  attempt: number | null;
  parked: boolean;
  detail: Json | null;
  at: Date;
}

export interface SyncCursorsTable {
  tenant_id: string;
  record_type: string;
  cursor: string;
  sync_id: string;
  updated_at: Date;
}

export interface SyncSettingsTable {
  tenant_id: string;
  record_type: string;
  mode: string;
  schedule: string | null;
  conflict_policy: string;
  changed_by: string;
  updated_at: Date;
}

// The event feed (migration 0018-event-feed), written by the adapters' fold (event-feed-read-model.ts).
export interface EventFeedTable {
  feed_position: Int8;
  event_id: string;
  tenant_id: string;
  event_type: string;
  stream_name: string;
  stream_revision: Int8;
  commit_position: Int8;
  prepare_position: Int8;
  record_type: string | null;
  local_id: string | null;
  sync_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  data: Json;
  metadata: Json;
}
