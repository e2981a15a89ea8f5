// A grant Intuit refuses is permanent: end to end, with the worker and the projector running and the tenant
// connected through the real OAuth flow against the sandbox. Someone disconnects the app at Intuit; the next pull
// fails at its first attempt (not retried by the job queue for minutes) and says where to reconnect, the
// connection shows as down, new runs are refused with the same hint, and reconnecting restores the same tenant.

import { NotConnectedError, beginAuthorization, completeAuthorization, getConnectionStatus, requestSync } from '@qbo-sync/application';
import { syncStreamName } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

interface TokenLogEntry {
  endpoint: string;
  grantType?: string;
  status: number;
  error?: string;
}

describe('a refused grant', () => {
  let world: SyncWorld;
  const tokenLog = async () => ((await world.control('GET', '/oauth/log')) as { entries: TokenLogEntry[] }).entries;
  const status = () => getConnectionStatus(world.module.deps, world.tenantId);
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`${what} did not happen; last: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    world = await startSyncWorld('sync_invalid_grant', { seed: { seed: 5, customers: 3, vendors: 0, items: 0, invoices: 0 } });
    await world.startWorker();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('fails the run at once with a reconnect hint, shows the connection down, refuses new runs, and a reconnect restores the tenant', async () => {
    const first = await world.waitForRun(await world.requestSync('customer', 'pull'));
    expect(first).toMatchObject({ type: 'SyncCompleted' });

    // The app is disconnected at Intuit (from QuickBooks' side): the grant and its tokens are gone.
    await world.control('POST', '/oauth/revoke', { realmId: world.realmId });
    const refreshesBefore = (await tokenLog()).filter((entry) => entry.grantType === 'refresh_token').length;
    const started = Date.now();
    const syncId = await world.requestSync('customer', 'pull');
    const failed = await world.waitForRun(syncId, 20_000);
    expect(failed).toMatchObject({
      type: 'SyncFailed',
      data: { reason: expect.stringMatching(/^QuickBooks refused the stored grant \(invalid_grant\); reconnect at \/t\/acme in the admin app/) },
    });
    // The first attempt was final: one start, one refresh refused, and no job left waiting for a retry.
    expect(Date.now() - started).toBeLessThan(10_000);
    const { events } = await world.eventStore.readStream(syncStreamName(syncId));
    expect(events.filter((event) => event.type === 'SyncStarted')).toHaveLength(1);
    const refreshes = (await tokenLog()).filter((entry) => entry.grantType === 'refresh_token').slice(refreshesBefore);
    expect(refreshes).toEqual([expect.objectContaining({ status: 400, error: 'invalid_grant' })]);
    expect(await world.sql('select id from graphile_worker._private_jobs where task_id = (select id from graphile_worker._private_tasks where identifier = $1)', ['sync_run'])).toEqual([]);

    // The connection is down, written by the connection decider: ConnectionRefreshFailed, then the health change.
    const connection = (await world.eventStore.readStream(`connection-${world.tenantId}`)).events.slice(-2);
    expect(connection).toMatchObject([
      { type: 'ConnectionRefreshFailed', data: { kind: 'invalid_grant', errorCode: 'invalid_grant' } },
      { type: 'ConnectionHealthChanged', data: { to: 'down' } },
    ]);
    const down = await until(status, (view) => view.health === 'down', 'the status showing down');
    expect(down).toMatchObject({ state: 'connected', healthReason: expect.stringMatching(/invalid_grant/) });
    expect(down.warnings.map((warning) => warning.code)).toContain('reconnect_required');

    // New runs are refused until someone reconnects, with the same hint.
    const refused = await requestSync(
      { eventStore: world.eventStore },
      { tenantId: world.tenantId, recordType: 'customer', direction: 'push', scope: { kind: 'changed' }, dryRun: false, newSyncId: crypto.randomUUID(), at: new Date().toISOString() },
      { correlationId: 'refused', actor: { type: 'user', id: 'admin' } },
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(NotConnectedError);
    expect(refused).toMatchObject({ connectionState: 'down', message: expect.stringMatching(/reconnect at \/t\/acme/) });

    // Reconnect through the real OAuth flow: the same tenant carries on.
    const { authorizeUrl } = await beginAuthorization(world.module.deps, { tenantId: world.tenantId, userId: 'admin', confirmRealmChange: false });
    const consent = await fetch(authorizeUrl, { redirect: 'manual' });
    await completeAuthorization(world.module.deps, { callbackUrl: consent.headers.get('location') ?? '', userId: 'admin' }, { correlationId: 'reconnect', actor: { type: 'user', id: 'admin' } });
    await until(status, (view) => view.health === 'healthy', 'the status showing healthy again');
    const again = await world.waitForRun(await world.requestSync('customer', 'pull'));
    expect(again).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed' } });
    expect(await world.countStreams('record-acme.customer.qbo-')).toBe(3);
  }, 90_000);
});
