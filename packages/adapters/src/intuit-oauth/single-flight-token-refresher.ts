// The TokenRefresher port over Postgres and intuit-oauth: a tenant's tokens are refreshed at most once at a
// time per realm across every process. The refresh holds a transaction-scoped advisory lock keyed by the realm,
// re-reads the vault row FOR UPDATE inside it and asks the caller whether a refresh is still needed (another
// process may have refreshed while this one waited). It then calls the token endpoint and saves the rotated
// refresh token in the same transaction: the new access token leaves this function only after that commit.
// What the outcome means (events, retries, invalid_grant checks) is the application's business.

import { OAuthTokenError, type StoredTokens, type TokenRefreshOutcome, type TokenRefresher } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import type { OAuthTokenService } from './intuit-oauth-token-service.js';
import type { PostgresTokenVault } from './token-vault.js';

const lockKey = (realmId: string) => `qbo-sync:token-refresh:${realmId}`;

export const createSingleFlightTokenRefresher = (options: {
  readonly db: Kysely<unknown>;
  readonly vault: PostgresTokenVault;
  readonly oauth: Pick<OAuthTokenService, 'refresh'>;
  readonly now?: () => Date;
}): TokenRefresher => {
  const now = options.now ?? (() => new Date());
  return {
    refresh: async (tenantId, stillNeeded) => {
      // The realm names the lock; the row is read again under it.
      const first = await options.vault.read(tenantId);
      if (first === null) return { kind: 'not_connected' };
      return options.db.transaction().execute(async (trx): Promise<TokenRefreshOutcome> => {
        await sql`select pg_advisory_xact_lock(hashtextextended(${lockKey(first.realmId)}, 0))`.execute(trx);
        const current = await options.vault.read(tenantId, { db: trx, forUpdate: true });
        if (current === null) return { kind: 'not_connected' };
        if (!stillNeeded(current)) return { kind: 'kept', tokens: current };
        try {
          const grant = await options.oauth.refresh(current.tokens.refreshToken);
          const saved = {
            tenantId,
            realmId: current.realmId,
            tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken },
            accessTokenExpiresAt: grant.accessTokenExpiresAt,
            refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
            // Intuit names the hard expiry on some answers only; it does not move.
            refreshTokenHardExpiresAt: grant.refreshTokenHardExpiresAt ?? current.refreshTokenHardExpiresAt,
            refreshedAt: now(),
          };
          // Committed with the transaction, before the new access token leaves this function.
          const version = await options.vault.save(saved, { db: trx });
          const tokens: StoredTokens = { ...saved, version };
          return { kind: 'refreshed', tokens, rotated: grant.refreshToken !== current.tokens.refreshToken, intuitTid: grant.intuitTid };
        } catch (error) {
          if (!(error instanceof OAuthTokenError)) throw error;
          return { kind: 'failed', error, tokens: current };
        }
      });
    },
  };
};
