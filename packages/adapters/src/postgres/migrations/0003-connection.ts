// Tables of the QBO connection: the encrypted token vault, single-use OAuth states, the per-realm rate
// limiter shared by every process (a row per realm to serialise on, leases for calls in flight, and a log of
// recent requests), and the connection_status read model the projector fills from connection events.

import { type Kysely, type Migration, sql } from 'kysely';

export const connectionTables: Migration = {
  up: async (db: Kysely<unknown>) => {
    // One row per tenant. Tokens are only ever stored as AES-256-GCM ciphertext; expiries are not secret.
    await sql`
      CREATE TABLE qbo_token_vault (
        tenant_id                     text PRIMARY KEY,
        realm_id                      text        NOT NULL,
        key_id                        text        NOT NULL,
        iv                            bytea       NOT NULL,
        ciphertext                    bytea       NOT NULL,
        auth_tag                      bytea       NOT NULL,
        access_token_expires_at       timestamptz NOT NULL,
        refresh_token_expires_at      timestamptz NOT NULL,
        refresh_token_hard_expires_at timestamptz,
        refreshed_at                  timestamptz NOT NULL,
        version                       bigint      NOT NULL DEFAULT 1,
        updated_at                    timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`CREATE INDEX qbo_token_vault_realm ON qbo_token_vault (realm_id)`.execute(db);

    // Only a hash of the state is kept: the value itself travels through the browser.
    await sql`
      CREATE TABLE oauth_states (
        state_hash           text PRIMARY KEY,
        tenant_id            text        NOT NULL,
        user_id              text        NOT NULL,
        confirm_realm_change boolean     NOT NULL DEFAULT false,
        created_at           timestamptz NOT NULL DEFAULT now(),
        expires_at           timestamptz NOT NULL,
        used_at              timestamptz
      )`.execute(db);
    await sql`CREATE INDEX oauth_states_expires ON oauth_states (expires_at)`.execute(db);

    await sql`
      CREATE TABLE qbo_realm_activity (
        realm_id        text PRIMARY KEY,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        last_failure    text
      )`.execute(db);
    await sql`
      CREATE TABLE qbo_rate_leases (
        lease_id    uuid PRIMARY KEY,
        realm_id    text        NOT NULL,
        holder      text        NOT NULL,
        acquired_at timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL
      )`.execute(db);
    await sql`CREATE INDEX qbo_rate_leases_realm ON qbo_rate_leases (realm_id, expires_at)`.execute(db);
    await sql`
      CREATE TABLE qbo_rate_requests (
        id       bigserial PRIMARY KEY,
        realm_id text        NOT NULL,
        is_batch boolean     NOT NULL,
        sent_at  timestamptz NOT NULL
      )`.execute(db);
    await sql`CREATE INDEX qbo_rate_requests_realm_time ON qbo_rate_requests (realm_id, sent_at)`.execute(db);

    await sql`
      CREATE TABLE connection_status (
        tenant_id                     text PRIMARY KEY,
        realm_id                      text        NOT NULL,
        state                         text        NOT NULL CHECK (state IN ('connected', 'disconnected')),
        company_name                  text        NOT NULL,
        country                       text,
        home_currency                 text,
        multi_currency_enabled        boolean     NOT NULL,
        custom_transaction_numbers    boolean     NOT NULL,
        health                        text        NOT NULL CHECK (health IN ('healthy', 'degraded', 'down')),
        health_reason                 text,
        access_token_expires_at       timestamptz,
        refresh_token_expires_at      timestamptz,
        refresh_token_hard_expires_at timestamptz,
        consecutive_refresh_failures  integer     NOT NULL DEFAULT 0,
        last_refreshed_at             timestamptz,
        last_sync_at                  timestamptz,
        last_error                    text,
        last_error_at                 timestamptz,
        connected_at                  timestamptz,
        disconnected_at               timestamptz,
        updated_at                    timestamptz NOT NULL
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    for (const table of ['connection_status', 'qbo_rate_requests', 'qbo_rate_leases', 'qbo_realm_activity', 'oauth_states', 'qbo_token_vault']) {
      await sql`DROP TABLE ${sql.table(table)}`.execute(db);
    }
  },
};
