// A worker's liveness is its database session: each worker process keeps one connection open for as long as it
// lives and notes that session (backend pid and start time) beside its heartbeat. A process killed with -9
// loses the connection at once, so its jobs can be released within a second, while a process that is merely
// slow (a loaded machine, a long pause) keeps its session and its jobs: it is never taken for dead.

import { type Kysely, type Migration, sql } from 'kysely';

export const workerLivenessColumns: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      ALTER TABLE worker_heartbeats
        ADD COLUMN backend_pid        integer,
        ADD COLUMN backend_started_at timestamptz`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`ALTER TABLE worker_heartbeats DROP COLUMN backend_pid, DROP COLUMN backend_started_at`.execute(db);
  },
};
