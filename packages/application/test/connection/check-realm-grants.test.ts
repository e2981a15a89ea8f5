// Intuit's Disconnect / Reconnect landing page names a company (realmId) and nothing else, and anyone can open
// it: the use case behind it asks Intuit about each tenant holding that company, and only Intuit's refusal of
// the grant marks a connection down. These specs run it over fake ports.

import { OAuthTokenError } from '@qbo-sync/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { beginAuthorization } from '../../src/connection/begin-authorization.js';
import { checkRealmGrants } from '../../src/connection/check-realm-grants.js';
import { completeAuthorization } from '../../src/connection/complete-authorization.js';
import { disconnect } from '../../src/connection/disconnect.js';
import { type FakeWorld, callbackFor, fakeWorld, grantFor } from './fake-connection-deps.js';

const MINUTE = 60_000;

describe('checking the grants of a company Intuit says was disconnected', () => {
  let w: FakeWorld;
  let intuitCalls: number;

  const connect = async (tenantId: string, realmId = '111') => {
    w.exchange = async () => grantFor(w.clock, 1, realmId);
    const { authorizeUrl } = await beginAuthorization(w.deps, { tenantId, userId: 'alice', confirmRealmChange: false });
    await completeAuthorization(w.deps, { callbackUrl: callbackFor(authorizeUrl, { code: 'c', realmId }), userId: 'alice' }, { correlationId: `c-${tenantId}`, actor: { type: 'user', id: 'alice' } });
  };
  const later = (ms: number) => {
    w.clock = new Date(w.clock.getTime() + ms);
  };
  const typesOf = (tenantId: string) => w.store.events(`connection-${tenantId}`).map((event) => event.type);
  const intuitSays = (code: string | null, status: number | null = 400) => {
    const refresh = w.refreshAtIntuit;
    w.refreshAtIntuit = async (current) => {
      intuitCalls += 1;
      if (code === null) return refresh(current);
      throw new OAuthTokenError(code, status, 'tid-x');
    };
  };

  beforeEach(async () => {
    w = fakeWorld();
    intuitCalls = 0;
    await connect('acme');
    await connect('beta');
    await connect('other', '222');
    later(5 * MINUTE);
  });

  it('marks down every tenant of the company once Intuit refuses its grant, and no other', async () => {
    intuitSays('invalid_grant');
    expect(await checkRealmGrants(w.deps, '111')).toEqual({
      realmId: '111',
      tenants: [
        { tenantId: 'acme', grant: 'down' },
        { tenantId: 'beta', grant: 'down' },
      ],
    });
    expect(typesOf('acme')).toEqual(['ConnectionAuthorized', 'ConnectionRefreshFailed', 'ConnectionHealthChanged']);
    expect(w.store.events('connection-acme').at(-1)).toMatchObject({ data: { to: 'down', reason: expect.stringMatching(/invalid_grant/) } });
    expect(typesOf('other')).toEqual(['ConnectionAuthorized']);
    // Nothing is disconnected on the page's word: the tokens stay for a reconnect to replace.
    expect(w.vault.rows.get('acme')).toBeDefined();
  });

  it('leaves a grant Intuit still honours as it is (a forged or stale visit changes nothing)', async () => {
    intuitSays(null);
    expect(await checkRealmGrants(w.deps, '111')).toMatchObject({ tenants: [{ grant: 'alive' }, { grant: 'alive' }] });
    expect(typesOf('acme')).toEqual(['ConnectionAuthorized', 'ConnectionTokensRefreshed']);
  });

  it('asks Intuit at most once a minute per connection: a page opened in a loop cannot hammer the token endpoint', async () => {
    intuitSays(null);
    await checkRealmGrants(w.deps, '111');
    later(30_000);
    await checkRealmGrants(w.deps, '111');
    await checkRealmGrants(w.deps, '111');
    expect(intuitCalls).toBe(2);
    later(31_000);
    await checkRealmGrants(w.deps, '111');
    expect(intuitCalls).toBe(4);
  });

  it('changes nothing when Intuit cannot be reached', async () => {
    intuitSays('server_error', 503);
    expect(await checkRealmGrants(w.deps, '111')).toMatchObject({ tenants: [{ grant: 'unconfirmed' }, { grant: 'unconfirmed' }] });
    expect(w.store.events('connection-acme').some((event) => event.type === 'ConnectionHealthChanged')).toBe(false);
  });

  it('knows nothing of a company no tenant holds, nor of tenants already disconnected, and calls no one', async () => {
    intuitSays('invalid_grant');
    expect(await checkRealmGrants(w.deps, '999')).toEqual({ realmId: '999', tenants: [] });
    await disconnect(w.deps, { tenantId: 'other', userId: 'alice' }, { correlationId: 'd', actor: { type: 'user', id: 'alice' } });
    expect(await checkRealmGrants(w.deps, '222')).toEqual({ realmId: '222', tenants: [] });
    expect(intuitCalls).toBe(0);
  });
});
