// The connection_status projection run by the real runner over the Postgres event store: connection
// events become one row per tenant, SyncCompleted sets the last sync, and a rebuild from zero gives the
// same rows as the live projection.

import { randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { handleConnectionCommand } from '@qbo-sync/application';
import { readConnectionStatus } from '@qbo-sync/adapters/read-models';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionStatusProjection } from '../src/projections/connection-status.js';
import { projectionSpecification } from './projection-specification.js';
import { type ProjectorTestDb, openProjectorTestDb } from './support.js';

const company = {
  companyName: 'Larry’s Bakery',
  country: 'US',
  homeCurrency: 'USD',
  multiCurrencyEnabled: true,
  customTransactionNumbers: false,
};
const expiries = {
  accessTokenExpiresAt: '2026-01-01T01:00:00.000Z',
  refreshTokenExpiresAt: '2026-04-10T00:00:00.000Z',
  refreshTokenHardExpiresAt: '2030-12-31T00:00:00.000Z',
};
const context = { correlationId: 'c-1', actor: { type: 'user' as const, id: 'u1' } };

describe('connection_status projection', () => {
  let test: ProjectorTestDb;
  let store: ReturnType<typeof createPostgresEventStore>;

  beforeAll(async () => {
    test = await openProjectorTestDb('connection_status');
    store = createPostgresEventStore({
      db: test.db as unknown as Kysely<unknown>,
      connectionString: test.url,
      idlePollMs: 100,
    });
  });
  afterAll(async () => {
    await store.close();
    await test.close();
  });
  const spec = projectionSpecification(() => ({ test, store }), [connectionStatusProjection]);

  it('folds connection events into one row per tenant, live and rebuilt alike', async () => {
    const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
    await spec.given(async (store) => {
      await handleConnectionCommand(
        store,
        'acme',
        {
          type: 'AuthorizeConnection',
          realmId: '111',
          company,
          expiries,
          userId: 'u1',
          confirmRealmChange: false,
          at: at(0),
        },
        context,
      );
      await handleConnectionCommand(
        store,
        'acme',
        { type: 'RecordRefreshFailure', realmId: '111', kind: 'transient', errorCode: 'network_error', at: at(1) },
        context,
      );
      await handleConnectionCommand(
        store,
        'acme',
        {
          type: 'RecordTokensRefreshed',
          realmId: '111',
          refreshTokenRotated: true,
          expiries: { ...expiries, accessTokenExpiresAt: '2026-01-01T02:00:00.000Z' },
          at: at(2),
        },
        context,
      );
      await handleConnectionCommand(
        store,
        'acme',
        { type: 'RecordCallOutcomes', realmId: '111', recent: [{ kind: 'throttle', at: at(3) }], at: at(3) },
        context,
      );
      await handleConnectionCommand(
        store,
        'beta',
        {
          type: 'AuthorizeConnection',
          realmId: '222',
          company,
          expiries,
          userId: 'u1',
          confirmRealmChange: false,
          at: at(4),
        },
        context,
      );
      await handleConnectionCommand(
        store,
        'beta',
        { type: 'DisconnectConnection', revokedAtIntuit: true, userId: 'u1', at: at(5) },
        context,
      );
      await store.appendToStream('sync-s1', [
        {
          id: randomUUID(),
          type: 'SyncCompleted',
          data: {},
          metadata: {
            tenantId: 'acme',
            correlationId: 's1',
            causationId: null,
            actor: { type: 'system', id: 'worker' },
            schemaVersion: 1,
          },
        },
      ]);
    });

    await spec.whenProjected();

    const db = test.db as unknown as Kysely<unknown>;
    const acme = await readConnectionStatus(db, 'acme', new Date('2026-01-01T00:10:00Z'));
    expect(acme).toMatchObject({
      state: 'connected',
      realmId: '111',
      companyName: 'Larry’s Bakery',
      multiCurrencyEnabled: true,
      health: 'degraded',
      healthReason: 'QuickBooks throttled calls (once)',
      accessTokenExpiresAt: '2026-01-01T02:00:00.000Z',
      lastRefreshedAt: at(2),
      lastError: { message: 'QuickBooks throttled calls (once)', at: at(3) },
    });
    expect(acme.lastSyncAt).not.toBeNull();
    expect(await readConnectionStatus(db, 'beta')).toMatchObject({
      state: 'disconnected',
      health: null,
      accessTokenExpiresAt: null,
    });

    await spec.thenRebuildGivesTheSameRows(
      async () => (await sql`select * from connection_status order by tenant_id`.execute(db)).rows,
    );
  });
});
