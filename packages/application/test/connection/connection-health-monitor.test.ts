// The health monitor over a fake log: outcomes become ConnectionHealthChanged through the decider, and a busy
// realm whose health does not change costs no event-store round trip per call.

import { beforeEach, describe, expect, it } from 'vitest';
import { beginAuthorization } from '../../src/connection/begin-authorization.js';
import { completeAuthorization } from '../../src/connection/complete-authorization.js';
import { createConnectionHealthMonitor } from '../../src/connection/connection-health-monitor.js';
import { type FakeWorld, callbackFor, fakeWorld } from './fake-connection-deps.js';

describe('connection health monitor', () => {
  let w: FakeWorld;

  beforeEach(async () => {
    w = fakeWorld();
    const { authorizeUrl } = await beginAuthorization(w.deps, { tenantId: 'acme', userId: 'alice', confirmRealmChange: false });
    await completeAuthorization(w.deps, { callbackUrl: callbackFor(authorizeUrl), userId: 'alice' }, { correlationId: 'c', actor: { type: 'user', id: 'alice' } });
  });

  it('records a change of health once, under its own name, and nothing while health stays the same', async () => {
    const monitor = createConnectionHealthMonitor(w.deps);
    monitor.record('acme', '111', 'success');
    await monitor.flush();
    const readsAfterFirst = w.store.reads;
    for (let call = 0; call < 20; call += 1) monitor.record('acme', '111', 'success');
    await monitor.flush();
    expect(w.store.reads).toBe(readsAfterFirst);

    monitor.record('acme', '111', 'throttle');
    await monitor.flush();
    monitor.record('acme', '111', 'throttle');
    await monitor.flush();
    const events = w.store.events('connection-acme');
    expect(events.map((event) => event.type)).toEqual(['ConnectionAuthorized', 'ConnectionHealthChanged']);
    expect(events[1]).toMatchObject({ data: { from: 'healthy', to: 'degraded', reason: 'QuickBooks throttled calls (once)' }, metadata: { actor: { type: 'system', id: 'health-monitor' } } });

    monitor.record('acme', '111', 'success');
    await monitor.flush();
    expect(w.store.events('connection-acme').at(-1)).toMatchObject({ data: { from: 'degraded', to: 'healthy' } });
  });

  it('looks again after a while, since other processes record health too', async () => {
    const monitor = createConnectionHealthMonitor(w.deps, { recheckMs: 1000 });
    monitor.record('acme', '111', 'success');
    await monitor.flush();
    const reads = w.store.reads;
    w.clock = new Date(w.clock.getTime() + 2000);
    monitor.record('acme', '111', 'success');
    await monitor.flush();
    expect(w.store.reads).toBeGreaterThan(reads);
  });

  it('says nothing about a tenant that is not connected, and logs a failed append instead of throwing', async () => {
    const monitor = createConnectionHealthMonitor(w.deps);
    monitor.record('nobody', '999', 'auth_failure');
    await monitor.flush();
    expect(w.store.events('connection-nobody')).toEqual([]);

    w.store.failAppends = true;
    monitor.record('acme', '111', 'server_error');
    await monitor.flush();
    expect(w.logs.find((line) => line.level === 'warn')).toMatchObject({ message: 'could not record connection health', object: { tenantId: 'acme' } });
  });
});
