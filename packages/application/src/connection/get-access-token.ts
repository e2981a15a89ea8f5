// Use case: an access token for a tenant's next QBO call (the QBO client asks before every call). The stored
// one while it is fresh; refreshed first when it expires within minutes or is a day old, so the refresh token
// keeps rolling.

import { NoStoredTokensError } from './connection-flow-error.js';
import { type AccessGrant, type TokenDeps, grantOf, isDue, refreshTokens } from './refresh-tokens.js';

export const getAccessToken = async (deps: TokenDeps, tenantId: string): Promise<AccessGrant> => {
  const stored = await deps.vault.read(tenantId);
  if (stored === null) throw new NoStoredTokensError(tenantId);
  return isDue(deps, stored) ? refreshTokens(deps, tenantId, { seenVersion: stored.version }) : grantOf(stored);
};
