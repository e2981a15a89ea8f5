// The dispatcher on real Postgres: one graphile job per SyncRequested, keyed by the sync id and queued per
// (tenant, type); a redelivered batch adds nothing, and the checkpoint moves in the same transaction.

import { randomUUID } from 'node:crypto';
import { createDatabase, createPool, createPostgresEventStore, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { dispatchBatch } from '@qbo-sync/adapters/graphile-worker';
import { createTestDatabase } from '@qbo-sync/adapters/testing';
import { runMigrations } from 'graphile-worker';
import { describe, expect, it } from 'vitest';

describe('sync dispatcher', () => {
  it('enqueues one sync_run job per request, keyed by the sync id, on the tenant and type queue', async () => {
    const database = await createTestDatabase('sync_dispatcher');
    const pool = createPool({ connectionString: database.url });
    const db = createDatabase<unknown>(pool);
    const eventStore = createPostgresEventStore({ db, connectionString: database.url });
    try {
      await migrateToLatest(db);
      await runMigrations({ connectionString: database.url, schema: 'graphile_worker' });
      const request = (syncId: string, recordType: string) => ({
        id: randomUUID(),
        type: 'SyncRequested',
        data: { syncId, tenantId: 'acme', recordType, direction: 'push', scope: { kind: 'changed' }, dryRun: false, retryOf: null, requestedBy: 'test', at: new Date().toISOString() },
        metadata: { tenantId: 'acme', correlationId: syncId, causationId: null, actor: { type: 'system', id: 'test' } as const, schemaVersion: 1 },
      });
      const a = randomUUID();
      const b = randomUUID();
      await eventStore.appendToStream(`sync-${a}`, [request(a, 'customer')], { expectedRevision: 'no_stream' });
      await eventStore.appendToStream(`sync-${b}`, [request(b, 'invoice')], { expectedRevision: 'no_stream' });
      const subscription = eventStore.subscribe({ from: 'start', filter: { categories: ['sync'] } });
      const delivered = [];
      for await (const batch of subscription) {
        delivered.push(...batch);
        if (delivered.length >= 2) break;
      }
      await subscription.stop();
      expect(await dispatchBatch(db, 'graphile_worker', delivered)).toBe(2);
      // At-least-once delivery: the same batch again enqueues nothing.
      expect(await dispatchBatch(db, 'graphile_worker', delivered)).toBe(0);
      const { rows } = await pool.query<{ key: string; queue_name: string; task_identifier: string }>(
        'select key, queue_name, task_identifier from graphile_worker.jobs order by queue_name',
      );
      expect(rows).toEqual([
        { key: a, queue_name: 'sync:acme:customer', task_identifier: 'sync_run' },
        { key: b, queue_name: 'sync:acme:invoice', task_identifier: 'sync_run' },
      ]);
    } finally {
      await eventStore.close();
      await pool.end();
      await database.drop();
    }
  });
});
