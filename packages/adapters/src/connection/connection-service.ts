// The connection lifecycle as the api drives it: start an OAuth connect, complete it on Intuit's callback
// (exchange the code, read CompanyInfo and Preferences, store the tokens, append ConnectionAuthorized),
// disconnect (revoke at Intuit, clear the vault, append ConnectionDisconnected) and read the status. A failed
// callback changes nothing: the realm switch is decided before any token is stored.

import { randomUUID } from 'node:crypto';
import { type CompanyProfile, RealmChangeNeedsConfirmationError, connectionDecider } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type AccessTokenSource, fixedAccessToken } from '../qbo-http/access-token-source.js';
import type { QboClient } from '../qbo-http/qbo-client.js';
import { QboError } from '../qbo-http/qbo-error.js';
import type { ConnectionCommandHandler } from './connection-command-handler.js';
import { type ConnectionStatusView, readConnectionStatus } from '../postgres/read-models/connection-status-read-model.js';
import { OAuthTokenError, type OAuthTokenService } from '../intuit-oauth/intuit-oauth-token-service.js';
import type { OAuthStateStore } from '../intuit-oauth/oauth-state-store.js';
import type { TokenVault } from '../intuit-oauth/token-vault.js';

export type ConnectionFlowErrorCode =
  | 'access_denied'
  | 'authorization_error'
  | 'bad_state'
  | 'wrong_user'
  | 'missing_code'
  | 'code_rejected'
  | 'intuit_unavailable'
  | 'company_unreadable'
  | 'realm_change_needs_confirmation'
  | 'not_connected';

/** A connect or disconnect that could not go ahead; `message` is safe to show to the person. */
export class ConnectionFlowError extends Error {
  override readonly name = 'ConnectionFlowError';
  constructor(
    readonly code: ConnectionFlowErrorCode,
    readonly status: number,
    message: string,
    readonly tenantId: string | null = null,
  ) {
    super(message);
  }
}

export interface ConnectionServiceOptions {
  readonly db: Kysely<unknown>;
  readonly vault: TokenVault;
  readonly states: OAuthStateStore;
  readonly oauth: OAuthTokenService;
  readonly commands: ConnectionCommandHandler;
  /** A QBO client over the given tokens (the new ones during a connect). */
  readonly qboClient: (tokens: AccessTokenSource) => QboClient;
  readonly logger: Logger;
  readonly now?: () => Date;
}

export interface ConnectionService {
  beginAuthorization(input: { tenantId: string; userId: string; confirmRealmChange: boolean }): Promise<{ authorizeUrl: string }>;
  completeAuthorization(input: { callbackUrl: string; userId: string }): Promise<{ tenantId: string; realmId: string; companyName: string }>;
  disconnect(input: { tenantId: string; userId: string }): Promise<{ realmId: string; revokedAtIntuit: boolean }>;
  status(tenantId: string): Promise<ConnectionStatusView>;
}

