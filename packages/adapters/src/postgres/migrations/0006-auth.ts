// Tables of access control: tenants, admin-app users (scrypt password hashes) with their tenant
// memberships, login sessions and tenant-scoped API keys. Session tokens and key secrets are stored only as
// SHA-256 hashes: a copy of this database lets nobody log in or call the api.

import { type Kysely, type Migration, sql } from 'kysely';

export const authTables: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      CREATE TABLE tenants (
        id         text PRIMARY KEY,
        name       text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`
      CREATE TABLE users (
        id            uuid PRIMARY KEY,
        email         text        NOT NULL,
        name          text        NOT NULL,
        role          text        NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
        password_hash text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        disabled_at   timestamptz
      )`.execute(db);
    await sql`CREATE UNIQUE INDEX users_email ON users (lower(email))`.execute(db);
    await sql`
      CREATE TABLE user_tenants (
        user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_id text NOT NULL,
        PRIMARY KEY (user_id, tenant_id)
      )`.execute(db);
    await sql`
      CREATE TABLE auth_sessions (
        token_hash   text PRIMARY KEY,
        user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf_token   text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`CREATE INDEX auth_sessions_user ON auth_sessions (user_id)`.execute(db);
    await sql`CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at)`.execute(db);
    await sql`
      CREATE TABLE api_keys (
        id           text PRIMARY KEY,
        tenant_id    text        NOT NULL,
        name         text        NOT NULL,
        role         text        NOT NULL CHECK (role IN ('operator', 'auditor')),
        secret_hash  text        NOT NULL,
        created_by   text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at   timestamptz
      )`.execute(db);
    await sql`CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at)`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    for (const table of ['api_keys', 'auth_sessions', 'user_tenants', 'users', 'tenants']) {
      await sql`DROP TABLE ${sql.table(table)}`.execute(db);
    }
  },
};
