// intuit-oauth 4.2.5, unmodified apart from its endpoint URLs, against the sandbox's OAuth server over
// real HTTP: code exchange through the authorize redirect, rotation inside and outside the window,
// invalid_grant for superseded, idle-expired, hard-expired, revoked and replayed grants, and the
// OpenID parts (validateIdToken, userinfo).
import { createHmac } from 'node:crypto';
import OAuthClient from 'intuit-oauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authorize,
  COMPANIES,
  newClient,
  oauthErrorOf,
  pointIntuitOAuthAt,
  REDIRECT_URI,
  restoreIntuitOAuth,
  startOAuthHarness,
  startStandaloneOAuth,
  type OAuthHarness,
} from './oauth-test-harness.js';

const DAY = 24 * 3600;

// The sandbox clock keeps ticking with real time, so a countdown read back may be a second lower.
const about = (seconds: number) =>
  expect.toSatisfy((v: unknown) => typeof v === 'number' && v <= seconds && v >= seconds - 2, `about ${seconds}`);
// intuit-oauth's getToken() is the live Token object, which later calls mutate; take a plain copy.
const tokenOf = (client: OAuthClient) => {
  const {
    access_token = '',
    refresh_token = '',
    realmId = '',
    id_token = '',
    x_refresh_token_hard_expires_in,
  } = client.getToken().getToken();
  return { access_token, refresh_token, realmId, id_token, x_refresh_token_hard_expires_in };
};
const HOUR_MS = 3600_000;

