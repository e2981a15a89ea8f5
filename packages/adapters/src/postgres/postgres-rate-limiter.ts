// The per-realm QBO rate limiter, shared by every process through Postgres: at most 500 requests a minute,
// 10 in flight and 40 batch requests a minute per realm (Intuit's limits). Each acquire runs in one short
// transaction serialised on the realm's row; a request takes a lease (in flight until released, or until the
// lease expires if its process died) and a row in the request log. The window is counted from the moment of
// acquiring, with a safety margin, because QBO counts arrivals, which come a little later.
//
// It also keeps the realm's throttle: a 429 is reported on the call's lease (`throttled`), which notes on the
// realm's row until when it is throttled, and every acquire for the realm, in any process, waits until then.
// How long:
// - a 429 the limiter expected (its own log says the call filled the minute, or spent the batch budget, as it
//   stood when the call went) waits until that window frees, that is until the oldest request it counted
//   slides out: a burst of such 429s, each waiting for the next slot, costs at most one window in all;
// - a 429 it did not expect (another app is using the realm, and its share is unknown) waits the full window;
// - a 429 answered while the realm is already throttled (a call that was in flight) shares the wait under
//   way and does not extend it.
// No wait is longer than the caller's cap (QBO_THROTTLE_WAIT_MS, 60 s as Intuit asks).

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
  /**
   * QBO answered this call 429: note the realm's throttle and say how long the caller waits. `capMs` is the
   * full window (Intuit says 60 s), the longest any wait may be. Every acquire for the realm honours the wait.
   */
  throttled(capMs: number): Promise<ThrottleWait>;
  release(outcome?: { kind: LeaseOutcome; detail?: string }): Promise<void>;
}

export interface ThrottleWait {
  /** How long from now the caller waits before its call goes again. */
  readonly waitMs: number;
  /** The limiter's own counts said the window was full: the wait ends when it frees, not after a full window. */
  readonly expected: boolean;
  /** The realm was already throttled (another caller's 429): this one shares that wait. */
  readonly shared: boolean;
}

export interface RateLimiter {
  acquire(realmId: string, options?: { batch?: boolean; signal?: AbortSignal }): Promise<RateLease>;
}

interface ThrottleRow {
  throttled_until_ms: string | null;
  batch_throttled_until_ms: string | null;
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

  /** Takes the realm row's lock (acquires and throttles of one realm go one at a time, across processes). */
  const lockRealm = async (trx: Kysely<unknown>, realmId: string): Promise<{ throttledUntil: number; batchThrottledUntil: number }> => {
    const { rows } = await sql<ThrottleRow>`
      insert into qbo_realm_activity (realm_id) values (${realmId})
      on conflict (realm_id) do update set realm_id = excluded.realm_id
      returning (extract(epoch from throttled_until) * 1000)::bigint as throttled_until_ms,
                (extract(epoch from batch_throttled_until) * 1000)::bigint as batch_throttled_until_ms`.execute(trx);
    const row = rows[0] as ThrottleRow;
    return { throttledUntil: Number(row.throttled_until_ms ?? 0), batchThrottledUntil: Number(row.batch_throttled_until_ms ?? 0) };
  };

  /** The realm's counts over the window ending now, or ending when a given call went (`asOfMs`). */
  const countsOf = async (trx: Kysely<unknown>, realmId: string, asOfMs?: number): Promise<Counts> => {
    const end = asOfMs === undefined ? sql`clock_timestamp()` : sql`to_timestamp(${asOfMs / 1000})`;
    const { rows } = await sql<Counts>`
      with recent as (
        select sent_at, is_batch from qbo_rate_requests
        where realm_id = ${realmId} and sent_at > ${end} - make_interval(secs => ${windowMs / 1000}) and sent_at <= ${end}
      )
      select (select count(*) from qbo_rate_leases where realm_id = ${realmId}) as in_flight,
             (select count(*) from recent) as per_window,
             (select count(*) from recent where is_batch) as batch_per_window,
             (select (extract(epoch from min(sent_at)) * 1000)::bigint from recent) as oldest_ms,
             (select (extract(epoch from min(sent_at)) * 1000)::bigint from recent where is_batch) as oldest_batch_ms,
             (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms`.execute(trx);
    return rows[0] as Counts;
  };

