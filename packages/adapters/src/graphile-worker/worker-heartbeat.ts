// Recovery from workers that died holding a job. graphile-worker keeps a job locked by its worker pool for
// four hours; a `kill -9` mid-push would leave the run stuck that long. So each worker process keeps one
// database session of its own open for as long as it lives (its liveness session) and notes it, with a beat,
// beside each of its worker pools in `worker_heartbeats`. Every process looks, each round, for jobs locked by
// a pool whose process's session is gone, unlocks them (force_unlock_workers) and nudges every pool through
// graphile's own `jobs:insert` channel, so a live worker takes the job at once and the run resumes
// (idempotently) within a round or two.
//
// Why a session and not a clock: a killed process loses its connection at once (the kernel closes the socket,
// PostgreSQL ends the session), so death is seen in a second; a process that is only slow (a loaded machine, a
// long pause) keeps its session, so it is never taken for dead and its job never runs twice at once. (A host
// that vanishes without closing the socket is found by TCP keepalives on the session, set below.) Only a lock
// by a pool that has no session noted, a process just starting or an older version, falls back to the clock:
// dead when its beat (or, with no row, the lock itself) is older than `staleAfterMs`.

import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';

export interface WorkerHeartbeat {
  /** The id graphile-worker locks jobs with: its worker pool's (`pool-…`), not a worker's. */
  add(workerId: string): void;
  remove(workerId: string): void;
  /** One round now: beat, then unlock what dead workers hold. Returns the workers unlocked. */
  tick(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface WorkerHeartbeatOptions {
  readonly db: Kysely<unknown>;
  /** For the liveness session, which is not a pool's (a pool may close and reopen its connections). */
  readonly connectionString: string;
  readonly workerSchema: string;
  readonly logger: Logger;
  /** How often this process beats and looks for dead workers. */
  readonly intervalMs?: number;
  /** A worker with no liveness session noted is dead when its beat is older than this. */
  readonly staleAfterMs?: number;
}

const describe = (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message } : String(error));

export const startWorkerHeartbeat = async (options: WorkerHeartbeatOptions): Promise<WorkerHeartbeat> => {
  const intervalMs = options.intervalMs ?? 1_000;
  const staleAfterMs = options.staleAfterMs ?? 20_000;
  const processId = randomUUID();
  const workers = new Set<string>();
  const logger = options.logger.child({ component: 'worker-heartbeat' });
  const schema = sql.id(options.workerSchema);
  const stale = `${Math.ceil(staleAfterMs / 1000)} seconds`;
  let stopped = false;

  /** The liveness session: opened again (and noted again by the next beat) if it was lost. */
  let session: Promise<pg.Client> | null = null;
  const open = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: options.connectionString, application_name: 'qbo-sync worker liveness', keepAlive: true });
    // A lost session (the server stopped, an admin ended it) must not bring the process down: it is opened
    // again on the next round.
    client.on('error', (error) => {
      forget(client);
      if (!stopped) logger.warn({ err: describe(error) }, 'liveness session lost; reopening it');
    });
    try {
      await client.connect();
      // The server probes the socket, so a host that vanished is noticed in about 25 s, not hours.
      await client.query('SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3');
      return client;
    } catch (error) {
      forget(client);
      await client.end().catch(() => undefined);
      throw error;
    }
  };
  let current: pg.Client | null = null;
  const forget = (client: pg.Client) => {
    if (current === client || current === null) {
      current = null;
      session = null;
    }
  };
  const liveSession = (): Promise<pg.Client> =>
    (session ??= open().then((client) => {
      current = client;
      return client;
    }));

  /** Notes this process's session beside its pools (always from that session, so it is the one that counts). */
  const beat = async (ids: readonly string[]) => {
    if (ids.length === 0) return;
    const client = await liveSession();
    await client.query(
      `INSERT INTO worker_heartbeats (worker_id, process, beat_at, backend_pid, backend_started_at)
       SELECT id, $2, now(), pg_backend_pid(), (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid())
       FROM unnest($1::text[]) AS id
       ON CONFLICT (worker_id) DO UPDATE SET process = excluded.process, beat_at = excluded.beat_at,
         backend_pid = excluded.backend_pid, backend_started_at = excluded.backend_started_at`,
      [ids, processId],
    );
  };

  const tick = async (): Promise<string[]> => {
    await beat([...workers]);
    // Dead: the pool's process session is gone (a pid and start time PostgreSQL no longer has), or, with no
    // session noted, its beat is stale; a lock by a pool with no row at all waits out the stale time, since
    // the pool may be starting and not have beaten yet.
    const { rows } = await sql<{ locked_by: string; jobs: string }>`
      SELECT j.locked_by, count(*) AS jobs FROM ${schema}._private_jobs j
      LEFT JOIN worker_heartbeats h ON h.worker_id = j.locked_by
      WHERE j.locked_by IS NOT NULL
        AND CASE
          WHEN h.worker_id IS NULL THEN j.locked_at < now() - ${stale}::interval
          WHEN h.backend_pid IS NULL THEN h.beat_at < now() - ${stale}::interval
          ELSE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                           WHERE a.pid = h.backend_pid AND (a.backend_start IS NULL OR a.backend_start = h.backend_started_at))
        END
      GROUP BY j.locked_by`.execute(options.db);
    const dead = rows.map((row) => row.locked_by);
    if (dead.length > 0) {
      const jobs = rows.reduce((sum, row) => sum + Number(row.jobs), 0);
      await options.db.transaction().execute(async (trx) => {
        await sql`SELECT ${schema}.force_unlock_workers(${dead}::text[])`.execute(trx);
        await sql`DELETE FROM worker_heartbeats WHERE worker_id = ANY(${dead}::text[])`.execute(trx);
        // graphile's own signal that jobs are ready: every pool listening takes them now, not at its next poll.
        await sql`SELECT pg_notify('jobs:insert', json_build_object('r', random(), 'count', ${jobs}::int)::text)`.execute(trx);
      });
      logger.warn({ workers: dead, jobs }, 'unlocked the jobs of workers whose process is gone');
    }
    // Rows of processes that are gone and hold nothing (killed while idle) are only clutter.
    await sql`DELETE FROM worker_heartbeats h WHERE h.backend_pid IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = h.backend_pid AND (a.backend_start IS NULL OR a.backend_start = h.backend_started_at))
              AND NOT EXISTS (SELECT 1 FROM ${schema}._private_jobs j WHERE j.locked_by = h.worker_id)`.execute(options.db);
    return dead;
  };

  await liveSession();
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(tick).catch((error: unknown) => {
      if (!stopped) logger.warn({ err: describe(error) }, 'heartbeat round failed');
    });
  }, intervalMs);
  timer.unref();

  return {
    add: (workerId) => {
      workers.add(workerId);
      running = running.then(() => beat([workerId])).catch(() => undefined);
    },
    remove: (workerId) => {
      workers.delete(workerId);
      // A released pool still holding a job (its end could not be recorded: the database went away) keeps its
      // row, so that the job is unlocked as soon as this process's session ends rather than after the stale time.
      running = running
        .then(() => sql`DELETE FROM worker_heartbeats WHERE worker_id = ${workerId}
                        AND NOT EXISTS (SELECT 1 FROM ${schema}._private_jobs WHERE locked_by = ${workerId})`.execute(options.db))
        .catch(() => undefined);
    },
    tick,
    stop: async () => {
      clearInterval(timer);
      await running;
      stopped = true;
      // Ending the session is what tells the others this process is gone: after its pools were released.
      const client = await session?.catch(() => null);
      session = null;
      await client?.end().catch(() => undefined);
    },
  };
};
