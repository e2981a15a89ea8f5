// What can be asked of a tenant's connection. Time comes in on every command, so decide stays pure.

import type { CallOutcome } from './connection-health.js';
import type { CompanyProfile, RefreshFailureKind, TokenExpiries } from './connection-events.js';

export type AuthorizeConnection = {
  readonly type: 'AuthorizeConnection';
  readonly realmId: string;
  readonly company: CompanyProfile;
  readonly expiries: TokenExpiries;
  readonly userId: string;
  /** The user confirmed that this tenant may switch to a different QBO company. */
  readonly confirmRealmChange: boolean;
  readonly at: string;
};

export type RecordTokensRefreshed = {
  readonly type: 'RecordTokensRefreshed';
  readonly realmId: string;
  readonly expiries: TokenExpiries;
  readonly refreshTokenRotated: boolean;
  readonly at: string;
};

export type RecordRefreshFailure = {
  readonly type: 'RecordRefreshFailure';
  readonly realmId: string;
  /** invalid_grant only after the vault was re-read and held no newer token. */
  readonly kind: RefreshFailureKind;
  readonly errorCode: string;
  readonly at: string;
};

export type RecordCallOutcomes = {
  readonly type: 'RecordCallOutcomes';
  readonly realmId: string;
  /** The recent outcomes, oldest first, that health is derived from. */
  readonly recent: readonly CallOutcome[];
  readonly at: string;
};

export type DisconnectConnection = {
  readonly type: 'DisconnectConnection';
  readonly revokedAtIntuit: boolean;
  readonly userId: string;
  readonly at: string;
};

export type ConnectionCommand =
  | AuthorizeConnection
  | RecordTokensRefreshed
  | RecordRefreshFailure
  | RecordCallOutcomes
  | DisconnectConnection;
