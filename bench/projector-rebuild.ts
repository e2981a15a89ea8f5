// Rebuilding a read model from the whole log (DESIGN.md §9: 1,000,000 events in under 3 minutes).
// Writes EVENTS events straight into the Postgres event log (in chunks, so they span many transactions),
// then runs the activity_log projection from zero and times it until its checkpoint reaches the end.
// Run: pnpm --filter @qbo-sync/bench exec tsx projector-rebuild.ts   (EVENTS=1000000 BATCH=1000 by default)

import { cpus } from 'node:os';
import { createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { comparePositions, type LogPosition } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import { pino } from 'pino';
import { startProjectionRunner } from '../apps/projector/src/projection-runner.js';
import { activityLogProjection } from '../apps/projector/src/projections/activity-log-projection.js';
import type { ReadModels } from '../apps/projector/src/read-models.js';
import { openBenchDatabase } from './support/bench-database.js';

const total = Number(process.env.EVENTS ?? 1_000_000);
const batchSize = Number(process.env.BATCH ?? 1000);
const chunk = 100_000;
const perStream = 10;

const database = await openBenchDatabase();
const loadStarted = performance.now();
for (let from = 0; from < total; from += chunk) {
  const to = Math.min(total, from + chunk) - 1;
  await database.db.transaction().execute(async (trx) => {
    await sql`
      INSERT INTO event_streams (stream_name, category, revision)
      SELECT 'record-bench.customer.' || s, 'record', ${perStream - 1}
      FROM generate_series(${from / perStream}::bigint, ${Math.floor(to / perStream)}::bigint) s`.execute(trx);
    await sql`
      INSERT INTO events (event_id, stream_name, category, stream_revision, event_type, data, metadata)
      SELECT gen_random_uuid(), 'record-bench.customer.' || (g / ${perStream}), 'record', g % ${perStream},
             'LocalRecordUpserted', jsonb_build_object('index', g, 'name', 'Customer ' || g),
             jsonb_build_object('tenantId', 'bench', 'correlationId', 'sync-' || (g / 1000), 'causationId', null,
                                'actor', jsonb_build_object('type', 'system', 'id', 'bench'), 'schemaVersion', 1)
      FROM generate_series(${from}::bigint, ${to}::bigint) g`.execute(trx);
  });
}
const loadSeconds = (performance.now() - loadStarted) / 1000;
const { rows } = await sql<{ commit: string; prepare: string }>`
  SELECT transaction_id::text AS commit, global_position::text AS prepare FROM events
  ORDER BY transaction_id DESC, global_position DESC LIMIT 1`.execute(database.db);
const end: LogPosition = { commit: BigInt(rows[0]!.commit), prepare: BigInt(rows[0]!.prepare) };

const rssBefore = process.memoryUsage().rss;
let peakRss = rssBefore;
let reached!: () => void;
const done = new Promise<void>((resolve) => (reached = resolve));
const started = performance.now();
const runner = startProjectionRunner({
  db: database.db as Kysely<ReadModels>,
  connectionString: database.url,
  eventStore: createPostgresEventStore({ db: database.db, connectionString: database.url }),
  projection: activityLogProjection,
  logger: pino({ level: 'warn' }),
  batchSize,
  onBatchApplied: (_count, checkpoint) => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (comparePositions(checkpoint, end) >= 0) reached();
  },
});
await done;
const seconds = (performance.now() - started) / 1000;
await runner.stop();
const { rows: counted } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM activity_log`.execute(database.db);
await database.close();

console.log(
  JSON.stringify(
    {
      bench: 'projector-rebuild',
      server: database.server,
      cpus: cpus().length,
      events: total,
      rows: Number(counted[0]?.n),
      batchSize,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      rebuildSeconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round(total / seconds),
      peakRssMb: Math.round(peakRss / 1e6),
    },
    null,
    2,
  ),
);
