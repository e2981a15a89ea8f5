// Single-flight refresh across processes: five worker processes need a token at the same moment, with
// refresh-token rotation on in the sandbox. Exactly one refresh reaches the token endpoint, the rotated
// token is stored once, and all five calls succeed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectedWorld, connectedWorld, runWorkers } from './connection-processes.js';

describe('token refresh across five worker processes', () => {
  let world: ConnectedWorld;

  beforeAll(async () => {
    // Rotation on: every refresh hands out a new refresh token, so a second refresh with the old one fails.
    world = await connectedWorld('connection_refresh', { limits: false, oauthLifetimes: { refreshRotationSeconds: 0 } });
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('refreshes exactly once and all five proceed', { timeout: 120_000 }, async () => {
    // The access token dies at Intuit and in the vault's books: every worker must refresh before calling.
    const current = await world.module.vault.read('acme');
    if (current === null) throw new Error('not connected');
    await world.module.vault.save({ ...current, accessTokenExpiresAt: new Date(Date.now() - 60_000) });
    const before = await world.module.vault.read('acme');
    await fetch(`${world.sandbox.url}/__sandbox/oauth/expire-access-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ realmId: world.realmId }),
    });
    const refreshesBefore = world.sandbox.oauthServer.tokenLog().filter((entry) => entry.grantType === 'refresh_token').length;

    const results = await runWorkers(5, { ...world.env, CHILD_MODE: 'token' });

    expect(results.map((result) => result.ok)).toEqual([true, true, true, true, true]);
    expect(new Set(results.map((result) => result.pid)).size).toBe(5);
    for (const result of results) expect(result.companyName).toBe('Sandbox Company_US_1');
    const refreshes = world.sandbox.oauthServer.tokenLog().filter((entry) => entry.grantType === 'refresh_token').slice(refreshesBefore);
    expect(refreshes).toEqual([expect.objectContaining({ status: 200, rotated: true })]);

    const after = await world.module.vault.read('acme');
    expect(after?.version).toBe((before?.version ?? 0n) + 1n);
    expect(after?.tokens.refreshToken).not.toBe(before?.tokens.refreshToken);
    const refreshed = (await world.eventStore.readStream('connection-acme')).events.filter((event) => event.type === 'ConnectionTokensRefreshed');
    expect(refreshed).toHaveLength(1);
    expect((await world.eventStore.readStream('connection-acme')).events.map((e) => e.type)).not.toContain('ConnectionRefreshFailed');
  });
});
