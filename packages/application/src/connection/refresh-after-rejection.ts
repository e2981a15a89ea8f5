// Use case: QBO answered 401 to a call made with `rejectedAccessToken`. The QBO client asks once: if the vault
// already holds a different access token (someone refreshed meanwhile), that one; otherwise a refresh.

import { type AccessGrant, type TokenDeps, refreshTokens } from './refresh-tokens.js';

export const refreshAfterRejection = (deps: TokenDeps, tenantId: string, rejectedAccessToken: string): Promise<AccessGrant> =>
  refreshTokens(deps, tenantId, { rejectedAccessToken });
