// Use case: refresh one tenant's tokens now if they are due (expiring soon, or a day old), without a call.

import { NoStoredTokensError } from './connection-flow-error.js';
import { type TokenDeps, isDue, refreshTokens } from './refresh-tokens.js';

export const refreshIfDue = async (deps: TokenDeps, tenantId: string): Promise<'refreshed' | 'fresh'> => {
  const stored = await deps.vault.read(tenantId);
  if (stored === null) throw new NoStoredTokensError(tenantId);
  if (!isDue(deps, stored)) return 'fresh';
  await refreshTokens(deps, tenantId, { seenVersion: stored.version });
  return 'refreshed';
};
