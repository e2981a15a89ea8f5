// Given/when/then on the connection decider: connect, reconnect, realm switch, refresh, failures, health
// and disconnect.

import { describe, expect, it } from 'vitest';
import {
  type ConnectionCommand,
  type ConnectionEvent,
  ConnectionNotActiveError,
  RealmChangeNeedsConfirmationError,
  decide,
  evolve,
  initialState,
} from '../../src/index.js';

const company = { companyName: 'Larry’s Bakery', country: 'US', homeCurrency: 'USD', multiCurrencyEnabled: false, customTransactionNumbers: true };
const expiries = { accessTokenExpiresAt: '2026-01-01T01:00:00.000Z', refreshTokenExpiresAt: '2026-04-10T00:00:00.000Z', refreshTokenHardExpiresAt: '2030-12-31T00:00:00.000Z' };
const at = '2026-01-01T00:00:00.000Z';

const authorize = (realmId = '111', confirmRealmChange = false): ConnectionCommand => ({
  type: 'AuthorizeConnection', realmId, company, expiries, userId: 'u1', confirmRealmChange, at,
});

const given = (events: readonly ConnectionEvent[]) => events.reduce(evolve, initialState());
const when = (history: readonly ConnectionEvent[], command: ConnectionCommand) => decide(command, given(history));
const connected = (realmId = '111') => decide(authorize(realmId), initialState());

