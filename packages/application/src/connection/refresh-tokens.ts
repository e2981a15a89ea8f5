// The refresh every token use case shares: the single-flight refresher (a lock per realm across processes)
// refreshes unless someone else already did, and this records what happened on the connection stream.
// ConnectionTokensRefreshed after a refresh; after a failure, ConnectionRefreshFailed (and the health change
// the decider derives), but an invalid_grant only once the vault is re-read and holds no newer refresh token:
// another process, or a reconnect, may have stored one, and then the grant is alive.

import { randomUUID } from 'node:crypto';
import { type Actor, type StoredTokens, grantCheckDue, tokensDue } from '@qbo-sync/domain';
import type { ConnectionDeps } from './connection-deps.js';
import { NoStoredTokensError } from './connection-flow-error.js';
import { handleConnectionCommand } from './handle-connection-command.js';

/** An access token for QBO calls and the company it opens. */
export interface AccessGrant {
  readonly accessToken: string;
  readonly realmId: string;
}

/**
 * Why a refresh is asked for: QBO rejected this access token, the tokens seen (at this version) are due, or
 * someone says the grant is gone and only Intuit can confirm it (then tokens refreshed within the last minute
 * are proof enough that it was alive; see grantCheckDue).
 */
export type RefreshReason = { readonly rejectedAccessToken: string } | { readonly seenVersion: bigint } | { readonly grantCheck: true };

export type TokenDeps = Pick<ConnectionDeps, 'eventStore' | 'vault' | 'tokenRefresher' | 'logger' | 'now' | 'refreshPolicy'>;

export const TOKEN_REFRESHER: Actor = { type: 'system', id: 'token-refresher' };

export const grantOf = (stored: StoredTokens): AccessGrant => ({ accessToken: stored.tokens.accessToken, realmId: stored.realmId });

export const isDue = (deps: Pick<TokenDeps, 'now' | 'refreshPolicy'>, stored: StoredTokens): boolean => tokensDue(stored, deps.now(), deps.refreshPolicy);

const errorFields = (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message } : String(error));

/** The tokens are already safe in the vault: a failed append costs an event, not the connection. */
const recordSafely = async (deps: Pick<TokenDeps, 'logger'>, tenantId: string, work: () => Promise<unknown>): Promise<void> => {
  try {
    await work();
  } catch (error) {
    deps.logger.error({ tenantId, err: errorFields(error) }, 'could not record a connection event');
  }
};

export const refreshTokens = async (deps: TokenDeps, tenantId: string, reason: RefreshReason): Promise<AccessGrant> => {
  const outcome = await deps.tokenRefresher.refresh(tenantId, (current) => {
    if ('grantCheck' in reason) return grantCheckDue(current, deps.now());
    const replaced = 'rejectedAccessToken' in reason ? current.tokens.accessToken !== reason.rejectedAccessToken : current.version !== reason.seenVersion;
    // Someone refreshed while this process waited for the lock: their tokens do.
    return !(replaced && !isDue(deps, current));
  });
  if (outcome.kind === 'not_connected') throw new NoStoredTokensError(tenantId);
  if (outcome.kind === 'kept') return grantOf(outcome.tokens);

  const context = { correlationId: randomUUID(), actor: TOKEN_REFRESHER };
  if (outcome.kind === 'refreshed') {
    const { tokens } = outcome;
    deps.logger.info({ tenantId, realmId: tokens.realmId, intuit_tid: outcome.intuitTid, rotated: outcome.rotated }, 'qbo tokens refreshed');
    await recordSafely(deps, tenantId, () =>
      handleConnectionCommand(
        deps.eventStore,
        tenantId,
        {
          type: 'RecordTokensRefreshed',
          realmId: tokens.realmId,
          refreshTokenRotated: outcome.rotated,
          expiries: {
            accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
            refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
            refreshTokenHardExpiresAt: tokens.refreshTokenHardExpiresAt?.toISOString() ?? null,
          },
          at: deps.now().toISOString(),
        },
        context,
      ),
    );
    return grantOf(tokens);
  }

  const { error, tokens: used } = outcome;
  if (!error.transient) {
    const latest = await deps.vault.read(tenantId);
    if (latest !== null && latest.tokens.refreshToken !== used.tokens.refreshToken) {
      deps.logger.info({ tenantId, realmId: latest.realmId }, 'refresh token was rotated elsewhere; using the stored one');
      return isDue(deps, latest) ? refreshTokens(deps, tenantId, { seenVersion: latest.version }) : grantOf(latest);
    }
  }
  deps.logger.warn({ tenantId, realmId: used.realmId, code: error.code, status: error.status, intuit_tid: error.intuitTid }, 'qbo token refresh failed');
  await recordSafely(deps, tenantId, () =>
    handleConnectionCommand(
      deps.eventStore,
      tenantId,
      { type: 'RecordRefreshFailure', realmId: used.realmId, kind: error.transient ? 'transient' : 'invalid_grant', errorCode: error.code, at: deps.now().toISOString() },
      context,
    ),
  );
  throw error;
};
