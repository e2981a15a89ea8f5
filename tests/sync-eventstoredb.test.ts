// The whole system on EventStoreDB: the log in EventStoreDB, read models, jobs and the record directory in
// Postgres, the api's use cases, the worker (as a real process) and the projector all on EVENT_STORE=eventstoredb.
// A push, a pull with no echo, and the read models. Runs wherever a server answers (EVENTSTORE_URL, or a
// container runtime); otherwise it says why it is skipped.

import { randomUUID } from 'node:crypto';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { createTestDatabase, findEventStoreDbServer } from '@qbo-sync/adapters/testing';
import { type EventStore, EventStoreUnavailableError } from '@qbo-sync/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS as API, createApiContainer } from '../apps/api/src/composition-root.js';
import { loadApiConfig } from '../apps/api/src/config.js';
import { TOKENS as WORKER, createWorkerContainer } from '../apps/worker/src/composition-root.js';
import { loadWorkerConfig } from '../apps/worker/src/config.js';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

const server = await findEventStoreDbServer();

// Always, server or not: EVENT_STORE=eventstoredb gives the api and the worker (not only the projector) the
// EventStoreDB store, so their writes go there and never to Postgres. Checked against an address where no
// server listens: the write fails as EventStoreDB unreachable, and Postgres' log stays empty.
describe('EVENT_STORE=eventstoredb', () => {
  it('puts the api and the worker on EventStoreDB', async () => {
    const database = await createTestDatabase('esdb_wiring');
    try {
      const env = {
        DATABASE_URL: database.url,
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_URL: `esdb://127.0.0.1:${await freePort()}?tls=false`,
        LOG_LEVEL: 'silent',
        QBO_SANDBOX_URL: 'http://127.0.0.1:9',
        QBO_SYNC_DATA_DIR: '/tmp',
      };
      const stores = [
        createApiContainer(loadApiConfig(env), { env }).get<EventStore>(API.EventStore),
        createWorkerContainer(loadWorkerConfig(env), { env }).get<EventStore>(WORKER.EventStore),
      ];
      for (const store of stores) {
        const append = store.appendToStream(`probe-${randomUUID()}`, [
          { id: randomUUID(), type: 'Probe', data: {}, metadata: { tenantId: 't', correlationId: 'c', causationId: null, actor: { type: 'system', id: 'test' }, schemaVersion: 1 } },
        ]);
        await expect(append).rejects.toBeInstanceOf(EventStoreUnavailableError);
        await store.close();
      }
    } finally {
      await database.drop();
    }
  }, 60_000);
});

if (server.kind === 'none') {
  console.warn(`EventStoreDB smoke suite skipped: ${server.reason}`);
  describe('the system on EventStoreDB', () => {
    it.skip(`skipped: ${server.reason}`, () => undefined);
  });
} else {
  describe('the system on EventStoreDB', () => {
    let world: SyncWorld;
    beforeAll(async () => {
      world = await startSyncWorld('sync_esdb', { seed: { seed: 5, customers: 20, vendors: 0, items: 0, invoices: 0 } }, `esdb${Date.now().toString(36)}`, server.url);
      await world.spawnWorker();
    }, 120_000);
    afterAll(async () => {
      await world?.close();
      await server.stop();
    });

    it('pulls, pushes without duplicates, and the next pull echoes nothing back', async () => {
      const imported = await world.waitForRun(await world.requestSync('customer', 'pull'));
      expect(imported).toMatchObject({ type: 'SyncCompleted', data: { counts: { planned: 20, created: 20 } } });
      for (let n = 0; n < 35; n += 1) await world.upsert('customer', `esdb-${n}`, { displayName: `EventStoreDB Customer ${n}` });
      const pushed = await world.waitForRun(await world.requestSync('customer', 'push'));
      expect(pushed).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { created: 35 } } });
      const again = await world.waitForRun(await world.requestSync('customer', 'pull'));
      expect(again.data.counts).toMatchObject({ created: 0, pulled: 0 });
      const names = (await world.qboAll('Customer')).map((customer) => String(customer.DisplayName).toLowerCase());
      expect(new Set(names).size).toBe(names.length);
      // The projector, on EventStoreDB too, fills the records read model.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [row] = await world.sql<{ n: string }>("select count(*) as n from records where tenant_id = $1 and qbo_id is not null", [world.tenantId]);
        if (Number(row?.n) === 55) break;
        if (Date.now() > deadline) throw new Error(`records read model holds ${row?.n} linked records, not 55`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }, 180_000);
  });
}