describe('connection decider', () => {
  it('authorizes a first connection with the company profile and token expiries', () => {
    expect(connected()).toEqual([
      { type: 'ConnectionAuthorized', data: { realmId: '111', company, authorizedBy: 'u1', replacedRealmId: null, ...expiries, at } },
    ]);
  });

  it('reconnects the same realm after a disconnect without asking for confirmation', () => {
    const history = [...connected(), ...when(connected(), { type: 'DisconnectConnection', revokedAtIntuit: true, userId: 'u1', at })];
    expect(given(history).status).toBe('disconnected');
    const events = when(history, authorize('111'));
    expect(events.map((e) => e.type)).toEqual(['ConnectionAuthorized']);
    expect(given([...history, ...events])).toMatchObject({ status: 'connected', realmId: '111', health: 'healthy' });
  });

  it('refuses a different realm without confirmation, and accepts it with one', () => {
    const history = connected('111');
    expect(() => when(history, authorize('222'))).toThrow(RealmChangeNeedsConfirmationError);
    expect(() => when(history, authorize('222'))).toThrow(/realm 111.*realm 222.*confirmation/);
    const events = when(history, authorize('222', true));
    expect(events[0]).toMatchObject({ type: 'ConnectionAuthorized', data: { realmId: '222', replacedRealmId: '111' } });
  });

  it('refuses a different realm after a disconnect too: the old records still belong to the old company', () => {
    const history = [...connected('111'), ...when(connected('111'), { type: 'DisconnectConnection', revokedAtIntuit: true, userId: 'u1', at })];
    expect(() => when(history, authorize('222'))).toThrow(RealmChangeNeedsConfirmationError);
  });

  it('records a refresh and resets the failure count', () => {
    const failed = when(connected(), { type: 'RecordRefreshFailure', realmId: '111', kind: 'transient', errorCode: 'ECONNRESET', at });
    const history = [...connected(), ...failed];
    expect(given(history)).toMatchObject({ consecutiveRefreshFailures: 1 });
    const newer = { ...expiries, accessTokenExpiresAt: '2026-01-01T02:00:00.000Z' };
    const events = when(history, { type: 'RecordTokensRefreshed', realmId: '111', expiries: newer, refreshTokenRotated: true, at });
    expect(events).toEqual([{ type: 'ConnectionTokensRefreshed', data: { realmId: '111', refreshTokenRotated: true, ...newer, at } }]);
    expect(given([...history, ...events])).toMatchObject({ consecutiveRefreshFailures: 0, expiries: newer });
  });

  it('degrades after three transient refresh failures in a row, and heals on the next refresh', () => {
    let history = connected();
    const fail: ConnectionCommand = { type: 'RecordRefreshFailure', realmId: '111', kind: 'transient', errorCode: 'ETIMEDOUT', at };
    for (let i = 0; i < 2; i += 1) {
      const events = when(history, fail);
      expect(events.map((e) => e.type)).toEqual(['ConnectionRefreshFailed']);
      history = [...history, ...events];
    }
    const third = when(history, fail);
    expect(third.map((e) => e.type)).toEqual(['ConnectionRefreshFailed', 'ConnectionHealthChanged']);
    expect(third[1]).toMatchObject({ data: { from: 'healthy', to: 'degraded' } });
    history = [...history, ...third];
    const healed = when(history, { type: 'RecordTokensRefreshed', realmId: '111', expiries, refreshTokenRotated: false, at });
    expect(healed[1]).toMatchObject({ type: 'ConnectionHealthChanged', data: { from: 'degraded', to: 'healthy' } });
  });

  it('declares the connection down on a confirmed invalid_grant, and a reconnect heals it', () => {
    const events = when(connected(), { type: 'RecordRefreshFailure', realmId: '111', kind: 'invalid_grant', errorCode: 'invalid_grant', at });
    expect(events.map((e) => e.type)).toEqual(['ConnectionRefreshFailed', 'ConnectionHealthChanged']);
    expect(events[1]).toMatchObject({ data: { from: 'healthy', to: 'down' } });
    const history = [...connected(), ...events];
    const again = when(history, authorize('111'));
    expect(again.map((e) => e.type)).toEqual(['ConnectionAuthorized', 'ConnectionHealthChanged']);
    expect(again[1]).toMatchObject({ data: { from: 'down', to: 'healthy', reason: 'reconnected' } });
  });

  it('derives health from call outcomes and only emits on a transition', () => {
    const outcomes = (...kinds: Array<'success' | 'auth_failure' | 'throttle' | 'server_error'>) => ({
      type: 'RecordCallOutcomes' as const, realmId: '111', recent: kinds.map((kind) => ({ kind, at })), at,
    });
    expect(when(connected(), outcomes('success'))).toEqual([]);
    const throttled = when(connected(), outcomes('success', 'throttle', 'throttle'));
    expect(throttled).toEqual([
      { type: 'ConnectionHealthChanged', data: { realmId: '111', from: 'healthy', to: 'degraded', reason: 'QuickBooks throttled calls (2 times in a row)', at } },
    ]);
    const history = [...connected(), ...throttled];
    expect(when(history, outcomes('throttle', 'throttle', 'server_error'))).toEqual([]);
    expect(when(history, outcomes('throttle', 'auth_failure'))[0]).toMatchObject({ data: { from: 'degraded', to: 'down' } });
    expect(when(history, outcomes('throttle', 'success'))[0]).toMatchObject({ data: { from: 'degraded', to: 'healthy' } });
    expect(when(history, outcomes())).toEqual([]);
  });

  it('ignores call outcomes for a realm the tenant is no longer connected to', () => {
    expect(when(connected('111'), { type: 'RecordCallOutcomes', realmId: '999', recent: [{ kind: 'auth_failure', at }], at })).toEqual([]);
  });

  it('disconnects an active connection and refuses to disconnect twice', () => {
    const events = when(connected(), { type: 'DisconnectConnection', revokedAtIntuit: true, userId: 'u2', at });
    expect(events).toEqual([{ type: 'ConnectionDisconnected', data: { realmId: '111', revokedAtIntuit: true, disconnectedBy: 'u2', at } }]);
    expect(() => when([...connected(), ...events], { type: 'DisconnectConnection', revokedAtIntuit: true, userId: 'u2', at })).toThrow(ConnectionNotActiveError);
  });

  it('refuses refresh bookkeeping for a tenant that is not connected, or for another realm', () => {
    expect(() => when([], { type: 'RecordTokensRefreshed', realmId: '111', expiries, refreshTokenRotated: false, at })).toThrow(ConnectionNotActiveError);
    expect(() => when(connected('111'), { type: 'RecordTokensRefreshed', realmId: '222', expiries, refreshTokenRotated: false, at })).toThrow(/realm 111, not 222/);
  });
});
