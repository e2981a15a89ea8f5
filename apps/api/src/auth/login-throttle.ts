// Slows password guessing without letting anyone lock a real user out. Counted in PostgreSQL
// (rate-limiter-flexible's RateLimiterPostgres over the `api_rate_limits` table), so every api process and a
// restart see the same counts. Three limits on failed sign-ins:
// - per account and source (the caller's address): a few failures, then 429 until the window passes;
// - per source: many failures across accounts (a spray from one address), then 429;
// - per account alone: never a refusal (an attacker could then lock out the real user from the attacker's own
//   address), only a delay before answering that doubles with each failure past the first few, capped.
// Keys are SHA-256 digests, so the table holds no email address.

import { createHash } from 'node:crypto';
import type { createPool } from '@qbo-sync/adapters/postgres';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginThrottleOptions {
  readonly pool: ReturnType<typeof createPool>;
  /** Failures per account and source before 429 (5 in 15 minutes). */
  readonly perAccountAndSource?: { readonly failures: number; readonly windowSeconds: number };
  /** Failures per source, whatever the account (50 in an hour). */
  readonly perSource?: { readonly failures: number; readonly windowSeconds: number };
  /** Failures per account after which answers are delayed, and the cap of that delay. */
  readonly perAccount?: { readonly freeFailures: number; readonly windowSeconds: number; readonly firstDelayMs: number; readonly maxDelayMs: number };
}

export type LoginVerdict =
  | { readonly kind: 'refuse'; readonly retryAfterSeconds: number }
  | { readonly kind: 'proceed'; readonly delayMs: number };

export interface LoginThrottle {
  /** Before checking a password: refuse, or go on after `delayMs`. */
  check(account: string, source: string): Promise<LoginVerdict>;
  failed(account: string, source: string): Promise<void>;
  succeeded(account: string, source: string): Promise<void>;
}

const digest = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');

const limiter = (pool: ReturnType<typeof createPool>, keyPrefix: string, points: number, duration: number): RateLimiterPostgres =>
  new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', tableName: 'api_rate_limits', tableCreated: true, keyPrefix, points, duration });

const consumedOf = async (limit: RateLimiterPostgres, key: string): Promise<RateLimiterRes | null> => limit.get(key);

export const createLoginThrottle = (options: LoginThrottleOptions): LoginThrottle => {
  const pair = options.perAccountAndSource ?? { failures: 5, windowSeconds: 15 * 60 };
  const source = options.perSource ?? { failures: 50, windowSeconds: 60 * 60 };
  const account = options.perAccount ?? { freeFailures: 5, windowSeconds: 60 * 60, firstDelayMs: 500, maxDelayMs: 8_000 };
  // Each counts failures; `points` is where a refusal starts (the per-account one never refuses).
  const byPair = limiter(options.pool, 'login-pair', pair.failures, pair.windowSeconds);
  const bySource = limiter(options.pool, 'login-source', source.failures, source.windowSeconds);
  const byAccount = limiter(options.pool, 'login-account', Number.MAX_SAFE_INTEGER, account.windowSeconds);
  const keys = (who: string, from: string) => ({ pair: digest(who.toLowerCase(), from), source: digest(from), account: digest(who.toLowerCase()) });

  return {
    check: async (who, from) => {
      const key = keys(who, from);
      const [pairCount, sourceCount, accountCount] = await Promise.all([consumedOf(byPair, key.pair), consumedOf(bySource, key.source), consumedOf(byAccount, key.account)]);
      const refusedBy = [
        pairCount !== null && pairCount.consumedPoints >= pair.failures ? pairCount : null,
        sourceCount !== null && sourceCount.consumedPoints >= source.failures ? sourceCount : null,
      ].filter((count): count is RateLimiterRes => count !== null);
      if (refusedBy.length > 0) return { kind: 'refuse', retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...refusedBy.map((count) => count.msBeforeNext)) / 1000)) };
      const beyond = (accountCount?.consumedPoints ?? 0) - account.freeFailures;
      return { kind: 'proceed', delayMs: beyond <= 0 ? 0 : Math.min(account.maxDelayMs, account.firstDelayMs * 2 ** (beyond - 1)) };
    },
    failed: async (who, from) => {
      const key = keys(who, from);
      // `penalty` counts without refusing here: refusals are decided by check() before the next attempt.
      await Promise.all([byPair.penalty(key.pair), bySource.penalty(key.source), byAccount.penalty(key.account)]);
    },
    succeeded: async (who, from) => {
      const key = keys(who, from);
      await Promise.all([byPair.delete(key.pair), byAccount.delete(key.account)]);
    },
  };
};