describe('intuit-oauth against the sandbox OAuth server', () => {
  let sandbox: OAuthHarness;

  beforeAll(async () => {
    sandbox = await startOAuthHarness();
    pointIntuitOAuthAt(sandbox.url);
  });
  afterAll(async () => {
    restoreIntuitOAuth();
    await sandbox.close();
  });
  afterEach(() => {
    sandbox.oauth.reset();
    sandbox.oauth.setAutoApprove(true);
    sandbox.clock.reset();
  });

  it('exchanges the code from the authorize redirect for Intuit-shaped tokens', async () => {
    const client = newClient();
    const callback = await authorize(client, { state: 'xyz-state' });
    const params = new URL(callback).searchParams;
    expect(callback.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    expect([...params.keys()]).toEqual(['code', 'state', 'realmId']);
    expect(params.get('state')).toBe('xyz-state');
    expect(params.get('realmId')).toBe(COMPANIES[0]!.realmId);

    const response = await client.createToken(callback);
    const json = response.json as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(
      ['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type', 'x_refresh_token_expires_in'].sort(),
    );
    expect(json).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 100 * DAY });
    expect(response.headers()['intuit_tid']).toMatch(/.+/);
    expect(response.headers()['cache-control']).toBe('no-store');
    const token = tokenOf(client);
    expect(token.realmId).toBe(COMPANIES[0]!.realmId);
    expect(client.isAccessTokenValid()).toBe(true);
    expect(sandbox.oauth.verifyAccessToken(token.access_token, token.realmId)).toEqual({
      ok: true,
      clientId: 'sandbox-client-id',
    });
    expect(sandbox.oauth.verifyAccessToken(token.access_token, COMPANIES[1]!.realmId)).toEqual({
      ok: false,
      reason: 'wrong_realm',
    });
  });

  it('picks the company named by realmId on the authorize URL', async () => {
    const client = newClient();
    const callback = await authorize(client, { realmId: COMPANIES[1]!.realmId });
    await client.createToken(callback);
    expect(tokenOf(client).realmId).toBe(COMPANIES[1]!.realmId);
  });

  it('validates the RS256 id_token with validateIdToken and serves userinfo', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    await expect(client.validateIdToken()).resolves.toBe(true);

    const [, payload] = tokenOf(client).id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: 'https://oauth.platform.intuit.com/op/v1',
      aud: ['sandbox-client-id'],
      realmid: COMPANIES[0]!.realmId,
    });

    const info = await client.getUserInfo();
    expect(info.json).toMatchObject({
      sub: expect.any(String),
      email: expect.stringContaining('@'),
      emailVerified: true,
      givenName: 'Sandbox',
    });
  });

  it('rejects an id_token whose signature was tampered with', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    const [header, payload] = tokenOf(client).id_token.split('.');
    const forged = `${header}.${payload}.${createHmac('sha256', 'x').update('y').digest('base64url')}`;
    client.setToken({ ...tokenOf(client), id_token: forged });
    await expect(client.validateIdToken()).rejects.toThrow(/signature/i);
  });

  it('returns the same refresh token inside the rotation window, counting down its lifetime', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    const first = tokenOf(client);

    sandbox.clock.advance(30 * 60_000);
    const response = await client.refresh();
    const second = tokenOf(client);
    expect(second.refresh_token).toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(response.json).toMatchObject({ expires_in: 3600, x_refresh_token_expires_in: about(100 * DAY - 1800) });
    // Both access tokens stay good until they expire on their own.
    expect(sandbox.oauth.verifyAccessToken(first.access_token, first.realmId).ok).toBe(true);
    expect(sandbox.oauth.verifyAccessToken(second.access_token, first.realmId).ok).toBe(true);
  });

  it('rotates the refresh token after the window and answers invalid_grant to the superseded one', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    const old = tokenOf(client).refresh_token;

    sandbox.clock.advance(25 * HOUR_MS);
    const response = await client.refresh();
    const rotated = tokenOf(client).refresh_token;
    expect(rotated).not.toBe(old);
    expect(response.json).toMatchObject({ x_refresh_token_expires_in: 100 * DAY });

    const failure = await oauthErrorOf(newClient().refreshUsingToken(old));
    expect(failure).toEqual({
      error: 'invalid_grant',
      description: 'Refresh token has been superseded by a newer one',
      status: 400,
    });
    // The rotated token still works.
    await expect(newClient().refreshUsingToken(rotated)).resolves.toBeDefined();
  });

  it('lets only one of two racing refreshes win once the window has passed (why refresh must be single-flight)', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    const shared = tokenOf(client).refresh_token;
    sandbox.clock.advance(25 * HOUR_MS);
    const outcomes = await Promise.allSettled([
      newClient().refreshUsingToken(shared),
      newClient().refreshUsingToken(shared),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((loser.reason as { error: string }).error).toBe('invalid_grant');
  });

  it('answers invalid_grant once a refresh token has sat unused for 100 days', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    sandbox.clock.advance(100 * DAY * 1000 - 60_000);
    await expect(newClient().refreshUsingToken(tokenOf(client).refresh_token)).resolves.toBeDefined();

    const other = newClient();
    await other.createToken(await authorize(other));
    sandbox.clock.advance(100 * DAY * 1000);
    // The client's own local check uses the real clock and still passes, so this reaches the server.
    expect(await oauthErrorOf(other.refresh())).toMatchObject({
      error: 'invalid_grant',
      description: 'Refresh token has expired',
      status: 400,
    });
  });

  it("answers invalid_grant for an unknown refresh token with Intuit's description", async () => {
    const failure = await oauthErrorOf(newClient().refreshUsingToken('AB11-not-a-token'));
    expect(failure).toEqual({ error: 'invalid_grant', description: 'Incorrect or invalid refresh token', status: 400 });
  });

  it('sends x_refresh_token_hard_expires_in only when the client asks for it', async () => {
    const plain = newClient();
    const plainResponse = await plain.createToken(await authorize(plain));
    expect(plainResponse.json).not.toHaveProperty('x_refresh_token_hard_expires_in');

    const asking = newClient({ includeRefreshTokenHardExpiresIn: true });
    const response = await asking.createToken(await authorize(asking));
    expect(response.json).toMatchObject({ x_refresh_token_hard_expires_in: 157_680_000 });
    sandbox.clock.advance(3 * HOUR_MS);
    const refreshed = await asking.refresh();
    expect(refreshed.json).toMatchObject({ x_refresh_token_hard_expires_in: about(157_680_000 - 3 * 3600) });
    expect(tokenOf(asking).x_refresh_token_hard_expires_in).toEqual(about(157_680_000 - 3 * 3600));
  });

  it('makes a reused authorization code fail and revokes what the first exchange granted', async () => {
    const client = newClient();
    const callback = await authorize(client);
    await client.createToken(callback);
    const granted = tokenOf(client);

    const replay = await oauthErrorOf(newClient().createToken(callback));
    expect(replay).toMatchObject({ error: 'invalid_grant', status: 400 });
    expect(sandbox.oauth.verifyAccessToken(granted.access_token, granted.realmId)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await oauthErrorOf(newClient().refreshUsingToken(granted.refresh_token))).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('rejects an expired authorization code and a mismatched redirect_uri', async () => {
    const client = newClient();
    const late = await authorize(client);
    sandbox.clock.advance(301_000);
    expect(await oauthErrorOf(client.createToken(late))).toMatchObject({
      error: 'invalid_grant',
      description: 'Authorization code has expired',
    });

    const other = await authorize(client);
    const elsewhere = newClient({ redirectUri: 'http://localhost:3000/other' });
    expect(await oauthErrorOf(elsewhere.createToken(other))).toMatchObject({
      error: 'invalid_grant',
      description: expect.stringContaining('redirect_uri'),
    });
  });

  it('answers invalid_client with 401 to a wrong secret or an unknown client', async () => {
    const client = newClient();
    const callback = await authorize(client);
    expect(await oauthErrorOf(newClient({ clientSecret: 'wrong' }).createToken(callback))).toEqual({
      error: 'invalid_client',
      description: 'Client authentication failed',
      status: 401,
    });
    expect(await oauthErrorOf(newClient({ clientId: 'nobody' }).createToken(callback))).toMatchObject({
      error: 'invalid_client',
      status: 401,
    });
    // The failed attempts did not burn the code.
    await expect(client.createToken(callback)).resolves.toBeDefined();
  });

  it('revokes by refresh token or by access token, killing the whole grant', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    const { access_token, refresh_token, realmId } = tokenOf(client);
    const response = await client.revoke({ refresh_token });
    expect(response.response.status).toBe(200);
    expect(sandbox.oauth.verifyAccessToken(access_token, realmId)).toEqual({ ok: false, reason: 'invalid' });
    expect(await oauthErrorOf(newClient().refreshUsingToken(refresh_token))).toMatchObject({
      error: 'invalid_grant',
      description: 'Refresh token has been revoked',
    });

    const second = newClient();
    await second.createToken(await authorize(second));
    const kept = tokenOf(second);
    await second.revoke(); // default: the access token, since it is still valid
    expect(await oauthErrorOf(newClient().refreshUsingToken(kept.refresh_token))).toMatchObject({
      error: 'invalid_grant',
    });
    const userinfo = await fetch(`${sandbox.url}/v1/openid_connect/userinfo`, {
      headers: { authorization: `Bearer ${kept.access_token}` },
    });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('expires access tokens after an hour and tells malformed ones apart', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    const { access_token, realmId } = tokenOf(client);
    sandbox.clock.advance(3600_000);
    expect(sandbox.oauth.verifyAccessToken(access_token, realmId)).toEqual({ ok: false, reason: 'expired' });
    expect(sandbox.oauth.verifyAccessToken('short', realmId)).toEqual({ ok: false, reason: 'malformed' });
    expect(sandbox.oauth.verifyAccessToken('x'.repeat(5000), realmId)).toEqual({ ok: false, reason: 'malformed' });
    expect(sandbox.oauth.verifyAccessToken('A'.repeat(200), realmId)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('logs every token endpoint call by grant type, without token values', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    await client.refresh();
    await oauthErrorOf(newClient().refreshUsingToken('AB11-bogus'));
    const log = (await (await fetch(`${sandbox.url}/__sandbox/oauth/log`)).json()) as {
      entries: Array<Record<string, unknown>>;
    };
    const tokenCalls = log.entries.filter((e) => e.endpoint === 'token');
    expect(tokenCalls.map((e) => [e.grantType, e.status, e.error ?? null])).toEqual([
      ['authorization_code', 200, null],
      ['refresh_token', 200, null],
      ['refresh_token', 400, 'invalid_grant'],
    ]);
    expect(tokenCalls[1]).toMatchObject({
      rotated: false,
      realmId: COMPANIES[0]!.realmId,
      clientId: 'sandbox-client-id',
    });
    expect(JSON.stringify(log)).not.toContain(tokenOf(client).refresh_token);
  });
});

describe('hard expiry', () => {
  let sandbox: OAuthHarness;
  beforeAll(async () => {
    // Ten days instead of five years, so the cap is reachable by rotating a few times.
    sandbox = await startOAuthHarness({ lifetimes: { refreshHardSeconds: 10 * DAY } });
    pointIntuitOAuthAt(sandbox.url);
  });
  afterAll(async () => {
    restoreIntuitOAuth();
    await sandbox.close();
  });

  it("caps refresh lifetimes at the grant's hard expiry and then answers invalid_grant", async () => {
    const client = newClient({ includeRefreshTokenHardExpiresIn: true });
    const first = await client.createToken(await authorize(client));
    expect(first.json).toMatchObject({
      x_refresh_token_expires_in: 10 * DAY,
      x_refresh_token_hard_expires_in: 10 * DAY,
    });
    for (let elapsedDays = 2; elapsedDays <= 8; elapsedDays += 2) {
      sandbox.clock.advance(2 * DAY * 1000);
      const response = await client.refresh();
      expect(response.json).toMatchObject({
        x_refresh_token_expires_in: about((10 - elapsedDays) * DAY),
        x_refresh_token_hard_expires_in: about((10 - elapsedDays) * DAY),
      });
    }
    sandbox.clock.advance(2 * DAY * 1000);
    expect(await oauthErrorOf(client.refresh())).toMatchObject({
      error: 'invalid_grant',
      description: 'Refresh token has reached its maximum validity',
    });
  });
});

describe('persistence', () => {
  it('reports every state change so the host can save it', async () => {
    let changes = 0;
    const sandbox = await startStandaloneOAuth({ onChange: () => void (changes += 1) });
    pointIntuitOAuthAt(sandbox.url);
    try {
      const client = newClient();
      const callback = await authorize(client);
      expect(changes).toBe(1); // the code
      await client.createToken(callback);
      expect(changes).toBe(2);
      await oauthErrorOf(newClient().createToken(callback)); // the replay revokes the grant
      expect(changes).toBe(3);
      sandbox.oauth.mintTokens({ realmId: COMPANIES[0]!.realmId });
      expect(changes).toBe(4);
      await fetch(`${sandbox.url}/op/v1/jwks`);
      expect(changes).toBe(4);
    } finally {
      restoreIntuitOAuth();
      await sandbox.close();
    }
  });

  it('keeps grants and the signing key across snapshot and restore', async () => {
    const before = await startOAuthHarness();
    pointIntuitOAuthAt(before.url);
    const client = newClient();
    await client.createToken(await authorize(client));
    const state = JSON.parse(JSON.stringify(before.oauth.snapshot())) as unknown;
    await before.close();

    const after = await startOAuthHarness();
    try {
      after.oauth.restore(state);
      pointIntuitOAuthAt(after.url);
      await expect(client.validateIdToken()).resolves.toBe(true);
      expect(after.oauth.verifyAccessToken(tokenOf(client).access_token, tokenOf(client).realmId).ok).toBe(true);
      await expect(client.refresh()).resolves.toBeDefined();
      expect(() => after.oauth.restore({ version: 1 })).toThrow();
    } finally {
      restoreIntuitOAuth();
      await after.close();
    }
  });
});

it('exports OAuthClient unchanged (the test patches only its static URLs)', () => {
  expect(typeof OAuthClient.prototype.createToken).toBe('function');
  expect(OAuthClient.tokenEndpoint).toBe('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer');
});
