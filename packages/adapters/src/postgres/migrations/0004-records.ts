// Read models of the sync engine, filled by the projector from record, sync and settings events: the latest
// state and link of every local record, each run with its totals and per-record outcomes, the pull cursor per
// (tenant, type), and the sync settings per (tenant, type). All rebuildable from the log.

import { type Kysely, type Migration, sql } from 'kysely';

export const recordsTables: Migration = {
  up: async (db: Kysely<unknown>) => {
    // One row per local record (host-owned or a mirror of a QBO record), holding the records decider's folded
    // state and the columns derived from it. `record` is null for a row known only from a link event so far;
    // synced_hash is the content both sides agreed on last.
    await sql`
      CREATE TABLE records (
        tenant_id              text        NOT NULL,
        record_type            text        NOT NULL,
        local_id               text        NOT NULL,
        state                  jsonb       NOT NULL,
        record                 jsonb,
        content_hash           text,
        local_revision         integer     NOT NULL DEFAULT 0,
        deleted                boolean     NOT NULL DEFAULT false,
        qbo_id                 text,
        sync_token             text,
        linked_via             text,
        generation             integer     NOT NULL DEFAULT 0,
        remote_status          text CHECK (remote_status IN ('active', 'inactive', 'voided', 'deleted')),
        remote_updated_at      timestamptz,
        synced_hash            text,
        last_pushed_sync_token text,
        sync_status            text        NOT NULL CHECK (sync_status IN ('pending', 'synced', 'failed', 'review', 'conflict')),
        last_synced_at         timestamptz,
        last_error             jsonb,
        review                 jsonb,
        last_sync_id           text,
        created_at             timestamptz NOT NULL,
        updated_at             timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, record_type, local_id),
        -- One local record per QBO record (the qbolink claim guarantees it in the log; this holds the view to it).
        -- Checked at commit: a batch may move a QBO id from an unlinked record to another in any row order.
        CONSTRAINT records_qbo_id_unique UNIQUE (tenant_id, record_type, qbo_id) DEFERRABLE INITIALLY DEFERRED
      )`.execute(db);
    await sql`CREATE INDEX records_status ON records (tenant_id, record_type, sync_status, local_id)`.execute(db);

    await sql`
      CREATE TABLE sync_runs (
        sync_id       text PRIMARY KEY,
        tenant_id     text        NOT NULL,
        record_type   text        NOT NULL,
        direction     text        NOT NULL CHECK (direction IN ('push', 'pull')),
        scope         jsonb       NOT NULL,
        dry_run       boolean     NOT NULL,
        retry_of      text,
        requested_by  text        NOT NULL,
        status        text        NOT NULL CHECK (status IN ('requested', 'running', 'completed', 'completed_with_failures', 'failed', 'cancelled')),
        counts        jsonb,
        plan          jsonb,
        cursor        text,
        reason        text,
        worker_id     text,
        requested_at  timestamptz NOT NULL,
        started_at    timestamptz,
        finished_at   timestamptz,
        -- where SyncRequested sits in the log: the worker waits for the records projection to pass it
        request_commit  bigint    NOT NULL,
        request_prepare bigint    NOT NULL
      )`.execute(db);
    await sql`CREATE INDEX sync_runs_tenant_requested ON sync_runs (tenant_id, requested_at DESC, sync_id DESC)`.execute(db);

    // The last outcome of each record a run touched (dependencies pushed by the run included).
    await sql`
      CREATE TABLE sync_run_records (
        sync_id     text        NOT NULL,
        record_type text        NOT NULL,
        local_id    text        NOT NULL,
        tenant_id   text        NOT NULL,
        qbo_id      text,
        outcome     text        NOT NULL,
        operation   text,
        linked_via  text,
        error       jsonb,
        attempt     integer,
        parked      boolean     NOT NULL DEFAULT false,
        detail      jsonb,
        at          timestamptz NOT NULL,
        PRIMARY KEY (sync_id, record_type, local_id)
      )`.execute(db);
    await sql`CREATE INDEX sync_run_records_outcome ON sync_run_records (sync_id, outcome, record_type, local_id)`.execute(db);

    await sql`
      CREATE TABLE sync_cursors (
        tenant_id   text        NOT NULL,
        record_type text        NOT NULL,
        cursor      text        NOT NULL,
        sync_id     text        NOT NULL,
        updated_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, record_type)
      )`.execute(db);

    await sql`
      CREATE TABLE sync_settings (
        tenant_id       text        NOT NULL,
        record_type     text        NOT NULL,
        mode            text        NOT NULL CHECK (mode IN ('manual', 'scheduled', 'realtime')),
        schedule        text,
        conflict_policy text        NOT NULL CHECK (conflict_policy IN ('qbo_wins', 'local_wins', 'review')),
        changed_by      text        NOT NULL,
        updated_at      timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, record_type)
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    for (const table of ['sync_settings', 'sync_cursors', 'sync_run_records', 'sync_runs', 'records']) {
      await sql`DROP TABLE ${sql.table(table)}`.execute(db);
    }
  },
};
