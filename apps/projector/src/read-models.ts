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
}
