// What the QBO client needs from the token side: a current access token for a tenant, and a fresh one
// after QBO rejected the one it had. The single-flight refresher implements it; a fixed token does for the
// first calls of a connect, before anything is stored.

export interface AccessGrant {
  readonly accessToken: string;
  readonly realmId: string;
}

export interface AccessTokenSource {
  getAccessToken(tenantId: string): Promise<AccessGrant>;
  /** Called once after a 401: refresh unless someone already replaced `rejectedAccessToken`. */
  refreshAfterRejection(tenantId: string, rejectedAccessToken: string): Promise<AccessGrant>;
}

export const fixedAccessToken = (grant: AccessGrant): AccessTokenSource => ({
  getAccessToken: async () => grant,
  refreshAfterRejection: async () => {
    throw new Error('no refresh is possible for a token that is not stored yet');
  },
});
