// OAuth `state` values of connects in progress: bound to the tenant and the user who started the connect,
// single-use, and expiring. The callback is accepted only with a state issued here. A used state is kept with
// how its connect ended, so a callback that comes again (a replayed URL, the back button, a double click) is
// answered from here and never exchanges its code a second time.

export interface OAuthStateBinding {
  readonly tenantId: string;
  readonly userId: string;
  readonly confirmRealmChange: boolean;
}

/** How the connect of a used state ended: still under way, connected to this company, or not made. */
export type OAuthStateOutcome =
  | { readonly kind: 'pending' }
  | { readonly kind: 'connected'; readonly realmId: string; readonly companyName: string }
  | { readonly kind: 'failed' };

export type ConsumedState =
  | ({ readonly ok: true } & OAuthStateBinding)
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' }
  | { readonly ok: false; readonly reason: 'used'; readonly binding: OAuthStateBinding; readonly outcome: OAuthStateOutcome };

export interface OAuthStates {
  /** A new, unguessable state for this binding. */
  issue(binding: OAuthStateBinding): Promise<string>;
  /** Marks the state used; only the first consumer of a live state gets `ok`, later ones what it came to. */
  consume(state: string): Promise<ConsumedState>;
  /**
   * Records that an authorization code is about to be exchanged; false when it already was, under any state.
   * Intuit may end the grant a repeated exchange made, so a code is exchanged at most once.
   */
  claimCode(code: string): Promise<boolean>;
  /** Records how the connect of a consumed state ended (connected, or null: not made). */
  settle(state: string, connected: { readonly realmId: string; readonly companyName: string } | null): Promise<void>;
}
