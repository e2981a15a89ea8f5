// The OAuth half of the sandbox's seam with the rest of the emulator: the shapes helper A's server
// composes with (apps, lifetimes, options, the server handle). Kept apart so routers can import them
// without importing the composition in index.ts.
import type { Router } from 'express';
import type { SandboxClock } from '../clock.js';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs the app may use; empty means any. */
  redirectUris: string[];
}

export interface OAuthLifetimes {
  accessTokenSeconds: number;
  /** Window after a refresh token is issued in which refreshing returns that same refresh token (Intuit: ~24 h). */
  refreshRotationSeconds: number;
  /** A refresh token value dies this long after it was issued unless rotated (Intuit: 100 days). */
  refreshIdleSeconds: number;
  /** Hard cap on a grant's refresh tokens, from consent (Intuit: 5 years). */
  refreshHardSeconds: number;
  codeSeconds: number;
}

export interface OAuthOptions {
  clock: SandboxClock;
  /** What the consent page offers. */
  listCompanies(): Array<{ realmId: string; companyName: string }>;
  /** e.g. http://127.0.0.1:4010, known only after listen. */
  baseUrl(): string;
  apps?: OAuthApp[];
  autoApprove?: boolean;
  lifetimes?: Partial<OAuthLifetimes>;
  /** Called after anything that changes what snapshot() returns, so a host can save its state file. */
  onChange?: () => void;
}

export type AccessTokenCheck =
  { ok: true; clientId: string } | { ok: false; reason: 'malformed' | 'expired' | 'invalid' | 'wrong_realm' };

export interface OAuthServer {
  /** Mounted at '/': authorize page, token, revoke, userinfo, JWKS, discovery. */
  router: Router;
  /** Mounted at '/__sandbox/oauth': test controls. */
  controlsRouter: Router;
  verifyAccessToken(token: string, realmId: string): AccessTokenCheck;
  registerApp(app: OAuthApp): void;
  setAutoApprove(on: boolean): void;
  /** Skips the consent dance: a fresh grant for a realm, as a token endpoint response body. */
  mintTokens(input: { realmId: string; clientId?: string; scopes?: string[] }): TokenResponseBody;
  /** Token endpoint calls so far (no token values), oldest first. */
  tokenLog(): readonly TokenLogEntry[];
  snapshot(): unknown;
  restore(state: unknown): void;
  reset(): void;
}

export interface TokenResponseBody {
  token_type: 'bearer';
  access_token: string;
  expires_in: number;
  refresh_token: string;
  x_refresh_token_expires_in: number;
  x_refresh_token_hard_expires_in?: number;
  id_token?: string;
}

export interface TokenLogEntry {
  at: string;
  endpoint: 'token' | 'revoke' | 'userinfo';
  grantType?: string;
  clientId?: string;
  realmId?: string;
  status: number;
  /** OAuth error code when the call failed. */
  error?: string;
  /** For refresh_token grants: whether the refresh token value rotated. */
  rotated?: boolean;
}

export const INTUIT_ID_TOKEN_ISSUER = 'https://oauth.platform.intuit.com/op/v1';

export const DEFAULT_LIFETIMES: OAuthLifetimes = {
  accessTokenSeconds: 3600,
  refreshRotationSeconds: 24 * 3600,
  refreshIdleSeconds: 100 * 24 * 3600,
  refreshHardSeconds: 5 * 365 * 24 * 3600,
  codeSeconds: 300,
};

export const DEFAULT_APP: OAuthApp = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  redirectUris: [],
};
