// The projector's own tables: one checkpoint row per projection (saved in the same transaction as the
// projection's rows), and the first read model, the activity log: one row per event, keyed by event id,
// which the activity view and the event explorer read.

import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely';

export const projectionTables: Migration = {
  up: async (db: Kysely<unknown>) => {
    await db.schema
      .createTable('projection_checkpoints')
      .addColumn('projection', 'text', (column) => column.primaryKey())
      // Both parts of a LogPosition; null while the projection has seen nothing (it starts from 'start').
      .addColumn('commit_position', 'bigint')
      .addColumn('prepare_position', 'bigint')
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .addCheckConstraint('projection_checkpoints_position_whole', sql`(commit_position is null) = (prepare_position is null)`)
      .execute();

    await db.schema
      .createTable('activity_log')
      .addColumn('event_id', 'text', (column) => column.primaryKey())
      .addColumn('commit_position', 'bigint', (column) => column.notNull())
      .addColumn('prepare_position', 'bigint', (column) => column.notNull())
      .addColumn('stream_name', 'text', (column) => column.notNull())
      .addColumn('stream_revision', 'bigint', (column) => column.notNull())
      .addColumn('category', 'text', (column) => column.notNull())
      .addColumn('event_type', 'text', (column) => column.notNull())
      .addColumn('tenant_id', 'text', (column) => column.notNull())
      .addColumn('correlation_id', 'text', (column) => column.notNull())
      .addColumn('causation_id', 'text')
      .addColumn('actor_type', 'text', (column) => column.notNull())
      .addColumn('actor_id', 'text', (column) => column.notNull())
      .addColumn('schema_version', 'integer', (column) => column.notNull())
      .addColumn('recorded_at', 'timestamptz', (column) => column.notNull())
      .execute();
    // The activity view lists a tenant's events newest first, and drills into one correlation (a sync run).
    await db.schema.createIndex('activity_log_tenant_position').on('activity_log').columns(['tenant_id', 'commit_position', 'prepare_position']).execute();
    await db.schema.createIndex('activity_log_tenant_correlation').on('activity_log').columns(['tenant_id', 'correlation_id']).execute();
  },
  down: async (db: Kysely<unknown>) => {
    await db.schema.dropTable('activity_log').execute();
    await db.schema.dropTable('projection_checkpoints').execute();
  },
};
