// The token use cases over fake ports: when a token is refreshed, what is recorded, how another process's
// refresh and a real invalid_grant are told apart, and that a failed append never costs the tokens.

import { OAuthTokenError, type TokenGrant } from '@qbo-sync/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { completeAuthorization } from '../../src/connection/complete-authorization.js';
import { beginAuthorization } from '../../src/connection/begin-authorization.js';
import { NoStoredTokensError } from '../../src/connection/connection-flow-error.js';
import { getAccessToken } from '../../src/connection/get-access-token.js';
import { refreshAfterRejection } from '../../src/connection/refresh-after-rejection.js';
import { refreshDueTokens } from '../../src/connection/refresh-due-tokens.js';
import { refreshIfDue } from '../../src/connection/refresh-if-due.js';
import { type FakeWorld, callbackFor, fakeWorld } from './fake-connection-deps.js';

const MINUTE = 60_000;

describe('access tokens and refresh', () => {
  let w: FakeWorld;
  let intuitCalls: number;

  const connect = async (tenantId: string) => {
    const { authorizeUrl } = await beginAuthorization(w.deps, { tenantId, userId: 'alice', confirmRealmChange: false });
    await completeAuthorization(w.deps, { callbackUrl: callbackFor(authorizeUrl), userId: 'alice' }, { correlationId: `c-${tenantId}`, actor: { type: 'user', id: 'alice' } });
  };
  const later = (ms: number) => {
    w.clock = new Date(w.clock.getTime() + ms);
  };
  const typesOf = (tenantId: string) => w.store.events(`connection-${tenantId}`).map((event) => event.type);
  const failWith = (code: string, status: number | null) => {
    w.refreshAtIntuit = async () => {
      intuitCalls += 1;
      throw new OAuthTokenError(code, status, 'tid-x');
    };
  };

  beforeEach(async () => {
    w = fakeWorld();
    intuitCalls = 0;
    const refresh = w.refreshAtIntuit;
    w.refreshAtIntuit = async (current) => {
      intuitCalls += 1;
      return refresh(current);
    };
    await connect('acme');
  });

  it('hands out the stored token while it is fresh, with no refresh and no event', async () => {
    expect(await getAccessToken(w.deps, 'acme')).toEqual({ accessToken: 'access-1', realmId: '111' });
    later(30 * MINUTE);
    expect(await getAccessToken(w.deps, 'acme')).toEqual({ accessToken: 'access-1', realmId: '111' });
    expect(intuitCalls).toBe(0);
    expect(typesOf('acme')).toEqual(['ConnectionAuthorized']);
  });

  it('refreshes five minutes before expiry and records it under the refresher’s name, without a token', async () => {
    later(56 * MINUTE);
    const grant = await getAccessToken(w.deps, 'acme');
    expect(grant.accessToken).not.toBe('access-1');
    expect(w.vault.rows.get('acme')).toMatchObject({ tokens: { accessToken: grant.accessToken }, version: 2n });
    const refreshed = w.store.events('connection-acme').at(-1);
    expect(refreshed).toMatchObject({ type: 'ConnectionTokensRefreshed', data: { realmId: '111', refreshTokenRotated: true }, metadata: { actor: { type: 'system', id: 'token-refresher' } } });
    expect(JSON.stringify(refreshed?.data)).not.toContain(grant.accessToken);
    expect(await getAccessToken(w.deps, 'acme')).toEqual(grant);
    expect(intuitCalls).toBe(1);
  });

  it('refreshes tokens a day old even while the access token is valid, so the refresh token keeps rolling', async () => {
    expect(await refreshIfDue(w.deps, 'acme')).toBe('fresh');
    const stored = w.vault.rows.get('acme');
    if (stored) w.vault.rows.set('acme', { ...stored, refreshedAt: new Date(w.clock.getTime() - 25 * 60 * MINUTE) });
    expect(await refreshIfDue(w.deps, 'acme')).toBe('refreshed');
    expect(await refreshIfDue(w.deps, 'acme')).toBe('fresh');
  });

  it('after a 401, uses a token someone else stored meanwhile instead of refreshing again', async () => {
    expect((await refreshAfterRejection(w.deps, 'acme', 'an-older-token')).accessToken).toBe('access-1');
    expect(intuitCalls).toBe(0);
    const fresh = await refreshAfterRejection(w.deps, 'acme', 'access-1');
    expect(fresh.accessToken).not.toBe('access-1');
    expect(intuitCalls).toBe(1);
  });

  it('checks an invalid_grant against the vault: a newer refresh token stored elsewhere means the grant lives', async () => {
    later(56 * MINUTE);
    w.refreshAtIntuit = async (current) => {
      intuitCalls += 1;
      // Another process rotated the token while this refresh used the old one.
      const rotated: TokenGrant = { ...newGrant(w), refreshToken: 'refresh-elsewhere', accessToken: 'access-elsewhere' };
      await w.vault.save({ ...current, tokens: { accessToken: rotated.accessToken, refreshToken: rotated.refreshToken }, accessTokenExpiresAt: rotated.accessTokenExpiresAt, refreshedAt: w.clock });
      throw new OAuthTokenError('invalid_grant', 400, 'tid-1');
    };
    expect(await getAccessToken(w.deps, 'acme')).toEqual({ accessToken: 'access-elsewhere', realmId: '111' });
    expect(typesOf('acme')).toEqual(['ConnectionAuthorized']);
  });

  it('records a confirmed invalid_grant as a failure that takes the connection down, and throws it', async () => {
    later(56 * MINUTE);
    failWith('invalid_grant', 400);
    await expect(getAccessToken(w.deps, 'acme')).rejects.toMatchObject({ name: 'OAuthTokenError', code: 'invalid_grant' });
    expect(w.store.events('connection-acme').slice(1).map((event) => [event.type, event.data])).toEqual([
      ['ConnectionRefreshFailed', expect.objectContaining({ kind: 'invalid_grant', errorCode: 'invalid_grant', consecutiveFailures: 1 })],
      ['ConnectionHealthChanged', expect.objectContaining({ from: 'healthy', to: 'down' })],
    ]);
  });

  it('counts transient failures; three in a row degrade the connection, a success cures it', async () => {
    later(56 * MINUTE);
    failWith('server_error', 503);
    for (let attempt = 0; attempt < 3; attempt += 1) await expect(getAccessToken(w.deps, 'acme')).rejects.toBeInstanceOf(OAuthTokenError);
    expect(typesOf('acme')).toEqual(['ConnectionAuthorized', 'ConnectionRefreshFailed', 'ConnectionRefreshFailed', 'ConnectionRefreshFailed', 'ConnectionHealthChanged']);
    w.refreshAtIntuit = async () => newGrant(w);
    await getAccessToken(w.deps, 'acme');
    expect(w.store.events('connection-acme').slice(-2).map((event) => [event.type, (event.data as { to?: string }).to])).toEqual([
      ['ConnectionTokensRefreshed', undefined],
      ['ConnectionHealthChanged', 'healthy'],
    ]);
  });

  it('keeps refreshed tokens when the event cannot be appended: the event is lost, not the connection', async () => {
    later(56 * MINUTE);
    w.store.failAppends = true;
    const grant = await getAccessToken(w.deps, 'acme');
    expect(w.vault.rows.get('acme')?.tokens.accessToken).toBe(grant.accessToken);
    expect(w.logs.find((line) => line.level === 'error')).toMatchObject({ message: 'could not record a connection event', object: { tenantId: 'acme' } });
  });

  it('refreshes every due connection in a round, counting failures without stopping', async () => {
    await connect('beta');
    await connect('gamma');
    const gamma = w.vault.rows.get('gamma');
    if (gamma) w.vault.rows.set('gamma', { ...gamma, accessTokenExpiresAt: new Date(w.clock.getTime() + 2 * 3600_000), refreshedAt: new Date(w.clock.getTime() + 30 * MINUTE) });
    later(56 * MINUTE);
    const refresh = w.refreshAtIntuit;
    w.refreshAtIntuit = async (current) => {
      if (current.tenantId === 'beta') throw new OAuthTokenError('invalid_grant', 400, null);
      return refresh(current);
    };
    expect(await refreshDueTokens(w.deps)).toEqual({ refreshed: 1, failed: 1 });
    expect(typesOf('acme').at(-1)).toBe('ConnectionTokensRefreshed');
    expect(typesOf('beta').at(-1)).toBe('ConnectionHealthChanged');
    expect(typesOf('gamma')).toEqual(['ConnectionAuthorized']);
  });

  it('names a tenant with no stored tokens, and never logs a token', async () => {
    await expect(getAccessToken(w.deps, 'nobody')).rejects.toBeInstanceOf(NoStoredTokensError);
    await expect(refreshAfterRejection(w.deps, 'nobody', 'x')).rejects.toBeInstanceOf(NoStoredTokensError);
    later(56 * MINUTE);
    await getAccessToken(w.deps, 'acme');
    failWith('invalid_grant', 400);
    later(56 * MINUTE);
    await getAccessToken(w.deps, 'acme').catch(() => undefined);
    const logged = JSON.stringify(w.logs);
    expect(w.logs.length).toBeGreaterThan(2);
    expect(logged).not.toMatch(/access-\d|refresh-\d/);
  });
});

let counter = 500;
const newGrant = (w: FakeWorld): TokenGrant => {
  counter += 1;
  return {
    accessToken: `access-${counter}`,
    refreshToken: `refresh-${counter}`,
    accessTokenExpiresAt: new Date(w.clock.getTime() + 3600_000),
    refreshTokenExpiresAt: new Date(w.clock.getTime() + 100 * 86_400_000),
    refreshTokenHardExpiresAt: null,
    realmId: null,
    intuitTid: null,
  };
};
