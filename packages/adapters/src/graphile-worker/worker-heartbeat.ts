// Recovery from workers that died holding a job. graphile-worker keeps a job locked by its worker for
// four hours; a `kill -9` mid-push would leave the run stuck that long. Every worker of this process
// beats in `worker_heartbeats`; any process unlocks (force_unlock_workers) the jobs of workers whose beat
// went stale, and graphile then runs those jobs again (the sync task resumes idempotently).

import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';

export interface WorkerHeartbeat {
  /** The id graphile-worker locks jobs with: its worker pool's (`pool-…`), not a worker's. */
  add(workerId: string): void;
  remove(workerId: string): void;
  /** One round now: beat, then unlock what dead workers hold. Returns the workers unlocked. */
  tick(): Promise<string[]>;
  stop(): Promise<void>;
}

export const startWorkerHeartbeat = (options: {
  db: Kysely<unknown>;
  workerSchema: string;
  logger: Logger;
  intervalMs?: number;
  /** A worker whose last beat is older than this is dead. */
  staleAfterMs?: number;
}): WorkerHeartbeat => {
  const intervalMs = options.intervalMs ?? 5_000;
  const staleAfterMs = options.staleAfterMs ?? 20_000;
  const process = randomUUID();
  const workers = new Set<string>();
  const logger = options.logger.child({ component: 'worker-heartbeat' });
  const schema = sql.id(options.workerSchema);

  const beat = async (ids: readonly string[]) => {
    if (ids.length === 0) return;
    await sql`INSERT INTO worker_heartbeats (worker_id, process, beat_at)
      SELECT id, ${process}, now() FROM unnest(${ids}::text[]) AS id
      ON CONFLICT (worker_id) DO UPDATE SET beat_at = now()`.execute(options.db);
  };

  const tick = async (): Promise<string[]> => {
    await beat([...workers]);
    const stale = `${Math.ceil(staleAfterMs / 1000)} seconds`;
    const { rows } = await sql<{ locked_by: string }>`
      SELECT DISTINCT j.locked_by FROM ${schema}._private_jobs j
      WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - ${stale}::interval
        AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = j.locked_by AND h.beat_at > now() - ${stale}::interval)`.execute(options.db);
    const dead = rows.map((row) => row.locked_by);
    if (dead.length > 0) {
      await sql`SELECT ${schema}.force_unlock_workers(${dead}::text[])`.execute(options.db);
      await sql`DELETE FROM worker_heartbeats WHERE worker_id = ANY(${dead}::text[])`.execute(options.db);
      logger.warn({ workers: dead }, 'unlocked the jobs of workers that stopped beating');
    }
    return dead;
  };

  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(tick).catch((error: unknown) => logger.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'heartbeat round failed'));
  }, intervalMs);
  timer.unref();

  return {
    add: (workerId) => {
      workers.add(workerId);
      running = running.then(() => beat([workerId])).catch(() => undefined);
    },
    remove: (workerId) => {
      workers.delete(workerId);
      running = running
        .then(() => sql`DELETE FROM worker_heartbeats WHERE worker_id = ${workerId}`.execute(options.db))
        .catch(() => undefined);
    },
    tick,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
};
