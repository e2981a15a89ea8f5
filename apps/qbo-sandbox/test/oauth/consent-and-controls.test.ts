// The consent page a person clicks through (companies listed, connect or cancel), the authorize
// endpoint's refusals, the discovery documents, and the /__sandbox/oauth test controls, over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMPANIES, REDIRECT_URI, startOAuthHarness, type OAuthHarness } from './oauth-test-harness.js';

const authorizeUrl = (base: string, params: Record<string, string>) => {
  const url = new URL('/connect/oauth2', base);
  const defaults = {
    client_id: 'sandbox-client-id',
    response_type: 'code',
    scope: 'com.intuit.quickbooks.accounting openid',
    redirect_uri: REDIRECT_URI,
    state: 's1',
  };
  for (const [k, v] of Object.entries({ ...defaults, ...params })) url.searchParams.set(k, v);
  return url;
};

const formPost = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });

const jsonCall = async (url: string, method: string, body?: unknown) => {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return {
    status: response.status,
    body: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>),
  };
};

describe('consent page', () => {
  let sandbox: OAuthHarness;
  beforeAll(async () => {
    sandbox = await startOAuthHarness({ autoApprove: false });
  });
  afterAll(() => sandbox.close());
  afterEach(() => sandbox.oauth.reset());

  const openConsent = async (params: Record<string, string> = {}) => {
    const page = await fetch(authorizeUrl(sandbox.url, params), { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    if (!requestId) throw new Error('no request_id on the consent page');
    return { html, requestId };
  };

  it('lists every sandbox company and redirects with the chosen one on connect', async () => {
    const { html, requestId } = await openConsent();
    for (const company of COMPANIES) {
      expect(html).toContain(company.companyName);
      expect(html).toContain(`value="${company.realmId}"`);
    }
    const answer = await formPost(`${sandbox.url}/connect/oauth2`, {
      request_id: requestId,
      decision: 'approve',
      realmId: COMPANIES[1]!.realmId,
    });
    expect(answer.status).toBe(302);
    const callback = new URL(answer.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('code')).toMatch(/^AB11/);
    expect(callback.searchParams.get('state')).toBe('s1');
    expect(callback.searchParams.get('realmId')).toBe(COMPANIES[1]!.realmId);

    // The pending request is single-use.
    const again = await formPost(`${sandbox.url}/connect/oauth2`, {
      request_id: requestId,
      decision: 'approve',
      realmId: COMPANIES[1]!.realmId,
    });
    expect(again.status).toBe(400);
  });

  it('redirects with error=access_denied and the state when the user cancels', async () => {
    const { requestId } = await openConsent({ state: 'keep-me' });
    const answer = await formPost(`${sandbox.url}/connect/oauth2`, { request_id: requestId, decision: 'deny' });
    expect(answer.status).toBe(302);
    const callback = new URL(answer.headers.get('location')!);
    expect(Object.fromEntries(callback.searchParams)).toEqual({ error: 'access_denied', state: 'keep-me' });
  });

  it('refuses to approve for a company that is not offered', async () => {
    const { requestId } = await openConsent();
    const answer = await formPost(`${sandbox.url}/connect/oauth2`, {
      request_id: requestId,
      decision: 'approve',
      realmId: '123',
    });
    expect(answer.status).toBe(400);
  });

  it('issues a code without realmId for a sign-in-only scope', async () => {
    const { html, requestId } = await openConsent({ scope: 'openid email' });
    expect(html).not.toContain('name="realmId"');
    const answer = await formPost(`${sandbox.url}/connect/oauth2`, { request_id: requestId, decision: 'approve' });
    const callback = new URL(answer.headers.get('location')!);
    expect([...callback.searchParams.keys()]).toEqual(['code', 'state']);
  });

  it('shows an error page instead of redirecting for an unknown client or an unregistered redirect_uri', async () => {
    const unknown = await fetch(authorizeUrl(sandbox.url, { client_id: 'nobody' }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('client_id');

    sandbox.oauth.registerApp({ clientId: 'strict-app', clientSecret: 's', redirectUris: ['https://app.example/cb'] });
    const elsewhere = await fetch(
      authorizeUrl(sandbox.url, { client_id: 'strict-app', redirect_uri: 'https://evil.example/cb' }),
      { redirect: 'manual' },
    );
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('not registered');
  });

  it('redirects invalid_scope and unsupported_response_type back to the app', async () => {
    const badScope = await fetch(authorizeUrl(sandbox.url, { scope: 'com.intuit.quickbooks.everything' }), {
      redirect: 'manual',
    });
    expect(Object.fromEntries(new URL(badScope.headers.get('location')!).searchParams)).toEqual({
      error: 'invalid_scope',
      state: 's1',
    });
    const token = await fetch(authorizeUrl(sandbox.url, { response_type: 'token' }), { redirect: 'manual' });
    expect(new URL(token.headers.get('location')!).searchParams.get('error')).toBe('unsupported_response_type');
  });
});

describe('token endpoint refusals', () => {
  let sandbox: OAuthHarness;
  beforeAll(async () => {
    sandbox = await startOAuthHarness();
  });
  afterAll(() => sandbox.close());

  const basic = `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}`;

  it('requires Basic client authentication', async () => {
    const response = await fetch(`${sandbox.url}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Basic');
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication with HTTP Basic is required',
    });
  });

  it('names a missing grant_type, an unsupported one, and a JSON body', async () => {
    const post = (body: string, type = 'application/x-www-form-urlencoded') =>
      fetch(`${sandbox.url}/oauth2/v1/tokens/bearer`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': type },
        body,
      });
    expect(await (await post('')).json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Missing parameter: grant_type',
    });
    expect(await (await post('grant_type=password')).json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Unsupported grant_type: password',
    });
    expect(await (await post('grant_type=refresh_token')).json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing parameter: refresh_token',
    });
    const json = await post(JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'x' }), 'application/json');
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('discovery and JWKS', () => {
  let sandbox: OAuthHarness;
  beforeAll(async () => {
    sandbox = await startOAuthHarness();
  });
  afterAll(() => sandbox.close());

  it("publishes the endpoints at the sandbox host and Intuit's issuer", async () => {
    for (const path of [
      '/.well-known/openid-configuration',
      '/.well-known/openid_configuration/',
      '/.well-known/openid_sandbox_configuration/',
    ]) {
      const doc = (await (await fetch(`${sandbox.url}${path}`)).json()) as Record<string, unknown>;
      expect(doc).toMatchObject({
        issuer: 'https://oauth.platform.intuit.com/op/v1',
        authorization_endpoint: `${sandbox.url}/connect/oauth2`,
        token_endpoint: `${sandbox.url}/oauth2/v1/tokens/bearer`,
        revocation_endpoint: `${sandbox.url}/v2/oauth2/tokens/revoke`,
        userinfo_endpoint: `${sandbox.url}/v1/openid_connect/userinfo`,
        jwks_uri: `${sandbox.url}/op/v1/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    const jwks = (await (await fetch(`${sandbox.url}/op/v1/jwks`)).json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      e: 'AQAB',
      kid: expect.any(String),
      n: expect.any(String),
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('/__sandbox/oauth controls', () => {
  let sandbox: OAuthHarness;
  let controls: string;
  beforeAll(async () => {
    sandbox = await startOAuthHarness();
    controls = `${sandbox.url}/__sandbox/oauth`;
  });
  afterAll(() => sandbox.close());
  afterEach(() => sandbox.oauth.reset());

  it('registers apps without echoing their secrets, and names bad fields', async () => {
    const created = await jsonCall(`${controls}/apps`, 'POST', {
      clientId: 'second-app',
      clientSecret: 'top-secret',
      redirectUris: ['https://x.example/cb'],
    });
    expect(created).toEqual({ status: 201, body: { clientId: 'second-app', redirectUris: ['https://x.example/cb'] } });
    const list = await jsonCall(`${controls}/apps`, 'GET');
    expect(JSON.stringify(list.body)).not.toContain('top-secret');
    expect(list.body?.apps).toEqual(
      expect.arrayContaining([{ clientId: 'second-app', redirectUris: ['https://x.example/cb'] }]),
    );

    const bad = await jsonCall(`${controls}/apps`, 'POST', { clientId: '', redirectUris: ['not a url'] });
    expect(bad.status).toBe(400);
    expect((bad.body?.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([
      'clientId',
      'clientSecret',
      'redirectUris.0',
    ]);
  });

  it('mints tokens for a realm that the Accounting API would accept', async () => {
    const minted = await jsonCall(`${controls}/tokens`, 'POST', { realmId: COMPANIES[0]!.realmId });
    expect(minted.status).toBe(201);
    expect(minted.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      x_refresh_token_expires_in: 8_640_000,
    });
    expect(sandbox.oauth.verifyAccessToken(minted.body?.access_token as string, COMPANIES[0]!.realmId)).toEqual({
      ok: true,
      clientId: 'sandbox-client-id',
    });
    expect((await jsonCall(`${controls}/tokens`, 'POST', { realmId: 'nope' })).status).toBe(404);
    const badScope = await jsonCall(`${controls}/tokens`, 'POST', {
      realmId: COMPANIES[0]!.realmId,
      scopes: ['everything'],
    });
    expect(badScope).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'scopes.0', message: 'not a scope Intuit defines' }] },
    });
    expect(
      (await jsonCall(`${controls}/tokens`, 'POST', { realmId: COMPANIES[0]!.realmId, clientId: 'ghost' })).status,
    ).toBe(404);
  });

  it('expires and revokes tokens on demand, by realm', async () => {
    const a = sandbox.oauth.mintTokens({ realmId: COMPANIES[0]!.realmId });
    const b = sandbox.oauth.mintTokens({ realmId: COMPANIES[1]!.realmId });
    expect(await jsonCall(`${controls}/expire-access-tokens`, 'POST', { realmId: COMPANIES[0]!.realmId })).toEqual({
      status: 200,
      body: { expired: 1 },
    });
    expect(sandbox.oauth.verifyAccessToken(a.access_token, COMPANIES[0]!.realmId)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(sandbox.oauth.verifyAccessToken(b.access_token, COMPANIES[1]!.realmId).ok).toBe(true);
    expect(await jsonCall(`${controls}/revoke`, 'POST', { token: b.refresh_token })).toEqual({
      status: 200,
      body: { revoked: 1 },
    });
    expect(sandbox.oauth.verifyAccessToken(b.access_token, COMPANIES[1]!.realmId)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const grants = await jsonCall(`${controls}/grants`, 'GET');
    expect(
      (grants.body?.grants as Array<{ revokedAt: string | null }>).filter((g) => g.revokedAt !== null),
    ).toHaveLength(1);
  });

  it('switches auto-approve and shortens lifetimes', async () => {
    expect(await jsonCall(`${controls}/auto-approve`, 'PUT', { on: false })).toEqual({
      status: 200,
      body: { autoApprove: false },
    });
    const page = await fetch(authorizeUrl(sandbox.url, {}), { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await jsonCall(`${controls}/auto-approve`, 'PUT', { on: 'yes' })).toMatchObject({ status: 400 });

    const lifetimes = await jsonCall(`${controls}/lifetimes`, 'PUT', { accessTokenSeconds: 60 });
    expect(lifetimes.body).toMatchObject({ accessTokenSeconds: 60, refreshIdleSeconds: 8_640_000 });
    expect(sandbox.oauth.mintTokens({ realmId: COMPANIES[0]!.realmId }).expires_in).toBe(60);
    expect((await jsonCall(`${controls}/lifetimes`, 'PUT', { accessTokenSecs: 60 })).status).toBe(400);
  });
});
