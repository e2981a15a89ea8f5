// Access tokens for QBO calls, refreshed at most once at a time per realm across every process. The
// refresh holds a Postgres advisory lock keyed by the realm, re-reads the vault inside it (someone else may
// have refreshed while this process waited), and commits the rotated refresh token before anyone uses the
// new access token. An invalid_grant is checked against the vault before the connection is declared down.
// Refreshes are proactive: ahead of the access token's expiry, and at least daily so the refresh token rolls.

import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { AccessGrant, AccessTokenSource } from '../qbo-http/access-token-source.js';
import type { ConnectionCommandHandler } from '../connection/connection-command-handler.js';
import { OAuthTokenError, type OAuthTokenService } from './intuit-oauth-token-service.js';
import type { TokenVault, VaultEntry } from './token-vault.js';

export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly tenantId: string) {
    super(`tenant ${tenantId} has no QuickBooks connection`);
  }
}

export interface TokenRefresher extends AccessTokenSource {
  /** Refreshes now if the tenant's tokens are due (expiring soon or older than a day); used by the scheduler. */
  refreshIfDue(tenantId: string): Promise<'refreshed' | 'fresh'>;
  /** Every connection that is due, one after the other; failures are recorded, not thrown. */
  refreshAllDue(): Promise<{ refreshed: number; failed: number }>;
}

export interface TokenRefresherOptions {
  readonly db: Kysely<unknown>;
  readonly vault: TokenVault;
  readonly oauth: OAuthTokenService;
  readonly commands: ConnectionCommandHandler;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Refresh when the access token has less than this left. */
  readonly refreshLeadMs?: number;
  /** Refresh when the tokens are older than this, so the refresh token keeps rolling. */
  readonly maxTokenAgeMs?: number;
}

type RefreshCondition = { readonly rejectedAccessToken: string } | { readonly seenVersion: bigint };

const lockKey = (realmId: string) => `qbo-sync:token-refresh:${realmId}`;

