// One live instance per projection: a session-level advisory lock held on a dedicated connection (not a
// pooled one, which a pool could recycle and so drop the lock) for as long as the instance works.
// A second instance polls until the lock is free; if the holder dies, Postgres ends its session and with
// it the lock, so the waiting instance takes over.

import pg from 'pg';

export interface HeldLock {
  /** Throws if the lock's connection is gone (the lock went with it). */
  check(): Promise<void>;
  /** Resolves when the lock's connection breaks. */
  readonly lost: Promise<void>;
}

export interface LockOptions {
  readonly connectionString: string;
  readonly pollMs: number;
  /** Checked between attempts: when true, stop waiting and return without running `work`. */
  readonly shouldStop: () => boolean;
  /** Resolves when the caller wants the waiting cut short (so stop() need not wait a full poll). */
  readonly interrupted: Promise<void>;
  readonly onWaiting?: () => void;
}

// Two int4 keys: a fixed namespace for projections, then the projection's name hashed by Postgres.
const LOCK_ARGS = `hashtext('qbo-sync.projection'), hashtext($1)`;

export const withProjectionLock = async (name: string, options: LockOptions, work: (lock: HeldLock) => Promise<void>): Promise<boolean> => {
  const client = new pg.Client({ connectionString: options.connectionString, application_name: `qbo-sync projector lock ${name}` });
  let markLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => {
    markLost = resolve;
  });
  // A checked-out connection that the server closes emits 'error'; unhandled, it would crash the process.
  client.on('error', () => markLost());
  client.on('end', () => markLost());
  await client.connect();
  try {
    let announced = false;
    for (;;) {
      if (options.shouldStop()) return false;
      const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${LOCK_ARGS}) as locked`, [name]);
      if (rows[0]?.locked === true) break;
      if (!announced) {
        announced = true;
        options.onWaiting?.();
      }
      await Promise.race([new Promise((resolve) => setTimeout(resolve, options.pollMs)), options.interrupted]);
    }
    try {
      await work({
        check: async () => {
          await client.query('select 1');
        },
        lost,
      });
    } finally {
      await client.query(`select pg_advisory_unlock(${LOCK_ARGS})`, [name]).catch(() => undefined);
    }
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
};
