// The heartbeat's rule on real Postgres, with graphile-worker's own schema: a job is released when the process
// of the pool holding it has lost its database session (and every pool is nudged to take it), never because
// the process is merely silent; only a pool with no session noted falls back to the stale time.

import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { type WorkerHeartbeat, startWorkerHeartbeat } from '@qbo-sync/adapters/graphile-worker';
import { createTestDatabase, type TestDatabase } from '@qbo-sync/adapters/testing';
import { runMigrations } from 'graphile-worker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let database: TestDatabase;
let pool: ReturnType<typeof createPool>;
let db: ReturnType<typeof createDatabase<unknown>>;
let observer: WorkerHeartbeat;
const logger = pino({ level: 'silent' });
const start = () => startWorkerHeartbeat({ db, connectionString: database.url, workerSchema: 'graphile_worker', logger, intervalMs: 60_000, staleAfterMs: 5_000 });

beforeAll(async () => {
  database = await createTestDatabase('worker_heartbeat');
  pool = createPool({ connectionString: database.url, maxConnections: 4 });
  db = createDatabase<unknown>(pool);
  await migrateToLatest(db);
  await runMigrations({ connectionString: database.url, schema: 'graphile_worker', logger: undefined });
  observer = await start();
}, 60_000);
afterAll(async () => {
  await observer?.stop();
  await pool?.end();
  await database?.drop();
});

const query = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await pool.query(text, values)).rows as T[];
/** A queued job, locked as graphile locks it, by a pool. */
const jobLockedBy = async (lockedBy: string, lockedAgo = '0 seconds'): Promise<string> => {
  const [row] = await query<{ id: string }>(`SELECT id FROM graphile_worker.add_job('noop', '{}'::json)`);
  await query('UPDATE graphile_worker._private_jobs SET locked_by = $1, locked_at = now() - $2::interval WHERE id = $3', [lockedBy, lockedAgo, row?.id]);
  return row?.id as string;
};
const lockOf = async (id: string) => (await query<{ locked_by: string | null }>('SELECT locked_by FROM graphile_worker._private_jobs WHERE id = $1', [id]))[0]?.locked_by;

describe('worker heartbeat', () => {
  it('releases at once the job of a process whose session is gone, and nudges the pools to take it', async () => {
    const dead = await start();
    dead.add('pool-dead');
    await dead.tick();
    const job = await jobLockedBy('pool-dead');
    // The process goes without a word: its session ends, its row stays.
    await dead.stop();
    const listener = await pool.connect();
    const nudged = new Promise<string | undefined>((resolve) => listener.on('notification', (message: { payload?: string }) => resolve(message.payload)));
    await listener.query('LISTEN "jobs:insert"');
    try {
      expect(await observer.tick()).toEqual(['pool-dead']);
      expect(await lockOf(job)).toBeNull();
      expect(JSON.parse((await nudged) ?? '{}')).toMatchObject({ count: 1 });
    } finally {
      await listener.query('UNLISTEN *');
      listener.release();
    }
  });

  it('never releases the job of a process that is only silent: its session lives, however old its beat', async () => {
    const silent = await start();
    try {
      silent.add('pool-silent');
      await silent.tick();
      const job = await jobLockedBy('pool-silent', '1 hour');
      await query("UPDATE worker_heartbeats SET beat_at = now() - interval '1 hour' WHERE worker_id = 'pool-silent'");
      expect(await observer.tick()).toEqual([]);
      expect(await lockOf(job)).toBe('pool-silent');
      await query('UPDATE graphile_worker._private_jobs SET locked_by = NULL, locked_at = NULL WHERE id = $1', [job]);
    } finally {
      await silent.stop();
    }
  });

  it('gives a pool with no session noted the stale time: a fresh lock stays, an old one goes', async () => {
    const fresh = await jobLockedBy('pool-starting');
    expect(await observer.tick()).toEqual([]);
    expect(await lockOf(fresh)).toBe('pool-starting');
    await query("UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '1 minute' WHERE id = $1", [fresh]);
    // A row from a version that noted no session, silent for a minute.
    const legacy = await jobLockedBy('pool-legacy');
    await query("INSERT INTO worker_heartbeats (worker_id, process, beat_at) VALUES ('pool-legacy', 'old', now() - interval '1 minute')");
    expect((await observer.tick()).sort()).toEqual(['pool-legacy', 'pool-starting']);
    expect([await lockOf(fresh), await lockOf(legacy)]).toEqual([null, null]);
  });
});
