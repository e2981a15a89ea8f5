// The events of a tenant's `connection-{tenant}` stream. They say that tokens exist and when they expire,
// never what they are: tokens live only in the encrypted token vault.

import type { ConnectionHealth } from './connection-health.js';

export interface CompanyProfile {
  readonly companyName: string;
  /** As CompanyInfo.Country gives it (ISO code). */
  readonly country: string | null;
  readonly homeCurrency: string | null;
  readonly multiCurrencyEnabled: boolean;
  /** Preferences.SalesFormsPrefs.CustomTxnNumbers: whether QBO numbers documents itself. */
  readonly customTransactionNumbers: boolean;
}

/** When the tokens in the vault stop working; all ISO-8601. */
export interface TokenExpiries {
  readonly accessTokenExpiresAt: string;
  readonly refreshTokenExpiresAt: string;
  /** Intuit's 5-year cap on the grant; null when Intuit did not say. */
  readonly refreshTokenHardExpiresAt: string | null;
}

export type ConnectionAuthorized = {
  readonly type: 'ConnectionAuthorized';
  readonly data: TokenExpiries & {
    readonly realmId: string;
    readonly company: CompanyProfile;
    readonly authorizedBy: string;
    /** The realm this tenant was connected to before, when it differs (a confirmed switch). */
    readonly replacedRealmId: string | null;
    readonly at: string;
  };
};

export type ConnectionTokensRefreshed = {
  readonly type: 'ConnectionTokensRefreshed';
  readonly data: TokenExpiries & {
    readonly realmId: string;
    /** Whether Intuit handed out a new refresh token value (it does about once a day). */
    readonly refreshTokenRotated: boolean;
    readonly at: string;
  };
};

export type RefreshFailureKind = 'invalid_grant' | 'transient';

export type ConnectionRefreshFailed = {
  readonly type: 'ConnectionRefreshFailed';
  readonly data: {
    readonly realmId: string;
    readonly kind: RefreshFailureKind;
    /** Intuit's OAuth error code (e.g. invalid_grant) or a network error name; never a token. */
    readonly errorCode: string;
    readonly consecutiveFailures: number;
    readonly at: string;
  };
};

export type ConnectionHealthChanged = {
  readonly type: 'ConnectionHealthChanged';
  readonly data: {
    readonly realmId: string;
    readonly from: ConnectionHealth;
    readonly to: ConnectionHealth;
    readonly reason: string;
    readonly at: string;
  };
};

export type ConnectionDisconnected = {
  readonly type: 'ConnectionDisconnected';
  readonly data: {
    readonly realmId: string;
    /** False when Intuit already considered the grant dead, so there was nothing left to revoke. */
    readonly revokedAtIntuit: boolean;
    readonly disconnectedBy: string;
    readonly at: string;
  };
};

export type ConnectionEvent =
  | ConnectionAuthorized
  | ConnectionTokensRefreshed
  | ConnectionRefreshFailed
  | ConnectionHealthChanged
  | ConnectionDisconnected;

export type ConnectionEventType = ConnectionEvent['type'];

export const connectionEventTypes: readonly ConnectionEventType[] = [
  'ConnectionAuthorized',
  'ConnectionTokensRefreshed',
  'ConnectionRefreshFailed',
  'ConnectionHealthChanged',
  'ConnectionDisconnected',
];

export const CONNECTION_CATEGORY = 'connection';
