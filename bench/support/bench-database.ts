// A fresh, migrated database for one benchmark run: on DATABASE_URL's server when set, otherwise on an
// embedded PostgreSQL started for the run (and deleted after).

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { startEmbeddedPostgres } from '@qbo-sync/adapters/embedded-postgres';
import type { Kysely } from 'kysely';
import pg from 'pg';

export interface BenchDatabase {
  readonly url: string;
  readonly db: Kysely<unknown>;
  readonly server: string;
  close(): Promise<void>;
}

export const openBenchDatabase = async (): Promise<BenchDatabase> => {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async (): Promise<void> => undefined;
  let server = 'DATABASE_URL';
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'qbo-sync-bench-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), persistent: false });
    adminUrl = embedded.url;
    server = 'embedded PostgreSQL 18 (fsync off)';
    stopServer = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = createPool({ connectionString: url.toString(), maxConnections: 10 });
  const db = createDatabase<unknown>(pool);
  await migrateToLatest(db);
  return {
    url: url.toString(),
    db,
    server,
    close: async () => {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
      await stopServer();
    },
  };
};

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
