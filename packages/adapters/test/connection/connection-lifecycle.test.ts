// The connection lifecycle against the QBO sandbox over real HTTP and a real Postgres: the application's
// connection use cases over the adapters the connection module wires (vault, intuit-oauth, single-flight
// refresher, CompanyInfo reader, status read model). Connect, the errors that must change nothing, refresh,
// health, disconnect and reconnect, a realm switch that needs confirmation, and a scan of every event, log line
// and read-model row for tokens.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionFlowError, disconnect, getConnectionStatus, refreshDueTokens } from '@qbo-sync/application';
import { type ConnectionHarness, startConnectionHarness, userContext } from './support/connection-harness.js';

const eventsOf = async (h: ConnectionHarness, tenantId: string) => {
  const read = await h.eventStore.readStream(`connection-${tenantId}`);
  return read.events;
};

const flowError = async (promise: Promise<unknown>): Promise<ConnectionFlowError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectionFlowError) return error;
    throw error;
  }
  throw new Error('expected a ConnectionFlowError');
};

describe('connection lifecycle against the sandbox', () => {
  let h: ConnectionHarness;
  const statusOf = (tenantId: string) => getConnectionStatus(h.module.deps, tenantId);
  const secrets = new Set<string>();
  const remember = async (tenantId: string) => {
    const entry = await h.module.vault.read(tenantId);
    if (entry !== null) {
      secrets.add(entry.tokens.accessToken);
      secrets.add(entry.tokens.refreshToken);
    }
  };

  beforeAll(async () => {
    h = await startConnectionHarness('connection_lifecycle');
    // Rotation on: every refresh hands out a new refresh token.
    await h.sandbox.control('PUT', '/oauth/lifetimes', { refreshRotationSeconds: 0 });
    secrets.add('sandbox-client-secret');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('connects: tokens in the vault, company read from CompanyInfo and Preferences, ConnectionAuthorized appended', async () => {
    const result = await h.connect('acme');
    expect(result).toEqual({ tenantId: 'acme', realmId: h.sandbox.realmId, companyName: 'Sandbox Company_US_1', alreadyConnected: false });
    await remember('acme');
    const entry = await h.module.vault.read('acme');
    expect(entry?.realmId).toBe(h.sandbox.realmId);
    expect(entry?.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(entry?.refreshTokenHardExpiresAt).not.toBeNull();

    const events = await eventsOf(h, 'acme');
    expect(events.map((e) => e.type)).toEqual(['ConnectionAuthorized']);
    expect(events[0]?.data).toMatchObject({
      realmId: h.sandbox.realmId,
      company: { companyName: 'Sandbox Company_US_1', country: 'US', homeCurrency: 'USD', multiCurrencyEnabled: false, customTransactionNumbers: false },
      authorizedBy: 'user-1',
    });
    expect(events[0]?.metadata).toMatchObject({ tenantId: 'acme', actor: { type: 'user', id: 'user-1' }, schemaVersion: 1 });

    await h.project();
    const status = await statusOf('acme');
    expect(status).toMatchObject({ state: 'connected', realmId: h.sandbox.realmId, companyName: 'Sandbox Company_US_1', health: 'healthy', warnings: [] });
    expect(status.refreshTokenHardExpiresAt).not.toBeNull();
  });

  it('refuses a state it did not issue and an expired one, and answers a used one from what it connected, changing nothing', async () => {
    const callback = await h.authorize('beta');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    expect(await flowError(h.complete(forged.toString()))).toMatchObject({ code: 'bad_state', status: 400 });

    await h.complete(callback);
    await remember('beta');
    const version = (await h.module.vault.read('beta'))?.version;
    const events = (await eventsOf(h, 'beta')).length;
    expect(await h.complete(callback)).toMatchObject({ tenantId: 'beta', alreadyConnected: true });
    expect((await h.module.vault.read('beta'))?.version).toBe(version);
    expect((await eventsOf(h, 'beta')).length).toBe(events);

    const late = await h.authorize('gamma');
    await sql`update oauth_states set expires_at = now() - interval '1 second' where tenant_id = 'gamma'`.execute(h.db);
    expect(await flowError(h.complete(late))).toMatchObject({ message: expect.stringMatching(/expired/) });
    expect(await h.module.vault.read('gamma')).toBeNull();
    expect(await eventsOf(h, 'gamma')).toEqual([]);
  });

  it('binds the state to the user who started the connect', async () => {
    const callback = await h.authorize('delta', { userId: 'alice' });
    expect(await flowError(h.complete(callback, 'mallory'))).toMatchObject({ code: 'wrong_user', status: 403 });
    expect(await h.module.vault.read('delta')).toBeNull();
  });

  it('shows access_denied and a reused code as clear errors and changes nothing, at Intuit either', async () => {
    const denied = new URL(await h.authorize('delta'));
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    expect(await flowError(h.complete(denied.toString()))).toMatchObject({
      code: 'access_denied',
      message: expect.stringMatching(/not approved/),
    });

    const first = new URL(await h.authorize('epsilon'));
    await h.complete(first.toString());
    await remember('epsilon');
    const before = await h.module.vault.read('epsilon');
    // The same code again, under a fresh state of its own.
    const again = new URL(await h.authorize('epsilon'));
    again.searchParams.set('code', first.searchParams.get('code') ?? '');
    const exchangesBefore = (await h.sandbox.tokenLog()).filter((e) => e.grantType === 'authorization_code').length;
    const error = await flowError(h.complete(again.toString()));
    // Refused here, without a second exchange at Intuit (which may end the grant the first one made).
    expect(error).toMatchObject({ code: 'code_reused', status: 400, message: expect.stringMatching(/already used/) });
    expect((await h.sandbox.tokenLog()).filter((e) => e.grantType === 'authorization_code').length).toBe(exchangesBefore);
    expect((await h.module.vault.read('epsilon'))?.version).toBe(before?.version);
    expect(await h.module.vault.read('delta')).toBeNull();
    expect((await eventsOf(h, 'epsilon')).length).toBe(1);
  });

  it('refreshes proactively before expiry, rotating and persisting the refresh token, and records it', async () => {
    const before = await h.module.vault.read('acme');
    await sql`update qbo_token_vault set access_token_expires_at = now() + interval '1 minute' where tenant_id = 'acme'`.execute(h.db);
    const grant = await h.module.refresher.getAccessToken('acme');
    const after = await h.module.vault.read('acme');
    await remember('acme');
    expect(grant.accessToken).toBe(after?.tokens.accessToken);
    expect(after?.tokens.refreshToken).not.toBe(before?.tokens.refreshToken);
    expect(after?.version).toBe((before?.version ?? 0n) + 1n);
    const events = await eventsOf(h, 'acme');
    expect(events.at(-1)).toMatchObject({ type: 'ConnectionTokensRefreshed', data: { refreshTokenRotated: true } });
    // Fresh now: no second refresh.
    const log = (await h.sandbox.tokenLog()).filter((e) => e.grantType === 'refresh_token');
    await h.module.refresher.getAccessToken('acme');
    expect((await h.sandbox.tokenLog()).filter((e) => e.grantType === 'refresh_token')).toHaveLength(log.length);
  });

  it('refreshes tokens that are older than a day even when the access token is still valid', async () => {
    await sql`update qbo_token_vault set refreshed_at = now() - interval '25 hours' where tenant_id = 'acme'`.execute(h.db);
    expect(await h.module.refresher.refreshIfDue('acme')).toBe('refreshed');
    expect(await h.module.refresher.refreshIfDue('acme')).toBe('fresh');
    await remember('acme');
  });

  it('refreshes every due tenant in the worker\'s cron round (refreshDueTokens), and only those', async () => {
    await sql`update qbo_token_vault set refreshed_at = now() - interval '25 hours' where tenant_id = 'acme'`.execute(h.db);
    const before = await h.module.vault.read('acme');
    expect(await refreshDueTokens(h.module.deps)).toEqual({ refreshed: 1, failed: 0 });
    expect((await h.module.vault.read('acme'))?.version).toBe((before?.version ?? 0n) + 1n);
    expect(await refreshDueTokens(h.module.deps)).toEqual({ refreshed: 0, failed: 0 });
    await remember('acme');
  });

  it('refreshes once after a 401 and the call succeeds', async () => {
    await h.sandbox.control('POST', '/oauth/expire-access-tokens', { realmId: h.sandbox.realmId });
    const refreshesBefore = (await h.sandbox.tokenLog()).filter((e) => e.grantType === 'refresh_token').length;
    const body = await h.module.client.get<{ CompanyInfo: { CompanyName: string } }>('acme', `/companyinfo/${h.sandbox.realmId}`);
    expect(body.CompanyInfo.CompanyName).toBe('Sandbox Company_US_1');
    expect((await h.sandbox.tokenLog()).filter((e) => e.grantType === 'refresh_token').length).toBe(refreshesBefore + 1);
    await remember('acme');
  });

  it('checks an invalid_grant against the vault before declaring the connection down', async () => {
    await remember('beta');
    // Another process rotated: the vault holds a newer token than the one this refresh used.
    const stale = await h.module.vault.read('beta');
    await h.module.refresher.refreshIfDue('beta').catch(() => undefined);
    await sql`update qbo_token_vault set access_token_expires_at = now() - interval '1 minute' where tenant_id = 'beta'`.execute(h.db);
    await h.module.refresher.getAccessToken('beta');
    await remember('beta');
    expect((await h.module.vault.read('beta'))?.tokens.refreshToken).not.toBe(stale?.tokens.refreshToken);

    // Now Intuit really revokes the grant: invalid_grant, same token in the vault, so the connection is down.
    await h.sandbox.control('POST', '/oauth/revoke', { realmId: h.sandbox.realmId });
    await sql`update qbo_token_vault set access_token_expires_at = now() - interval '1 minute' where tenant_id = 'beta'`.execute(h.db);
    await expect(h.module.refresher.getAccessToken('beta')).rejects.toMatchObject({ code: 'invalid_grant' });
    const events = await eventsOf(h, 'beta');
    expect(events.slice(-2).map((e) => [e.type, (e.data as { kind?: string; to?: string }).kind ?? (e.data as { to?: string }).to])).toEqual([
      ['ConnectionRefreshFailed', 'invalid_grant'],
      ['ConnectionHealthChanged', 'down'],
    ]);
    await h.project();
    const status = await statusOf('beta');
    expect(status).toMatchObject({ health: 'down', lastError: { message: expect.stringMatching(/reconnect/) } });
    expect(status.warnings.map((w) => w.code)).toContain('reconnect_required');
  });

  it('reconnects a tenant whose connection went down: same tenant, healthy again', async () => {
    const result = await h.connect('beta');
    await remember('beta');
    expect(result.realmId).toBe(h.sandbox.realmId);
    expect((await eventsOf(h, 'beta')).slice(-2).map((e) => e.type)).toEqual(['ConnectionAuthorized', 'ConnectionHealthChanged']);
    await h.project();
    expect(await statusOf('beta')).toMatchObject({ state: 'connected', health: 'healthy' });
  });

  it('needs an explicit confirmation to switch a tenant to a different company', async () => {
    const created = (await h.sandbox.control('POST', '/realms', { companyName: 'Other Company' })) as { realmId: string };
    const before = await h.module.vault.read('acme');
    const refused = await flowError(h.connect('acme', { realmId: created.realmId }));
    expect(refused).toMatchObject({ code: 'realm_change_needs_confirmation', status: 409, message: expect.stringMatching(/Sandbox Company_US_1.*confirmation/) });
    expect((await h.module.vault.read('acme'))?.version).toBe(before?.version);

    const switched = await h.connect('acme', { realmId: created.realmId, confirmRealmChange: true });
    await remember('acme');
    expect(switched).toMatchObject({ realmId: created.realmId, companyName: 'Other Company' });
    expect((await eventsOf(h, 'acme')).at(-1)).toMatchObject({ type: 'ConnectionAuthorized', data: { replacedRealmId: h.sandbox.realmId } });
  });

  it('disconnects: revokes at Intuit, clears the vault, keeps the history; reconnect restores the tenant', async () => {
    await remember('epsilon');
    const revokesBefore = (await h.sandbox.tokenLog()).filter((e) => e.endpoint === 'revoke').length;
    const result = await disconnect(h.module.deps, { tenantId: 'epsilon', userId: 'user-2' }, userContext('user-2'));
    expect(result).toEqual({ realmId: h.sandbox.realmId, revokedAtIntuit: true });
    expect((await h.sandbox.tokenLog()).filter((e) => e.endpoint === 'revoke' && e.status === 200).length).toBe(revokesBefore + 1);
    expect(await h.module.vault.read('epsilon')).toBeNull();
    const events = await eventsOf(h, 'epsilon');
    expect(events.map((e) => e.type)).toEqual(['ConnectionAuthorized', 'ConnectionDisconnected']);
    expect(events[1]?.data).toMatchObject({ revokedAtIntuit: true, disconnectedBy: 'user-2' });
    await h.project();
    expect(await statusOf('epsilon')).toMatchObject({ state: 'disconnected', companyName: 'Sandbox Company_US_1', health: null });
    expect(await flowError(disconnect(h.module.deps, { tenantId: 'epsilon', userId: 'user-2' }, userContext('user-2')))).toMatchObject({ code: 'not_connected', status: 409 });

    await h.connect('epsilon');
    await remember('epsilon');
    await h.project();
    expect(await statusOf('epsilon')).toMatchObject({ state: 'connected', realmId: h.sandbox.realmId });
    await disconnect(h.module.deps, { tenantId: 'epsilon', userId: 'user-2' }, userContext('user-2'));
  });

  it('leaves no token or secret in any event, log line or read-model row', async () => {
    await h.module.health.flush();
    await h.project();
    expect(secrets.size).toBeGreaterThan(10);
    const { rows: events } = await sql<{ data: unknown; metadata: unknown }>`select data, metadata from events`.execute(h.db);
    const tables = ['connection_status', 'oauth_states', 'qbo_realm_activity', 'qbo_rate_requests', 'qbo_rate_leases', 'activity_log'];
    const rows: unknown[] = [];
    for (const table of tables) {
      const exists = await sql<{ ok: boolean }>`select to_regclass(${table}) is not null as ok`.execute(h.db);
      if (exists.rows[0]?.ok) rows.push(...(await sql`select * from ${sql.table(table)}`.execute(h.db)).rows);
    }
    const haystacks = { events: JSON.stringify(events), logs: h.logLines.join(''), readModels: JSON.stringify(rows) };
    expect(events.length).toBeGreaterThan(10);
    expect(h.logLines.length).toBeGreaterThan(10);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of secrets) {
        if (text.includes(secret)) throw new Error(`a secret (${secret.slice(0, 4)}…) leaked into ${where}`);
      }
    }
  });
});
