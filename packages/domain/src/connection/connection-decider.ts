// The decider of a tenant's `connection-{tenant}` stream: which events a command causes, given the state
// folded from the events so far. Pure: time and outcomes come in on the command.

import type { ConnectionCommand } from './connection-commands.js';
import { ConnectionNotActiveError, RealmChangeNeedsConfirmationError } from './connection-errors.js';
import type { CompanyProfile, ConnectionEvent, TokenExpiries } from './connection-events.js';
import { type ConnectionHealth, deriveHealth } from './connection-health.js';

/** Transient refresh failures in a row before the connection counts as degraded and a warning shows. */
export const REFRESH_FAILURES_BEFORE_WARNING = 3;

export type ConnectionState =
  | { readonly status: 'never_connected' }
  | {
      readonly status: 'connected';
      readonly realmId: string;
      readonly company: CompanyProfile;
      readonly expiries: TokenExpiries;
      readonly health: ConnectionHealth;
      readonly consecutiveRefreshFailures: number;
    }
  | {
      readonly status: 'disconnected';
      readonly realmId: string;
      readonly company: CompanyProfile;
    };

export const initialState = (): ConnectionState => ({ status: 'never_connected' });

const healthChange = (realmId: string, from: ConnectionHealth, to: ConnectionHealth, reason: string, at: string): ConnectionEvent[] =>
  from === to ? [] : [{ type: 'ConnectionHealthChanged', data: { realmId, from, to, reason, at } }];

const requireConnected = (state: ConnectionState, realmId: string | null) => {
  if (state.status !== 'connected') throw new ConnectionNotActiveError('this tenant has no active QuickBooks connection');
  if (realmId !== null && state.realmId !== realmId) {
    throw new ConnectionNotActiveError(`this tenant is connected to realm ${state.realmId}, not ${realmId}`);
  }
  return state;
};

export const decide = (command: ConnectionCommand, state: ConnectionState): ConnectionEvent[] => {
  switch (command.type) {
    case 'AuthorizeConnection': {
      const previous = state.status === 'never_connected' ? null : state;
      if (previous !== null && previous.realmId !== command.realmId && !command.confirmRealmChange) {
        throw new RealmChangeNeedsConfirmationError(previous.realmId, previous.company.companyName, command.realmId);
      }
      const authorized: ConnectionEvent = {
        type: 'ConnectionAuthorized',
        data: {
          realmId: command.realmId,
          company: command.company,
          authorizedBy: command.userId,
          replacedRealmId: previous !== null && previous.realmId !== command.realmId ? previous.realmId : null,
          ...command.expiries,
          at: command.at,
        },
      };
      // A reconnect cures a connection that was down; ConnectionAuthorized itself means healthy.
      const before = state.status === 'connected' && state.realmId === command.realmId ? state.health : 'healthy';
      return [authorized, ...healthChange(command.realmId, before, 'healthy', 'reconnected', command.at)];
    }
    case 'RecordTokensRefreshed': {
      const connected = requireConnected(state, command.realmId);
      const refreshed: ConnectionEvent = {
        type: 'ConnectionTokensRefreshed',
        data: { realmId: command.realmId, refreshTokenRotated: command.refreshTokenRotated, ...command.expiries, at: command.at },
      };
      // A refresh that works again ends a down or degraded spell that failed refreshes caused.
      const cured = connected.health !== 'healthy' && (connected.consecutiveRefreshFailures > 0 || connected.health === 'down');
      return [refreshed, ...(cured ? healthChange(command.realmId, connected.health, 'healthy', 'token refresh succeeded', command.at) : [])];
    }
    case 'RecordRefreshFailure': {
      const connected = requireConnected(state, command.realmId);
      const consecutiveFailures = connected.consecutiveRefreshFailures + 1;
      const failed: ConnectionEvent = {
        type: 'ConnectionRefreshFailed',
        data: { realmId: command.realmId, kind: command.kind, errorCode: command.errorCode, consecutiveFailures, at: command.at },
      };
      if (command.kind === 'invalid_grant') {
        return [
          failed,
          ...healthChange(command.realmId, connected.health, 'down', 'Intuit rejected the refresh token (invalid_grant); reconnect the company', command.at),
        ];
      }
      const degrade = consecutiveFailures >= REFRESH_FAILURES_BEFORE_WARNING && connected.health === 'healthy';
      return [
        failed,
        ...(degrade
          ? healthChange(command.realmId, 'healthy', 'degraded', `token refresh failed ${consecutiveFailures} times in a row (${command.errorCode})`, command.at)
          : []),
      ];
    }
    case 'RecordCallOutcomes': {
      // Outcomes may arrive late from a process that still used the old connection: they say nothing then.
      if (state.status !== 'connected' || state.realmId !== command.realmId) return [];
      const derived = deriveHealth(command.recent);
      if (derived === null) return [];
      return healthChange(command.realmId, state.health, derived.health, derived.reason, command.at);
    }
    case 'DisconnectConnection': {
      const connected = requireConnected(state, null);
      return [
        {
          type: 'ConnectionDisconnected',
          data: { realmId: connected.realmId, revokedAtIntuit: command.revokedAtIntuit, disconnectedBy: command.userId, at: command.at },
        },
      ];
    }
  }
};

export const evolve = (state: ConnectionState, event: { readonly type: string; readonly data: unknown }): ConnectionState => {
  const known = event as ConnectionEvent;
  switch (known.type) {
    case 'ConnectionAuthorized': {
      const { realmId, company, accessTokenExpiresAt, refreshTokenExpiresAt, refreshTokenHardExpiresAt } = known.data;
      return {
        status: 'connected',
        realmId,
        company,
        expiries: { accessTokenExpiresAt, refreshTokenExpiresAt, refreshTokenHardExpiresAt },
        health: 'healthy',
        consecutiveRefreshFailures: 0,
      };
    }
    case 'ConnectionTokensRefreshed': {
      if (state.status !== 'connected') return state;
      const { accessTokenExpiresAt, refreshTokenExpiresAt, refreshTokenHardExpiresAt } = known.data;
      return { ...state, expiries: { accessTokenExpiresAt, refreshTokenExpiresAt, refreshTokenHardExpiresAt }, consecutiveRefreshFailures: 0 };
    }
    case 'ConnectionRefreshFailed':
      return state.status === 'connected' ? { ...state, consecutiveRefreshFailures: known.data.consecutiveFailures } : state;
    case 'ConnectionHealthChanged':
      return state.status === 'connected' ? { ...state, health: known.data.to } : state;
    case 'ConnectionDisconnected':
      return state.status === 'connected' ? { status: 'disconnected', realmId: state.realmId, company: state.company } : state;
    default:
      // Events of later schema or other kinds leave the state as it is.
      return state;
  }
};

export const connectionDecider = { decide, evolve, initialState };
