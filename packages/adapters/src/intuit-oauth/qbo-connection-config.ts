// Where QuickBooks is, read from the environment. With QBO_CLIENT_ID set the service talks to Intuit and
// needs all four QBO_* variables; without it, it talks to the local sandbox at QBO_SANDBOX_URL with the
// sandbox's default app. Nothing else in the code knows which of the two it is.

import { z } from 'zod';
import { ConfigurationError } from '../config/configuration-error.js';
import { type Env, httpUrl, optional, parseEnv, positiveInteger, withDefault } from '../config/env.js';

export const MINOR_VERSION = 75;

export interface OAuthEndpoints {
  readonly authorize: string;
  readonly token: string;
  readonly revoke: string;
  readonly userinfo: string;
  readonly jwks: string;
}

export interface QboConnectionConfig {
  readonly target: 'intuit' | 'sandbox';
  readonly environment: 'sandbox' | 'production';
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  /** Parent of `/v3/company/{realm}`, no trailing slash. */
  readonly accountingBaseUrl: string;
  readonly oauth: OAuthEndpoints;
  readonly minorVersion: number;
  /** How long to wait after a 429 (Intuit says 60 s); shorter only in tests. */
  readonly throttleWaitMs: number;
  readonly stateTtlSeconds: number;
  readonly vault: { readonly key: string | undefined; readonly previousKeys: string | undefined; readonly dataDir: string };
}

const INTUIT_OAUTH: OAuthEndpoints = {
  authorize: 'https://appcenter.intuit.com/connect/oauth2',
  token: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
  revoke: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
  userinfo: 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo',
  jwks: 'https://oauth.platform.intuit.com/op/v1/jwks',
};
const INTUIT_SANDBOX_USERINFO = 'https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo';
const INTUIT_ACCOUNTING = { production: 'https://quickbooks.api.intuit.com', sandbox: 'https://sandbox-quickbooks.api.intuit.com' } as const;

/** The sandbox serves Intuit's paths on one host. */
export const sandboxOAuthEndpoints = (base: string): OAuthEndpoints => ({
  authorize: `${base}/connect/oauth2`,
  token: `${base}/oauth2/v1/tokens/bearer`,
  revoke: `${base}/v2/oauth2/tokens/revoke`,
  userinfo: `${base}/v1/openid_connect/userinfo`,
  jwks: `${base}/op/v1/jwks`,
});

export const SANDBOX_APP = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' } as const;

export const loadQboConnectionConfig = (env: Env, defaults: { redirectUri?: string } = {}): QboConnectionConfig => {
  const parsed = parseEnv(
    {
      QBO_CLIENT_ID: optional(z.string()),
      QBO_CLIENT_SECRET: optional(z.string()),
      QBO_REDIRECT_URI: optional(httpUrl),
      QBO_ENVIRONMENT: optional(z.enum(['sandbox', 'production'], { error: 'must be sandbox or production' })),
      QBO_SANDBOX_URL: withDefault(httpUrl, 'http://127.0.0.1:4010'),
      QBO_THROTTLE_WAIT_MS: withDefault(positiveInteger, 60_000),
      QBO_OAUTH_STATE_TTL_SECONDS: withDefault(positiveInteger, 600),
      TOKEN_VAULT_KEY: optional(z.string()),
      TOKEN_VAULT_PREVIOUS_KEYS: optional(z.string()),
      QBO_SYNC_DATA_DIR: withDefault(z.string(), '.data'),
    },
    env,
  );
  const common = {
    minorVersion: MINOR_VERSION,
    throttleWaitMs: parsed.QBO_THROTTLE_WAIT_MS,
    stateTtlSeconds: parsed.QBO_OAUTH_STATE_TTL_SECONDS,
    vault: { key: parsed.TOKEN_VAULT_KEY, previousKeys: parsed.TOKEN_VAULT_PREVIOUS_KEYS, dataDir: parsed.QBO_SYNC_DATA_DIR },
  };
  const redirectUri = parsed.QBO_REDIRECT_URI ?? defaults.redirectUri ?? 'http://127.0.0.1:3000/v1/connection/callback';
  if (parsed.QBO_CLIENT_ID === undefined) {
    if (parsed.QBO_CLIENT_SECRET !== undefined) {
      throw new ConfigurationError([{ variable: 'QBO_CLIENT_ID', message: 'is required when QBO_CLIENT_SECRET is set' }]);
    }
    const base = parsed.QBO_SANDBOX_URL.replace(/\/+$/, '');
    return {
      target: 'sandbox',
      environment: 'sandbox',
      ...SANDBOX_APP,
      redirectUri,
      accountingBaseUrl: base,
      oauth: sandboxOAuthEndpoints(base),
      ...common,
    };
  }
  const missing = (['QBO_CLIENT_SECRET', 'QBO_REDIRECT_URI', 'QBO_ENVIRONMENT'] as const).filter((name) => parsed[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigurationError(missing.map((variable) => ({ variable, message: 'is required when QBO_CLIENT_ID is set (talking to Intuit)' })));
  }
  const environment = parsed.QBO_ENVIRONMENT as 'sandbox' | 'production';
  return {
    target: 'intuit',
    environment,
    clientId: parsed.QBO_CLIENT_ID,
    clientSecret: parsed.QBO_CLIENT_SECRET as string,
    redirectUri: parsed.QBO_REDIRECT_URI as string,
    accountingBaseUrl: INTUIT_ACCOUNTING[environment],
    oauth: { ...INTUIT_OAUTH, userinfo: environment === 'sandbox' ? INTUIT_SANDBOX_USERINFO : INTUIT_OAUTH.userinfo },
    ...common,
  };
};