export const createTokenRefresher = (options: TokenRefresherOptions): TokenRefresher => {
  const now = options.now ?? (() => new Date());
  const lead = options.refreshLeadMs ?? 5 * 60_000;
  const maxAge = options.maxTokenAgeMs ?? 24 * 3600_000;
  const system = { type: 'system', id: 'token-refresher' } as const;

  const isDue = (entry: VaultEntry) => {
    const at = now().getTime();
    return entry.accessTokenExpiresAt.getTime() - at <= lead || at - entry.refreshedAt.getTime() >= maxAge;
  };
  const grantOf = (entry: VaultEntry): AccessGrant => ({ accessToken: entry.tokens.accessToken, realmId: entry.realmId });

  const record = async (tenantId: string, work: () => Promise<unknown>) => {
    // Tokens are already safe in the vault: a failed append costs an event, not the connection.
    try {
      await work();
    } catch (error) {
      options.logger.error({ tenantId, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'could not record a connection event');
    }
  };

  const refresh = async (tenantId: string, condition: RefreshCondition): Promise<AccessGrant> => {
    const first = await options.vault.read(tenantId);
    if (first === null) throw new NotConnectedError(tenantId);
    const realmId = first.realmId;
    const outcome = await options.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${lockKey(realmId)}, 0))`.execute(trx);
      const entry = await options.vault.read(tenantId, { db: trx, forUpdate: true });
      if (entry === null) throw new NotConnectedError(tenantId);
      const replaced =
        'rejectedAccessToken' in condition ? entry.tokens.accessToken !== condition.rejectedAccessToken : entry.version !== condition.seenVersion;
      // Someone refreshed while this process waited for the lock: use their tokens.
      if (replaced && !isDue(entry)) return { kind: 'reused' as const, entry };
      try {
        const grant = await options.oauth.refresh(entry.tokens.refreshToken);
        const saved = {
          tenantId,
          realmId: entry.realmId,
          tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken },
          accessTokenExpiresAt: grant.accessTokenExpiresAt,
          refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
          refreshTokenHardExpiresAt: grant.refreshTokenHardExpiresAt ?? entry.refreshTokenHardExpiresAt,
          refreshedAt: now(),
        };
        // Committed with the transaction, before the new access token leaves this function.
        await options.vault.save(saved, { db: trx });
        return { kind: 'refreshed' as const, saved, rotated: grant.refreshToken !== entry.tokens.refreshToken, intuitTid: grant.intuitTid };
      } catch (error) {
        if (!(error instanceof OAuthTokenError)) throw error;
        return { kind: 'failed' as const, error, usedRefreshToken: entry.tokens.refreshToken, realmId: entry.realmId };
      }
    });

    const correlationId = randomUUID();
    if (outcome.kind === 'reused') return grantOf(outcome.entry);
    if (outcome.kind === 'refreshed') {
      const { saved } = outcome;
      options.logger.info({ tenantId, realmId: saved.realmId, intuit_tid: outcome.intuitTid, rotated: outcome.rotated }, 'qbo tokens refreshed');
      await record(tenantId, () =>
        options.commands.handle(
          tenantId,
          {
            type: 'RecordTokensRefreshed',
            realmId: saved.realmId,
            refreshTokenRotated: outcome.rotated,
            expiries: {
              accessTokenExpiresAt: saved.accessTokenExpiresAt.toISOString(),
              refreshTokenExpiresAt: saved.refreshTokenExpiresAt.toISOString(),
              refreshTokenHardExpiresAt: saved.refreshTokenHardExpiresAt?.toISOString() ?? null,
            },
            at: now().toISOString(),
          },
          { correlationId, actor: system },
        ),
      );
      return { accessToken: saved.tokens.accessToken, realmId: saved.realmId };
    }

    const { error } = outcome;
    if (!error.transient) {
      // Another process (or a reconnect) may have stored a newer refresh token: then the grant is alive.
      const latest = await options.vault.read(tenantId);
      if (latest !== null && latest.tokens.refreshToken !== outcome.usedRefreshToken) {
        options.logger.info({ tenantId, realmId: latest.realmId }, 'refresh token was rotated elsewhere; using the stored one');
        return isDue(latest) ? refresh(tenantId, { seenVersion: latest.version }) : grantOf(latest);
      }
    }
    options.logger.warn({ tenantId, realmId: outcome.realmId, code: error.code, status: error.status, intuit_tid: error.intuitTid }, 'qbo token refresh failed');
    await record(tenantId, () =>
      options.commands.handle(
        tenantId,
        { type: 'RecordRefreshFailure', realmId: outcome.realmId, kind: error.transient ? 'transient' : 'invalid_grant', errorCode: error.code, at: now().toISOString() },
        { correlationId, actor: system },
      ),
    );
    throw error;
  };

  const getAccessToken = async (tenantId: string): Promise<AccessGrant> => {
    const entry = await options.vault.read(tenantId);
    if (entry === null) throw new NotConnectedError(tenantId);
    return isDue(entry) ? refresh(tenantId, { seenVersion: entry.version }) : grantOf(entry);
  };

  return {
    getAccessToken,
    refreshAfterRejection: (tenantId, rejectedAccessToken) => refresh(tenantId, { rejectedAccessToken }),
    refreshIfDue: async (tenantId) => {
      const entry = await options.vault.read(tenantId);
      if (entry === null) throw new NotConnectedError(tenantId);
      if (!isDue(entry)) return 'fresh';
      await refresh(tenantId, { seenVersion: entry.version });
      return 'refreshed';
    },
    refreshAllDue: async () => {
      const at = now();
      const due = await options.vault.dueForRefresh(new Date(at.getTime() + lead), new Date(at.getTime() - maxAge));
      let refreshed = 0;
      let failed = 0;
      for (const { tenantId } of due) {
        try {
          const entry = await options.vault.read(tenantId);
          if (entry === null || !isDue(entry)) continue;
          await refresh(tenantId, { seenVersion: entry.version });
          refreshed += 1;
        } catch {
          failed += 1;
        }
      }
      return { refreshed, failed };
    },
  };
};