  /** A lease id when a slot was free, else how long to wait before trying again (`exact` for a throttle's end). */
  const tryAcquire = (realmId: string, batch: boolean): Promise<{ leaseId: string; sentAtMs: number } | { waitMs: number; exact: boolean }> =>
    options.db.transaction().execute(async (trx) => {
      const throttle = await lockRealm(trx, realmId);
      await sql`delete from qbo_rate_leases where realm_id = ${realmId} and expires_at < clock_timestamp()`.execute(trx);
      await sql`delete from qbo_rate_requests where realm_id = ${realmId} and sent_at < clock_timestamp() - make_interval(secs => ${(windowMs * 2) / 1000})`.execute(trx);
      const counts = await countsOf(trx, realmId);
      const now = Number(counts.now_ms);
      const until = batch ? Math.max(throttle.throttledUntil, throttle.batchThrottledUntil) : throttle.throttledUntil;
      if (until > now) return { waitMs: until - now, exact: true };
      if (Number(counts.per_window) >= limits.perMinute) {
        return { waitMs: Math.max(1, Number(counts.oldest_ms) + windowMs - now), exact: false };
      }
      if (batch && Number(counts.batch_per_window) >= limits.batchPerMinute) {
        return { waitMs: Math.max(1, Number(counts.oldest_batch_ms) + windowMs - now), exact: false };
      }
      if (Number(counts.in_flight) >= limits.inFlight) return { waitMs: limits.pollMs, exact: false };
      const leaseId = randomUUID();
      await sql`insert into qbo_rate_leases (lease_id, realm_id, holder, acquired_at, expires_at)
                values (${leaseId}, ${realmId}, ${holder}, clock_timestamp(), clock_timestamp() + make_interval(secs => ${limits.leaseMs / 1000}))`.execute(trx);
      const { rows } = await sql<{ sent_at_ms: string }>`
        insert into qbo_rate_requests (realm_id, is_batch, sent_at) values (${realmId}, ${batch}, clock_timestamp())
        returning (extract(epoch from sent_at) * 1000)::numeric(20, 3) as sent_at_ms`.execute(trx);
      return { leaseId, sentAtMs: Number(rows[0]?.sent_at_ms) };
    });

  const throttled = (realmId: string, batch: boolean, sentAtMs: number, capMs: number): Promise<ThrottleWait> =>
    options.db.transaction().execute(async (trx): Promise<ThrottleWait> => {
      const throttle = await lockRealm(trx, realmId);
      const { now_ms } = await countsOf(trx, realmId);
      const now = Number(now_ms);
      const under = batch ? Math.max(throttle.throttledUntil, throttle.batchThrottledUntil) : throttle.throttledUntil;
      if (under > now) return { waitMs: under - now, expected: false, shared: true };
      // The window as it stood when the call went, the call included (QBO may count refused calls too; counting
      // them errs on the safe side). Judged later, the window would have moved on under a slow answer.
      const counts = await countsOf(trx, realmId, sentAtMs);
      const full = Number(counts.per_window) >= limits.perMinute;
      const batchSpent = batch && Number(counts.batch_per_window) >= limits.batchPerMinute;
      const cap = now + capMs;
      if (full || batchSpent) {
        // The slot the call lacked frees when the oldest counted call leaves the window. By then acquire lets the
        // call go only if the window really has room, so a shorter wait here can never overrun the limit.
        const oldest = Number(full ? counts.oldest_ms : counts.oldest_batch_ms);
        const until = Math.min(cap, Math.max(now + 1, oldest + windowMs));
        // A spent batch budget holds only batch calls: the minute still has room for single calls.
        if (full) await sql`update qbo_realm_activity set throttled_until = to_timestamp(${until / 1000}) where realm_id = ${realmId}`.execute(trx);
        else await sql`update qbo_realm_activity set batch_throttled_until = to_timestamp(${until / 1000}) where realm_id = ${realmId}`.execute(trx);
        return { waitMs: until - now, expected: true, shared: false };
      }
      // Someone else's calls filled the realm's minute, and how many is unknown: every call waits the full window.
      await sql`update qbo_realm_activity set throttled_until = to_timestamp(${cap / 1000}) where realm_id = ${realmId}`.execute(trx);
      return { waitMs: capMs, expected: false, shared: false };
    });

  return {
    acquire: async (realmId, { batch = false, signal } = {}) => {
      for (;;) {
        signal?.throwIfAborted();
        const result = await tryAcquire(realmId, batch);
        if ('leaseId' in result) {
          const { leaseId, sentAtMs } = result;
          let released = false;
          return {
            throttled: (capMs) => throttled(realmId, batch, sentAtMs, capMs),
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
        // A throttle ends at a known moment: sleep until then, with a few milliseconds of spread so the callers
        // it held do not all arrive at once. Otherwise jitter keeps waiting processes from retrying in lockstep.
        const wait = Math.min(result.waitMs, 5_000);
        const pause = result.exact ? wait + Math.floor(Math.random() * 20) : Math.ceil(wait * (0.5 + Math.random() * 0.5));
        await sleep(pause + 1, undefined, signal ? { signal } : undefined);
      }
    },
  };
};
