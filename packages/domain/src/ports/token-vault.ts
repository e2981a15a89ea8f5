// Where a tenant's QBO tokens are kept between calls: encrypted at rest by the adapter, with the expiries
// readable without decrypting (refresh decisions need only those). Tokens leave the vault only towards Intuit
// and QBO: never into an event, a log line, an error or a read model.

/** The two secrets of a grant. */
export interface QboTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

export interface StoredTokenExpiries {
  readonly accessTokenExpiresAt: Date;
  readonly refreshTokenExpiresAt: Date;
  /** Intuit's 5-year cap on the grant; null when Intuit did not say. */
  readonly refreshTokenHardExpiresAt: Date | null;
}

/** What is written: the tokens of one tenant's connection and when they came from the token endpoint. */
export interface TokensToStore extends StoredTokenExpiries {
  readonly tenantId: string;
  readonly realmId: string;
  readonly tokens: QboTokens;
  readonly refreshedAt: Date;
}

/** What is read back, with a version that goes up on every write (so a reader can tell someone else refreshed). */
export interface StoredTokens extends TokensToStore {
  readonly version: bigint;
}

export interface TokenVault {
  read(tenantId: string): Promise<StoredTokens | null>;
  /** Replaces the tenant's tokens (connect, refresh); answers the new version. */
  save(entry: TokensToStore): Promise<bigint>;
  /** Forgets the tenant's tokens; answers whether there were any. */
  clear(tenantId: string): Promise<boolean>;
  /** Tenants whose access token expires before `before`, or whose tokens were obtained before `staleBefore`. */
  dueForRefresh(before: Date, staleBefore: Date): Promise<ReadonlyArray<{ readonly tenantId: string; readonly realmId: string }>>;
  /** Tenants holding tokens for this QBO company (Intuit names only the realm when it sends someone back). */
  holdersOf(realmId: string): Promise<readonly string[]>;
}