interface CompanyInfoBody {
  CompanyInfo?: { CompanyName?: unknown; Country?: unknown };
}
interface PreferencesBody {
  Preferences?: {
    CurrencyPrefs?: { MultiCurrencyEnabled?: unknown; HomeCurrency?: { value?: unknown } };
    SalesFormsPrefs?: { CustomTxnNumbers?: unknown };
  };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const stateProblem = { unknown: 'this connect link is not one this service issued', used: 'this connect link was already used', expired: 'this connect link has expired' } as const;

export const createConnectionService = (options: ConnectionServiceOptions): ConnectionService => {
  const now = options.now ?? (() => new Date());

  const readCompany = async (tenantId: string, accessToken: string, realmId: string): Promise<CompanyProfile> => {
    const client = options.qboClient(fixedAccessToken({ accessToken, realmId }));
    try {
      const info = await client.get<CompanyInfoBody>(tenantId, `/companyinfo/${encodeURIComponent(realmId)}`);
      const prefs = await client.get<PreferencesBody>(tenantId, '/preferences');
      const companyName = text(info.CompanyInfo?.CompanyName);
      if (companyName === null) throw new ConnectionFlowError('company_unreadable', 502, 'QuickBooks returned no company name', tenantId);
      return {
        companyName,
        country: text(info.CompanyInfo?.Country),
        homeCurrency: text(prefs.Preferences?.CurrencyPrefs?.HomeCurrency?.value),
        multiCurrencyEnabled: prefs.Preferences?.CurrencyPrefs?.MultiCurrencyEnabled === true,
        customTransactionNumbers: prefs.Preferences?.SalesFormsPrefs?.CustomTxnNumbers === true,
      };
    } catch (error) {
      if (error instanceof ConnectionFlowError) throw error;
      const detail = error instanceof QboError ? ` (${error.kind} ${error.code}${error.intuitTid ? `, intuit_tid ${error.intuitTid}` : ''})` : '';
      throw new ConnectionFlowError('company_unreadable', 502, `could not read the company's details from QuickBooks${detail}; nothing was changed, try connecting again`, tenantId);
    }
  };

  return {
    beginAuthorization: async ({ tenantId, userId, confirmRealmChange }) => {
      const state = await options.states.issue({ tenantId, userId, confirmRealmChange });
      return { authorizeUrl: options.oauth.authorizeUrl(state) };
    },

    completeAuthorization: async ({ callbackUrl, userId }) => {
      const params = new URL(callbackUrl).searchParams;
      const state = params.get('state') ?? '';
      const consumed = await options.states.consume(state);
      if (!consumed.ok) throw new ConnectionFlowError('bad_state', 400, `${stateProblem[consumed.reason]}; start connecting again from the connection page`);
      const { tenantId } = consumed;
      if (consumed.userId !== userId) {
        throw new ConnectionFlowError('wrong_user', 403, 'this connect link was started by another user; start connecting again yourself', tenantId);
      }
      const intuitError = params.get('error');
      if (intuitError !== null) {
        if (intuitError === 'access_denied') {
          throw new ConnectionFlowError('access_denied', 400, 'the connection was not approved in QuickBooks; nothing was changed', tenantId);
        }
        const safe = /^[a-z_]{1,40}$/.test(intuitError) ? intuitError : 'unknown_error';
        throw new ConnectionFlowError('authorization_error', 400, `QuickBooks answered ${safe}; nothing was changed`, tenantId);
      }
      const realmId = params.get('realmId');
      if (params.get('code') === null || realmId === null || !/^\d{1,32}$/.test(realmId)) {
        throw new ConnectionFlowError('missing_code', 400, 'the callback carries no authorization code or company (realmId)', tenantId);
      }

      let grant;
      try {
        grant = await options.oauth.exchangeCode(callbackUrl);
      } catch (error) {
        if (error instanceof OAuthTokenError && !error.transient) {
          throw new ConnectionFlowError('code_rejected', 400, `Intuit rejected the authorization code (${error.code}); it may have been used already. Start connecting again`, tenantId);
        }
        throw new ConnectionFlowError('intuit_unavailable', 502, 'Intuit could not be reached to finish the connection; try again', tenantId);
      }
      const company = await readCompany(tenantId, grant.accessToken, realmId);
      const command = {
        type: 'AuthorizeConnection' as const,
        realmId,
        company,
        expiries: {
          accessTokenExpiresAt: grant.accessTokenExpiresAt.toISOString(),
          refreshTokenExpiresAt: grant.refreshTokenExpiresAt.toISOString(),
          refreshTokenHardExpiresAt: grant.refreshTokenHardExpiresAt?.toISOString() ?? null,
        },
        userId,
        confirmRealmChange: consumed.confirmRealmChange,
        at: now().toISOString(),
      };
      // Decide before storing anything, so a refused realm switch leaves the vault and the log untouched.
      try {
        connectionDecider.decide(command, await options.commands.state(tenantId));
      } catch (error) {
        if (error instanceof RealmChangeNeedsConfirmationError) {
          throw new ConnectionFlowError('realm_change_needs_confirmation', 409, error.message, tenantId);
        }
        throw error;
      }
      await options.vault.save({
        tenantId,
        realmId,
        tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken },
        accessTokenExpiresAt: grant.accessTokenExpiresAt,
        refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
        refreshTokenHardExpiresAt: grant.refreshTokenHardExpiresAt,
        refreshedAt: now(),
      });
      await options.commands.handle(tenantId, command, { correlationId: randomUUID(), actor: { type: 'user', id: userId } });
      options.logger.info({ tenantId, realmId, intuit_tid: grant.intuitTid }, 'qbo company connected');
      return { tenantId, realmId, companyName: company.companyName };
    },

    disconnect: async ({ tenantId, userId }) => {
      const state = await options.commands.state(tenantId);
      const entry = await options.vault.read(tenantId);
      if (state.status !== 'connected') {
        if (entry !== null) await options.vault.clear(tenantId);
        throw new ConnectionFlowError('not_connected', 409, 'this tenant has no active QuickBooks connection', tenantId);
      }
      let revokedAtIntuit = false;
      if (entry !== null) {
        try {
          await options.oauth.revoke(entry.tokens.refreshToken);
          revokedAtIntuit = true;
        } catch (error) {
          if (!(error instanceof OAuthTokenError) || error.transient) {
            throw new ConnectionFlowError('intuit_unavailable', 502, 'Intuit could not be reached to revoke the connection; nothing was changed, try again', tenantId);
          }
          // Intuit no longer knows the grant: there is nothing left to revoke.
          options.logger.info({ tenantId, code: error.code, intuit_tid: error.intuitTid }, 'revoke found no live grant');
        }
        await options.vault.clear(tenantId);
      }
      await options.commands.handle(
        tenantId,
        { type: 'DisconnectConnection', revokedAtIntuit, userId, at: now().toISOString() },
        { correlationId: randomUUID(), actor: { type: 'user', id: userId } },
      );
      options.logger.info({ tenantId, realmId: state.realmId, revokedAtIntuit }, 'qbo company disconnected');
      return { realmId: state.realmId, revokedAtIntuit };
    },

    status: (tenantId) => readConnectionStatus(options.db, tenantId, now()),
  };
};
