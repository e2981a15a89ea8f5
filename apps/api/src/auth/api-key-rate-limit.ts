// A request rate per API key, so one host application (or a leaked key in a loop) cannot take the api from
// the others. Counted in PostgreSQL with rate-limiter-flexible (the `api_rate_limits` table), so the rate
// holds across every api process; a key over it is answered 429 with Retry-After until its minute ends.

import type { createPool } from '@qbo-sync/adapters/postgres';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export type RateVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number; readonly limitPerMinute: number };

export type ApiKeyRateLimit = (keyId: string) => Promise<RateVerdict>;

export const createApiKeyRateLimit = (options: { readonly pool: ReturnType<typeof createPool>; readonly requestsPerMinute: number }): ApiKeyRateLimit => {
  const limit = new RateLimiterPostgres({
    storeClient: options.pool,
    storeType: 'pool',
    tableName: 'api_rate_limits',
    tableCreated: true,
    keyPrefix: 'api-key',
    points: options.requestsPerMinute,
    duration: 60,
    // Once a key is over its rate, further calls in that minute are refused without a database round trip.
    inMemoryBlockOnConsumed: options.requestsPerMinute,
  });
  return async (keyId) => {
    try {
      await limit.consume(keyId);
      return { allowed: true };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)), limitPerMinute: options.requestsPerMinute };
    }
  };
};
