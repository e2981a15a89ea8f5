// Projector lag at a steady append rate (DESIGN.md §9: under 250 ms p99 at 1,000 events per second).
// Appends single-event transactions at RATE per second for SECONDS through the Postgres event store while
// the activity_log projection runs, and measures, per event, the time from its append committing to the
// batch holding it being committed by the projector.
// Run: pnpm --filter @qbo-sync/bench exec tsx projector-lag.ts   (RATE=1000 SECONDS=20 by default)

import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { createDatabase, createPool, createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { type LogPosition, comparePositions } from '@qbo-sync/domain';
import { pino } from 'pino';
import { startProjectionRunner } from '../apps/projector/src/projection-runner.js';
import { activityLogProjection } from '../apps/projector/src/projections/activity-log-projection.js';
import type { ReadModels } from '../apps/projector/src/read-models.js';
import type { Kysely } from 'kysely';
import { openBenchDatabase, percentile } from './support/bench-database.js';

const rate = Number(process.env.RATE ?? 1000);
const seconds = Number(process.env.SECONDS ?? 20);
const key = (position: LogPosition): string => `${position.commit}/${position.prepare}`;

const database = await openBenchDatabase();
const store = createPostgresEventStore({ db: database.db, connectionString: database.url });
// The projector's own pool, as in production where it is its own process: sharing the producer's pool would
// queue its reads behind a thousand appends a second and measure the pool, not the projector.
const projectorDb = createDatabase<unknown>(createPool({ connectionString: database.url, maxConnections: 4 }));
const committedAt = new Map<string, { position: LogPosition; at: number }>();
const lags: number[] = [];
const runner = startProjectionRunner({
  db: projectorDb as Kysely<ReadModels>,
  connectionString: database.url,
  eventStore: createPostgresEventStore({ db: projectorDb, connectionString: database.url }),
  projection: activityLogProjection,
  logger: pino({ level: 'warn' }),
  onBatchApplied: (_count, checkpoint) => {
    const now = performance.now();
    // Every event at or before the new checkpoint is now projected.
    for (const [id, { position, at }] of committedAt) {
      if (comparePositions(position, checkpoint) > 0) continue;
      lags.push(now - at);
      committedAt.delete(id);
    }
  },
});

const total = rate * seconds;
const started = performance.now();
let sent = 0;
const inFlight = new Set<Promise<void>>();
while (sent < total) {
  const due = Math.floor(((performance.now() - started) / 1000) * rate);
  while (sent < Math.min(due, total)) {
    const index = sent++;
    const append = store
      .appendToStream(`record-bench.customer.${index % 100}`, [
        {
          id: randomUUID(),
          type: 'LocalRecordUpserted',
          data: { index },
          metadata: { tenantId: 'bench', correlationId: 'bench', causationId: null, actor: { type: 'system', id: 'bench' }, schemaVersion: 1 },
        },
      ])
      .then((result) => {
        committedAt.set(key(result.position), { position: result.position, at: performance.now() });
      })
      .finally(() => inFlight.delete(append));
    inFlight.add(append);
  }
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await Promise.all(inFlight);
const elapsed = (performance.now() - started) / 1000;
while (committedAt.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
await runner.stop();
await store.close();
await projectorDb.destroy();
await database.close();

lags.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      bench: 'projector-lag',
      server: database.server,
      cpus: cpus().length,
      targetRate: rate,
      achievedRate: Math.round(total / elapsed),
      events: lags.length,
      lagMs: { p50: percentile(lags, 50), p95: percentile(lags, 95), p99: percentile(lags, 99), max: lags[lags.length - 1] },
    },
    (_, value) => (typeof value === 'number' ? Math.round(value * 10) / 10 : value),
    2,
  ),
);
