// Intuit's OAuth over intuit-oauth (the OAuthAuthorizer port, plus the refresh the single-flight refresher
// makes): authorize URL, code exchange, refresh and revoke. Its endpoints are process-global statics of
// OAuthClient, set here from the configuration. Errors leave this module as the domain's OAuthTokenError
// carrying Intuit's error code and intuit_tid only: intuit-oauth's own errors hold the request (Basic
// credentials, tokens) and must never reach a log.

import { type OAuthAuthorizer, OAuthTokenError, type TokenGrant } from '@qbo-sync/domain';
import OAuthClient from 'intuit-oauth';
import type { QboConnectionConfig } from './qbo-connection-config.js';

export interface OAuthTokenService extends OAuthAuthorizer {
  refresh(refreshToken: string): Promise<TokenGrant>;
}

export const ACCOUNTING_SCOPES = [OAuthClient.scopes.Accounting, OAuthClient.scopes.OpenId];

/** Points intuit-oauth at the configured endpoints. Process-global, so one process talks to one Intuit. */
export const configureIntuitOAuth = (config: QboConnectionConfig): void => {
  OAuthClient.authorizeEndpoint = config.oauth.authorize;
  OAuthClient.tokenEndpoint = config.oauth.token;
  OAuthClient.revokeEndpoint = config.oauth.revoke;
  OAuthClient.userinfo_endpoint_sandbox = config.oauth.userinfo;
  OAuthClient.userinfo_endpoint_production = config.oauth.userinfo;
  OAuthClient.jwks_uri = config.oauth.jwks;
  const base = `${config.accountingBaseUrl}/`;
  OAuthClient.environment = { sandbox: base, production: base };
  // intuit-oauth would re-send a refresh after a lost answer, when Intuit may already have rotated the token.
  // Retries are decided by the refresher, which re-reads the vault first.
  OAuthClient.retryConfig = { ...OAuthClient.retryConfig, maxRetries: 0 };
};

interface IntuitOAuthFailure {
  error?: unknown;
  intuit_tid?: unknown;
  code?: unknown;
  originalMessage?: unknown;
  authResponse?: { response?: { status?: unknown } } | string;
}

const toTokenError = (failure: unknown): OAuthTokenError => {
  const raw = (failure ?? {}) as IntuitOAuthFailure;
  const status = typeof raw.authResponse === 'object' && typeof raw.authResponse.response?.status === 'number' ? raw.authResponse.response.status : null;
  const tid = typeof raw.intuit_tid === 'string' && raw.intuit_tid !== '' ? raw.intuit_tid : null;
  const error = typeof raw.error === 'string' ? raw.error : '';
  // Only well-formed OAuth error codes are kept; anything else (HTML, axios text) could carry request data.
  if (/^[a-z_]{3,40}$/.test(error)) return new OAuthTokenError(error, status, tid);
  if (status === 429) return new OAuthTokenError('rate_limited', status, tid);
  if (status !== null && status >= 500) return new OAuthTokenError('server_error', status, tid);
  if (status !== null) return new OAuthTokenError('invalid_response', status, tid);
  return new OAuthTokenError('network_error', null, tid);
};

interface TokenJson {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  x_refresh_token_expires_in?: unknown;
  x_refresh_token_hard_expires_in?: unknown;
}

const seconds = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null);

const toGrant = (json: TokenJson, realmId: string | null, intuitTid: string | null, now: Date): TokenGrant => {
  const expiresIn = seconds(json.expires_in);
  const refreshIn = seconds(json.x_refresh_token_expires_in);
  if (typeof json.access_token !== 'string' || typeof json.refresh_token !== 'string' || expiresIn === null || refreshIn === null) {
    throw new OAuthTokenError('invalid_response', 200, intuitTid);
  }
  const hard = seconds(json.x_refresh_token_hard_expires_in);
  const at = (s: number) => new Date(now.getTime() + s * 1000);
  return {
    accessToken: json.access_token,
    refreshToken: json.refresh_token,
    accessTokenExpiresAt: at(expiresIn),
    refreshTokenExpiresAt: at(refreshIn),
    refreshTokenHardExpiresAt: hard === null ? null : at(hard),
    realmId,
    intuitTid,
  };
};

export const createIntuitOAuthTokenService = (config: QboConnectionConfig, options: { now?: () => Date } = {}): OAuthTokenService => {
  const now = options.now ?? (() => new Date());
  const client = () =>
    new OAuthClient({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      environment: config.environment,
      redirectUri: config.redirectUri,
      logging: false,
      includeRefreshTokenHardExpiresIn: true,
    });
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw error instanceof OAuthTokenError ? error : toTokenError(error);
    }
  };
  return {
    authorizeUrl: (state) => client().authorizeUri({ scope: ACCOUNTING_SCOPES, state }),
    exchangeCode: (callbackUrl) =>
      call(async () => {
        const startedAt = now();
        const response = await client().createToken(callbackUrl);
        const realmId = new URL(callbackUrl).searchParams.get('realmId');
        return toGrant(response.json as TokenJson, realmId, response.intuit_tid || null, startedAt);
      }),
    refresh: (refreshToken) =>
      call(async () => {
        const startedAt = now();
        const response = await client().refreshUsingToken(refreshToken);
        return toGrant(response.json as TokenJson, null, response.intuit_tid || null, startedAt);
      }),
    revoke: (token) =>
      call(async () => {
        await client().revoke({ refresh_token: token });
      }),
  };
};
