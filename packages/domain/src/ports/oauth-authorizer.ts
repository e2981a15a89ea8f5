// Intuit's OAuth 2.0 as a connect and a disconnect need it: the consent link, the code exchange on the
// callback, and revoking a grant. Errors are OAuthTokenError, which carries Intuit's error code and
// intuit_tid and nothing of the request (no credentials, no token).

/** What the token endpoint handed out. */
export interface TokenGrant {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshTokenExpiresAt: Date;
  readonly refreshTokenHardExpiresAt: Date | null;
  /** Only on a code exchange: the company the user picked. */
  readonly realmId: string | null;
  readonly intuitTid: string | null;
}

export class OAuthTokenError extends Error {
  override readonly name = 'OAuthTokenError';
  constructor(
    /** Intuit's OAuth error (invalid_grant, invalid_client…) or network_error / server_error / rate_limited / invalid_response. */
    readonly code: string,
    readonly status: number | null,
    readonly intuitTid: string | null,
  ) {
    super(`Intuit's token endpoint answered ${code}${status === null ? '' : ` (HTTP ${status})`}${intuitTid ? ` intuit_tid=${intuitTid}` : ''}`);
  }

  /** invalid_grant and friends mean the grant is gone; the rest may pass. */
  get transient(): boolean {
    return this.code === 'network_error' || this.code === 'server_error' || this.code === 'rate_limited' || (this.status !== null && this.status >= 500);
  }
}

export interface OAuthAuthorizer {
  /** Intuit's consent page for the accounting scope, carrying `state` back to the callback. */
  authorizeUrl(state: string): string;
  /** Exchanges the code of the callback URL (as the browser brought it back) for tokens. */
  exchangeCode(callbackUrl: string): Promise<TokenGrant>;
  /** Revoking a refresh token ends the whole grant at Intuit. */
  revoke(refreshToken: string): Promise<void>;
}
