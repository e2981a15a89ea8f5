// The token use cases as one object, for the QBO client (its access-token source: a token before each call,
// one refresh after a 401) and for callers that keep tokens fresh.

import { getAccessToken } from './get-access-token.js';
import { refreshAfterRejection } from './refresh-after-rejection.js';
import { type RefreshDueTokensResult, refreshDueTokens } from './refresh-due-tokens.js';
import { refreshIfDue } from './refresh-if-due.js';
import type { AccessGrant, TokenDeps } from './refresh-tokens.js';

export interface ConnectionTokens {
  getAccessToken(tenantId: string): Promise<AccessGrant>;
  refreshAfterRejection(tenantId: string, rejectedAccessToken: string): Promise<AccessGrant>;
  refreshIfDue(tenantId: string): Promise<'refreshed' | 'fresh'>;
  refreshAllDue(): Promise<RefreshDueTokensResult>;
}

export const connectionTokens = (deps: TokenDeps): ConnectionTokens => ({
  getAccessToken: (tenantId) => getAccessToken(deps, tenantId),
  refreshAfterRejection: (tenantId, rejected) => refreshAfterRejection(deps, tenantId, rejected),
  refreshIfDue: (tenantId) => refreshIfDue(deps, tenantId),
  refreshAllDue: () => refreshDueTokens(deps),
});
