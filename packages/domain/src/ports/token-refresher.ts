// Refreshing a tenant's tokens at Intuit at most once at a time per realm, across every process: the adapter
// holds a lock for the realm, re-reads the stored tokens inside it, asks the caller whether a refresh is still
// needed (another process may have refreshed while this one waited), and stores the new tokens before it
// answers, so a rotated refresh token is never lost. What to make of the outcome (events, retries) is the
// caller's business.

import type { OAuthTokenError } from './oauth-authorizer.js';
import type { StoredTokens } from './token-vault.js';

export type TokenRefreshOutcome =
  /** The tenant has no stored tokens. */
  | { readonly kind: 'not_connected' }
  /** `stillNeeded` said no: these are the tokens stored now. */
  | { readonly kind: 'kept'; readonly tokens: StoredTokens }
  /** Refreshed and stored. `rotated`: Intuit handed out a new refresh token. */
  | { readonly kind: 'refreshed'; readonly tokens: StoredTokens; readonly rotated: boolean; readonly intuitTid: string | null }
  /** Intuit refused or could not be reached; nothing was stored. `tokens` are the ones the refresh used. */
  | { readonly kind: 'failed'; readonly error: OAuthTokenError; readonly tokens: StoredTokens };

export interface TokenRefresher {
  refresh(tenantId: string, stillNeeded: (current: StoredTokens) => boolean): Promise<TokenRefreshOutcome>;
}
