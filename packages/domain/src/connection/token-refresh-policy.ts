// When a tenant's tokens are due for a refresh: shortly before the access token expires, and at least daily,
// so the refresh token keeps rolling (Intuit's refresh tokens die after 100 idle days and rotate about daily)
// even for a tenant that makes no calls. Pure: the time comes in.

export interface TokenRefreshPolicy {
  /** Refresh when the access token has less than this left. */
  readonly leadMs: number;
  /** Refresh when the tokens are older than this. */
  readonly maxAgeMs: number;
}

export const TOKEN_REFRESH_POLICY: TokenRefreshPolicy = { leadMs: 5 * 60_000, maxAgeMs: 24 * 3600_000 };

export const tokensDue = (
  tokens: { readonly accessTokenExpiresAt: Date; readonly refreshedAt: Date },
  now: Date,
  policy: TokenRefreshPolicy = TOKEN_REFRESH_POLICY,
): boolean => tokens.accessTokenExpiresAt.getTime() - now.getTime() <= policy.leadMs || now.getTime() - tokens.refreshedAt.getTime() >= policy.maxAgeMs;

/** The bounds a store can select due tenants by: access expiry before `before`, or obtained before `staleBefore`. */
export const dueBounds = (now: Date, policy: TokenRefreshPolicy = TOKEN_REFRESH_POLICY): { readonly before: Date; readonly staleBefore: Date } => ({
  before: new Date(now.getTime() + policy.leadMs),
  staleBefore: new Date(now.getTime() - policy.maxAgeMs),
});

/**
 * A grant check on someone else's word (Intuit's disconnect landing page, which anyone can open) refreshes at
 * most this often per connection: tokens refreshed more recently show the grant was alive a moment ago, and a
 * page opened in a loop cannot hammer Intuit's token endpoint.
 */
export const GRANT_CHECK_INTERVAL_MS = 60_000;

export const grantCheckDue = (tokens: { readonly refreshedAt: Date }, now: Date): boolean => now.getTime() - tokens.refreshedAt.getTime() >= GRANT_CHECK_INTERVAL_MS;
