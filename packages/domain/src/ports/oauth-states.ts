// OAuth `state` values of connects in progress: bound to the tenant and the user who started the connect,
// single-use, and expiring. The callback is accepted only with a state issued here.

export interface OAuthStateBinding {
  readonly tenantId: string;
  readonly userId: string;
  readonly confirmRealmChange: boolean;
}

export type ConsumedState = ({ readonly ok: true } & OAuthStateBinding) | { readonly ok: false; readonly reason: 'unknown' | 'used' | 'expired' };

export interface OAuthStates {
  /** A new, unguessable state for this binding. */
  issue(binding: OAuthStateBinding): Promise<string>;
  /** Marks the state used; only the first consumer of a live state gets its binding. */
  consume(state: string): Promise<ConsumedState>;
}
