// The per-realm QBO rate limiter, shared by every process through Postgres: at most 500 requests a minute,
// 10 in flight and 40 batch requests a minute per realm (Intuit's limits). Each acquire runs in one short
// transaction serialised on the realm's row; a request takes a lease (in flight until released, or until the
// lease expires if its process died) and a row in the request log. The window is counted from the moment of
// acquiring, with a safety margin, because QBO counts arrivals, which come a little later.

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';

export interface RateLimits {
  readonly perMinute: number;
  readonly inFlight: number;
  readonly batchPerMinute: number;
  readonly windowMs: number;
  /** Added to the window: covers the time between acquiring here and arriving at QBO. */
  readonly marginMs: number;
  /** A lease older than this is taken to belong to a dead process. */
  readonly leaseMs: number;
  /** Longest sleep between attempts while waiting for a free slot. */
  readonly pollMs: number;
}

export const INTUIT_RATE_LIMITS: RateLimits = {
  perMinute: 500,
  inFlight: 10,
  batchPerMinute: 40,
  windowMs: 60_000,
  marginMs: 1_000,
  leaseMs: 180_000,
  pollMs: 25,
};

export type LeaseOutcome = 'success' | 'failure';

export interface RateLease {
  release(outcome?: { kind: LeaseOutcome; detail?: string }): Promise<void>;
}

export interface RateLimiter {
  acquire(realmId: string, options?: { batch?: boolean; signal?: AbortSignal }): Promise<RateLease>;
}

interface Counts {
  in_flight: string;
  per_window: string;
  batch_per_window: string;
  oldest_ms: string | null;
  oldest_batch_ms: string | null;
  now_ms: string;
}

export const createPostgresRateLimiter = (options: { db: Kysely<unknown>; limits?: Partial<RateLimits>; holder?: string }): RateLimiter => {
  const limits: RateLimits = { ...INTUIT_RATE_LIMITS, ...options.limits };
  const holder = options.holder ?? `${hostname()}:${process.pid}`;
  const windowMs = limits.windowMs + limits.marginMs;

  /** A lease id when a slot was free, else how long to wait before trying again. */
  const tryAcquire = (realmId: string, batch: boolean): Promise<{ leaseId: string } | { waitMs: number }> =>
    options.db.transaction().execute(async (trx) => {
      // The upsert takes the realm row's lock: acquires for one realm run one at a time, across processes.
      await sql`insert into qbo_realm_activity (realm_id) values (${realmId})
                on conflict (realm_id) do update set realm_id = excluded.realm_id`.execute(trx);
      await sql`delete from qbo_rate_leases where realm_id = ${realmId} and expires_at < clock_timestamp()`.execute(trx);
      await sql`delete from qbo_rate_requests where realm_id = ${realmId} and sent_at < clock_timestamp() - make_interval(secs => ${(windowMs * 2) / 1000})`.execute(trx);
      const { rows } = await sql<Counts>`
        with recent as (
          select sent_at, is_batch from qbo_rate_requests
          where realm_id = ${realmId} and sent_at > clock_timestamp() - make_interval(secs => ${windowMs / 1000})
        )
        select (select count(*) from qbo_rate_leases where realm_id = ${realmId}) as in_flight,
               (select count(*) from recent) as per_window,
               (select count(*) from recent where is_batch) as batch_per_window,
               (select (extract(epoch from min(sent_at)) * 1000)::bigint from recent) as oldest_ms,
               (select (extract(epoch from min(sent_at)) * 1000)::bigint from recent where is_batch) as oldest_batch_ms,
               (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms`.execute(trx);
      const counts = rows[0] as Counts;
      const now = Number(counts.now_ms);
      if (Number(counts.per_window) >= limits.perMinute) {
        return { waitMs: Math.max(1, Number(counts.oldest_ms) + windowMs - now) };
      }
      if (batch && Number(counts.batch_per_window) >= limits.batchPerMinute) {
        return { waitMs: Math.max(1, Number(counts.oldest_batch_ms) + windowMs - now) };
      }
      if (Number(counts.in_flight) >= limits.inFlight) return { waitMs: limits.pollMs };
      const leaseId = randomUUID();
      await sql`insert into qbo_rate_leases (lease_id, realm_id, holder, acquired_at, expires_at)
                values (${leaseId}, ${realmId}, ${holder}, clock_timestamp(), clock_timestamp() + make_interval(secs => ${limits.leaseMs / 1000}))`.execute(trx);
      await sql`insert into qbo_rate_requests (realm_id, is_batch, sent_at) values (${realmId}, ${batch}, clock_timestamp())`.execute(trx);
      return { leaseId };
    });

  return {
    acquire: async (realmId, { batch = false, signal } = {}) => {
      for (;;) {
        signal?.throwIfAborted();
        const result = await tryAcquire(realmId, batch);
        if ('leaseId' in result) {
          const { leaseId } = result;
          let released = false;
          return {
            release: async (outcome) => {
              if (released) return;
              released = true;
              if (outcome?.kind === 'success') {
                await sql`with gone as (delete from qbo_rate_leases where lease_id = ${leaseId})
                          update qbo_realm_activity set last_success_at = clock_timestamp() where realm_id = ${realmId}`.execute(options.db);
              } else if (outcome?.kind === 'failure') {
                await sql`with gone as (delete from qbo_rate_leases where lease_id = ${leaseId})
                          update qbo_realm_activity set last_failure_at = clock_timestamp(), last_failure = ${outcome.detail ?? null}
                          where realm_id = ${realmId}`.execute(options.db);
              } else {
                await sql`delete from qbo_rate_leases where lease_id = ${leaseId}`.execute(options.db);
              }
            },
          };
        }
        // Jitter keeps waiting processes from retrying in lockstep.
        const wait = Math.min(result.waitMs, 5_000);
        await sleep(Math.ceil(wait * (0.5 + Math.random() * 0.5)) + 1, undefined, signal ? { signal } : undefined);
      }
    },
  };
};
