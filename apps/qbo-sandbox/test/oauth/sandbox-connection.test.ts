// The whole sandbox (startSandbox) as the service will meet it: intuit-oauth connects through the
// authorize redirect, calls the Accounting API with the bearer token it got, refreshes when the hour
// is up, loses access on revoke, and keeps its grant across a restart from the state file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type OAuthClient from 'intuit-oauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/start-sandbox.js';
import {
  authorize,
  COMPANIES,
  newClient,
  oauthErrorOf,
  pointIntuitOAuthAt,
  restoreIntuitOAuth,
  startOAuthHarness,
  type OAuthHarness,
} from './oauth-test-harness.js';

const companyInfo = (client: OAuthClient, base: string, realmId: string) =>
  client.makeApiCall({ url: `${base}/v3/company/${realmId}/companyinfo/${realmId}?minorversion=75` });

describe('a connection to the sandbox through intuit-oauth', () => {
  let harness: OAuthHarness;
  beforeAll(async () => {
    harness = await startOAuthHarness();
    pointIntuitOAuthAt(harness.url);
  });
  afterAll(async () => {
    restoreIntuitOAuth();
    await harness.close();
  });
  afterEach(() => harness.clock.reset());

  it('reads the company with the token from the code exchange, and refreshes after the hour', async () => {
    const client = newClient();
    await client.createToken(await authorize(client, { realmId: COMPANIES[1]!.realmId }));
    const realmId = COMPANIES[1]!.realmId;

    const first = await companyInfo(client, harness.url, realmId);
    expect(first.status).toBe(200);
    expect((first.json as { CompanyInfo: { CompanyName: string } }).CompanyInfo.CompanyName).toBe(
      COMPANIES[1]!.companyName,
    );

    harness.clock.advance(3600_000);
    const expired = await oauthErrorOf(companyInfo(client, harness.url, realmId));
    expect(expired).toBeDefined();
    const raw = await fetch(`${harness.url}/v3/company/${realmId}/companyinfo/${realmId}`, {
      headers: { authorization: `Bearer ${client.getToken().access_token}`, accept: 'application/json' },
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toContain('Bearer');
    const body = (await raw.json()) as { fault: { error: Array<{ code: string; detail: string }>; type: string } };
    expect(body.fault.type).toBe('AUTHENTICATION');
    expect(body.fault.error[0]!.detail).toMatch(/^Token expired: /);

    await client.refresh();
    expect((await companyInfo(client, harness.url, realmId)).status).toBe(200);
  });

  it('refuses the token for another company with 403 and, after revoke, with 401', async () => {
    const client = newClient();
    await client.createToken(await authorize(client));
    const own = COMPANIES[0]!.realmId;
    const other = COMPANIES[1]!.realmId;
    const foreign = await fetch(`${harness.url}/v3/company/${other}/companyinfo/${other}`, {
      headers: { authorization: `Bearer ${client.getToken().access_token}`, accept: 'application/json' },
    });
    expect(foreign.status).toBe(403);

    const token = client.getToken().access_token;
    await client.revoke({ access_token: token });
    const revoked = await fetch(`${harness.url}/v3/company/${own}/companyinfo/${own}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { fault: { error: Array<{ detail: string }> } }).fault.error[0]!.detail).toBe(
      'Token invalid',
    );
  });
});

describe('the grant across a sandbox restart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'qbo-sandbox-oauth-'));
  });
  afterAll(async () => {
    restoreIntuitOAuth();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps refresh tokens and the id_token signing key in the state file', async () => {
    const stateFile = path.join(dir, 'state.json');
    const options = { port: 0, limits: false as const, autoApprove: true, companies: COMPANIES, stateFile };
    const before = await startSandbox(options);
    pointIntuitOAuthAt(before.url);
    const client = newClient();
    await client.createToken(await authorize(client));
    await before.close();

    const after = await startSandbox(options);
    try {
      pointIntuitOAuthAt(after.url);
      await expect(client.validateIdToken()).resolves.toBe(true);
      await client.refresh();
      const realmId = client.getToken().realmId;
      expect((await companyInfo(client, after.url, realmId)).status).toBe(200);
    } finally {
      await after.close();
    }
  });
});
