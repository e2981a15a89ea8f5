// The connect and disconnect use cases over fake ports: what a callback must check before anything is stored,
// what each refusal answers, and that a refusal changes nothing (no vault row, no event).

import { OAuthTokenError, CompanyProfileUnreadableError } from '@qbo-sync/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { beginAuthorization } from '../../src/connection/begin-authorization.js';
import { completeAuthorization } from '../../src/connection/complete-authorization.js';
import { ConnectionFlowError } from '../../src/connection/connection-flow-error.js';
import { disconnect } from '../../src/connection/disconnect.js';
import { type FakeWorld, callbackFor, fakeWorld, grantFor } from './fake-connection-deps.js';

const asUser = (id: string) => ({ correlationId: `request-${id}`, actor: { type: 'user' as const, id } });

const refusal = async (promise: Promise<unknown>): Promise<ConnectionFlowError> => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConnectionFlowError)) throw new Error(`expected a ConnectionFlowError, got ${String(error)}`);
  return error;
};

describe('connect and disconnect', () => {
  let w: FakeWorld;
  const start = async (tenantId = 'acme', userId = 'alice', confirmRealmChange = false) =>
    (await beginAuthorization(w.deps, { tenantId, userId, confirmRealmChange })).authorizeUrl;
  const complete = (callbackUrl: string, userId = 'alice') => completeAuthorization(w.deps, { callbackUrl, userId }, asUser(userId));
  const connect = async (tenantId = 'acme', options: { realmId?: string; confirm?: boolean } = {}) =>
    complete(callbackFor(await start(tenantId, 'alice', options.confirm ?? false), { code: 'code-1', realmId: options.realmId ?? '111' }));
  const nothingChanged = (tenantId: string) => {
    expect(w.vault.rows.get(tenantId)).toBeUndefined();
    expect(w.store.events(`connection-${tenantId}`)).toEqual([]);
  };

  beforeEach(() => {
    w = fakeWorld();
  });

  it('begins with a state bound to the tenant and the person, carried on Intuit’s consent link', async () => {
    const url = await start('acme', 'alice', true);
    const state = new URL(url).searchParams.get('state') ?? '';
    expect(w.states.get(state)).toMatchObject({ tenantId: 'acme', userId: 'alice', confirmRealmChange: true });
    nothingChanged('acme');
  });

  it('completes: tokens in the vault, ConnectionAuthorized in the person’s name and request', async () => {
    expect(await connect()).toEqual({ tenantId: 'acme', realmId: '111', companyName: 'Larry’s Bakery', alreadyConnected: false });
    expect(w.vault.rows.get('acme')).toMatchObject({ realmId: '111', tokens: { accessToken: 'access-1', refreshToken: 'refresh-1' }, version: 1n });
    const [authorized, ...rest] = w.store.events('connection-acme');
    expect(rest).toEqual([]);
    expect(authorized).toMatchObject({
      type: 'ConnectionAuthorized',
      data: { realmId: '111', company: { companyName: 'Larry’s Bakery' }, authorizedBy: 'alice', replacedRealmId: null },
      metadata: { tenantId: 'acme', correlationId: 'request-alice', actor: { type: 'user', id: 'alice' } },
    });
    expect(JSON.stringify({ data: authorized?.data, metadata: authorized?.metadata })).not.toMatch(/access-1|refresh-1/);
  });

  it('refuses a state it did not issue and an expired one', async () => {
    expect(await refusal(complete(callbackFor('https://x/?state=forged')))).toMatchObject({ code: 'bad_state', status: 400, tenantId: null });
    const late = await start('beta');
    const state = w.states.get(new URL(late).searchParams.get('state') ?? '');
    if (state) state.expired = true;
    expect(await refusal(complete(callbackFor(late)))).toMatchObject({ code: 'bad_state', message: expect.stringMatching(/expired/) });
    nothingChanged('beta');
  });

  describe('a callback that comes again (replayed URL, back button, double click)', () => {
    const exchanges = () => {
      let count = 0;
      const first = w.exchange;
      w.exchange = () => {
        count += 1;
        return first();
      };
      return () => count;
    };

    it('answers "already connected" from the state: no second code exchange, no revoke, nothing written', async () => {
      const counted = exchanges();
      const revoked: string[] = [];
      w.revoke = async (token) => void revoked.push(token);
      const callback = callbackFor(await start());
      await complete(callback);
      const events = w.store.events('connection-acme').length;

      expect(await complete(callback)).toEqual({ tenantId: 'acme', realmId: '111', companyName: 'Larry’s Bakery', alreadyConnected: true });
      expect(await complete(callback)).toMatchObject({ alreadyConnected: true });
      expect(counted()).toBe(1);
      expect(revoked).toEqual([]);
      expect(w.vault.rows.get('acme')).toMatchObject({ tokens: { accessToken: 'access-1', refreshToken: 'refresh-1' }, version: 1n });
      expect(w.store.events('connection-acme')).toHaveLength(events);
    });

    it('waits for the first callback of a double click, then answers "already connected"', async () => {
      let release: () => void = () => undefined;
      const slow = new Promise<void>((resolve) => (release = resolve));
      const first = w.readCompany;
      w.readCompany = async () => {
        await slow;
        return first();
      };
      const callback = callbackFor(await start());
      const one = complete(callback);
      const two = complete(callback);
      setTimeout(release, 250);
      expect(await Promise.all([one, two])).toEqual([
        expect.objectContaining({ alreadyConnected: false }),
        expect.objectContaining({ alreadyConnected: true, realmId: '111' }),
      ]);
      expect(w.store.events('connection-acme').filter((event) => event.type === 'ConnectionAuthorized')).toHaveLength(1);
    });

    it('says the link was used when its connect failed or has since been ended, still without calling Intuit', async () => {
      w.exchange = async () => {
        throw new OAuthTokenError('invalid_grant', 400, null);
      };
      const failed = callbackFor(await start('beta'));
      await refusal(complete(failed));
      const counted = exchanges();
      expect(await refusal(complete(failed))).toMatchObject({ code: 'bad_state', status: 400, message: expect.stringMatching(/already used and that attempt did not connect/) });

      w.exchange = async () => grantFor(w.clock, 1);
      const made = callbackFor(await start('acme'));
      await complete(made);
      await disconnect(w.deps, { tenantId: 'acme', userId: 'alice' }, asUser('alice'));
      expect(await refusal(complete(made))).toMatchObject({ code: 'bad_state', message: expect.stringMatching(/has since been ended or replaced/) });
      expect(counted()).toBe(0);
    });

    it('does not show another person what a used link connected', async () => {
      const callback = callbackFor(await start());
      await complete(callback);
      expect(await refusal(complete(callback, 'mallory'))).toMatchObject({ code: 'wrong_user', status: 403 });
    });
  });

  it('refuses another person’s link, Intuit’s refusals and a callback without a code, changing nothing', async () => {
    expect(await refusal(complete(callbackFor(await start('beta', 'alice')), 'mallory'))).toMatchObject({ code: 'wrong_user', status: 403, tenantId: 'beta' });
    expect(await refusal(complete(callbackFor(await start('beta'), { error: 'access_denied' })))).toMatchObject({
      code: 'access_denied',
      status: 400,
      message: expect.stringMatching(/not approved/),
    });
    expect(await refusal(complete(callbackFor(await start('beta'), { error: '<b>odd</b>' })))).toMatchObject({
      code: 'authorization_error',
      message: 'QuickBooks answered unknown_error; nothing was changed',
    });
    expect(await refusal(complete(callbackFor(await start('beta'), { realmId: '111' })))).toMatchObject({ code: 'missing_code', status: 400 });
    nothingChanged('beta');
  });

  it('tells a rejected code from an Intuit that cannot be reached', async () => {
    w.exchange = async () => {
      throw new OAuthTokenError('invalid_grant', 400, 'tid-9');
    };
    expect(await refusal(connect('beta'))).toMatchObject({ code: 'code_rejected', status: 400, message: expect.stringMatching(/invalid_grant/) });
    w.exchange = async () => {
      throw new OAuthTokenError('network_error', null, null);
    };
    expect(await refusal(connect('beta'))).toMatchObject({ code: 'intuit_unavailable', status: 502 });
    w.exchange = async () => {
      throw new Error('socket hang up');
    };
    expect(await refusal(connect('beta'))).toMatchObject({ code: 'intuit_unavailable', status: 502 });
    nothingChanged('beta');
  });

  it('does not connect a company it cannot read', async () => {
    w.readCompany = async () => {
      throw new CompanyProfileUnreadableError('call_failed', 'server 500, intuit_tid tid-7');
    };
    expect(await refusal(connect('beta'))).toMatchObject({
      code: 'company_unreadable',
      status: 502,
      message: "could not read the company's details from QuickBooks (server 500, intuit_tid tid-7); nothing was changed, try connecting again",
    });
    w.readCompany = async () => {
      throw new CompanyProfileUnreadableError('no_company_name');
    };
    expect(await refusal(connect('beta'))).toMatchObject({ code: 'company_unreadable', message: 'QuickBooks returned no company name' });
    nothingChanged('beta');
  });

  it('needs a confirmation to switch a tenant to another company, and records the switch', async () => {
    await connect('acme');
    w.exchange = async () => grantFor(w.clock, 2, '222');
    expect(await refusal(connect('acme', { realmId: '222' }))).toMatchObject({ code: 'realm_change_needs_confirmation', status: 409, tenantId: 'acme' });
    expect(w.vault.rows.get('acme')).toMatchObject({ realmId: '111', version: 1n });
    expect(w.store.events('connection-acme')).toHaveLength(1);

    await connect('acme', { realmId: '222', confirm: true });
    expect(w.vault.rows.get('acme')).toMatchObject({ realmId: '222', version: 2n });
    expect(w.store.events('connection-acme').at(-1)).toMatchObject({ type: 'ConnectionAuthorized', data: { realmId: '222', replacedRealmId: '111' } });
  });

  it('disconnects: revokes the refresh token, forgets the tokens, records who did it', async () => {
    await connect('acme');
    const revoked: string[] = [];
    w.revoke = async (token) => {
      revoked.push(token);
    };
    expect(await disconnect(w.deps, { tenantId: 'acme', userId: 'bob' }, asUser('bob'))).toEqual({ realmId: '111', revokedAtIntuit: true });
    expect(revoked).toEqual(['refresh-1']);
    expect(w.vault.rows.get('acme')).toBeUndefined();
    expect(w.store.events('connection-acme').at(-1)).toMatchObject({
      type: 'ConnectionDisconnected',
      data: { realmId: '111', revokedAtIntuit: true, disconnectedBy: 'bob' },
      metadata: { actor: { type: 'user', id: 'bob' } },
    });
    expect(await refusal(disconnect(w.deps, { tenantId: 'acme', userId: 'bob' }, asUser('bob')))).toMatchObject({ code: 'not_connected', status: 409 });
  });

  it('disconnects a grant Intuit no longer knows, and changes nothing when Intuit cannot be reached', async () => {
    await connect('acme');
    w.revoke = async () => {
      throw new OAuthTokenError('server_error', 503, null);
    };
    expect(await refusal(disconnect(w.deps, { tenantId: 'acme', userId: 'bob' }, asUser('bob')))).toMatchObject({ code: 'intuit_unavailable', status: 502 });
    expect(w.vault.rows.get('acme')).toBeDefined();
    expect(w.store.events('connection-acme')).toHaveLength(1);

    w.revoke = async () => {
      throw new OAuthTokenError('invalid_token', 400, 'tid-3');
    };
    expect(await disconnect(w.deps, { tenantId: 'acme', userId: 'bob' }, asUser('bob'))).toEqual({ realmId: '111', revokedAtIntuit: false });
    expect(w.vault.rows.get('acme')).toBeUndefined();
  });

  it('forgets left-over tokens of a tenant the log says is not connected', async () => {
    const { accessTokenExpiresAt, refreshTokenExpiresAt, refreshTokenHardExpiresAt } = grantFor(w.clock, 5);
    await w.vault.save({ tenantId: 'ghost', realmId: '9', tokens: { accessToken: 'a', refreshToken: 'r' }, accessTokenExpiresAt, refreshTokenExpiresAt, refreshTokenHardExpiresAt, refreshedAt: w.clock });
    expect(await refusal(disconnect(w.deps, { tenantId: 'ghost', userId: 'bob' }, asUser('bob')))).toMatchObject({ code: 'not_connected' });
    expect(w.vault.rows.get('ghost')).toBeUndefined();
    expect(w.store.events('connection-ghost')).toEqual([]);
  });
});
