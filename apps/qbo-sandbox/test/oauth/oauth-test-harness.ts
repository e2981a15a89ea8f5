// Test support: the sandbox OAuth server on a real loopback port, and intuit-oauth's process-global
// endpoints pointed at it (restored afterwards), so tests drive the unmodified client over real HTTP.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import OAuthClient from 'intuit-oauth';
import { createSandboxClock, type SandboxClock } from '../../src/clock.js';
import { createOAuthServer, OAUTH_PATHS, type OAuthOptions, type OAuthServer } from '../../src/oauth/index.js';
import { startSandbox, type SandboxHandle } from '../../src/start-sandbox.js';

export const COMPANIES = [
  { realmId: '9341453050071201', companyName: 'Sandbox Company US 1' },
  { realmId: '9341453050071202', companyName: 'Sandbox Company US 2' },
];

export interface OAuthHarness {
  url: string;
  clock: SandboxClock;
  oauth: OAuthServer;
  close(): Promise<void>;
}

/** The whole sandbox (startSandbox), as a client meets it; OAuth options go through its own options. */
export const startOAuthHarness = async (
  options: Pick<OAuthOptions, 'apps' | 'autoApprove' | 'lifetimes'> = {},
): Promise<OAuthHarness & { sandbox: SandboxHandle }> => {
  const sandbox = await startSandbox({
    port: 0,
    limits: false,
    companies: COMPANIES,
    autoApprove: options.autoApprove ?? true,
    ...(options.apps ? { apps: options.apps } : {}),
    ...(options.lifetimes ? { oauthLifetimes: options.lifetimes } : {}),
  });
  return { url: sandbox.url, clock: sandbox.clock, oauth: sandbox.oauthServer, close: () => sandbox.close(), sandbox };
};

/** Only the OAuth server, mounted on a bare Express app: for options startSandbox does not pass on. */
export const startStandaloneOAuth = async (
  options: Partial<Omit<OAuthOptions, 'clock' | 'baseUrl' | 'listCompanies'>> = {},
): Promise<OAuthHarness> => {
  const clock = createSandboxClock();
  let url = '';
  const oauth = createOAuthServer({
    clock,
    listCompanies: () => COMPANIES,
    baseUrl: () => url,
    autoApprove: true,
    ...options,
  });
  const app = express();
  app.use('/', oauth.router);
  app.use('/__sandbox/oauth', oauth.controlsRouter);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    clock,
    oauth,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
};

const saved = {
  authorizeEndpoint: OAuthClient.authorizeEndpoint,
  tokenEndpoint: OAuthClient.tokenEndpoint,
  revokeEndpoint: OAuthClient.revokeEndpoint,
  userinfo_endpoint_sandbox: OAuthClient.userinfo_endpoint_sandbox,
  userinfo_endpoint_production: OAuthClient.userinfo_endpoint_production,
  jwks_uri: OAuthClient.jwks_uri,
  environment: { ...OAuthClient.environment },
  retryConfig: { ...OAuthClient.retryConfig },
};

/** Points intuit-oauth's static endpoints at a sandbox base URL; the only change a client needs. */
export const pointIntuitOAuthAt = (baseUrl: string) => {
  OAuthClient.authorizeEndpoint = `${baseUrl}${OAUTH_PATHS.authorize}`;
  OAuthClient.tokenEndpoint = `${baseUrl}${OAUTH_PATHS.token}`;
  OAuthClient.revokeEndpoint = `${baseUrl}${OAUTH_PATHS.revoke}`;
  OAuthClient.userinfo_endpoint_sandbox = `${baseUrl}${OAUTH_PATHS.userinfo}`;
  OAuthClient.userinfo_endpoint_production = `${baseUrl}${OAUTH_PATHS.userinfo}`;
  OAuthClient.jwks_uri = `${baseUrl}${OAUTH_PATHS.jwks}`;
  OAuthClient.environment = { sandbox: `${baseUrl}/`, production: `${baseUrl}/` };
  // A failing call should fail the test now, not after 1+2+4 s of retries.
  OAuthClient.retryConfig = { ...OAuthClient.retryConfig, maxRetries: 0, retryDelay: 1 };
};

export const restoreIntuitOAuth = () => {
  Object.assign(OAuthClient, {
    authorizeEndpoint: saved.authorizeEndpoint,
    tokenEndpoint: saved.tokenEndpoint,
    revokeEndpoint: saved.revokeEndpoint,
    userinfo_endpoint_sandbox: saved.userinfo_endpoint_sandbox,
    userinfo_endpoint_production: saved.userinfo_endpoint_production,
    jwks_uri: saved.jwks_uri,
    environment: saved.environment,
    retryConfig: saved.retryConfig,
  });
};

export const REDIRECT_URI = 'http://localhost:3000/callback';

export const newClient = (overrides: Partial<ConstructorParameters<typeof OAuthClient>[0]> = {}) =>
  new OAuthClient({
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    environment: 'sandbox',
    redirectUri: REDIRECT_URI,
    ...overrides,
  });

export const ALL_SCOPES = [
  OAuthClient.scopes.Accounting,
  OAuthClient.scopes.OpenId,
  OAuthClient.scopes.Profile,
  OAuthClient.scopes.Email,
];

/** Follows the authorize URL like a browser would up to the app's callback, and returns the callback URL. */
export const authorize = async (
  client: OAuthClient,
  params: { scope?: string[]; state?: string; realmId?: string } = {},
) => {
  const authorizeUrl = new URL(
    client.authorizeUri({ scope: params.scope ?? ALL_SCOPES, state: params.state ?? 'state-123' }),
  );
  if (params.realmId) authorizeUrl.searchParams.set('realmId', params.realmId);
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  const location = response.headers.get('location');
  if (!location) throw new Error('authorize redirect has no location');
  return location;
};

/** What intuit-oauth rejects with on an OAuth error response. */
export const oauthErrorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    const e = err as { error?: string; error_description?: string; authResponse?: { response?: { status?: number } } };
    return { error: e.error, description: e.error_description, status: e.authResponse?.response?.status };
  }
  throw new Error('expected the call to fail');
};
