// Throughput of a page append on the Postgres event store: CALLS calls of appendToStreams, each creating
// STREAMS new streams of EVENTS events (expected revision no_stream), one after another, on a fresh database.
// The figure depends on the machine's load: write `uptime` beside it.
// Run: pnpm --filter @qbo-sync/bench exec tsx event-store-append.ts
//      (DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres STREAMS=1000 EVENTS=3 CALLS=20 by default)

import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { NewEvent, StreamAppend } from '@qbo-sync/domain';
import pg from 'pg';
import { createDatabase, createPool } from '../packages/adapters/src/postgres/database.js';
import { migrateToLatest } from '../packages/adapters/src/postgres/migrate.js';
import { createPostgresEventStore } from '../packages/adapters/src/postgres/postgres-event-store.js';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const streams = Number(process.env.STREAMS ?? 1_000);
const events = Number(process.env.EVENTS ?? 3);
const calls = Number(process.env.CALLS ?? 20);

const event = (index: number): NewEvent => ({
  id: randomUUID(),
  type: 'LocalRecordUpserted',
  data: { index, name: `Customer ${index}`, balance: index * 1.5, tags: ['bench', 'page'] },
  metadata: {
    tenantId: 'bench',
    correlationId: 'bench',
    causationId: null,
    actor: { type: 'system', id: 'bench' },
    schemaVersion: 1,
  },
});

const page = (call: number): StreamAppend[] =>
  Array.from({ length: streams }, (_, index) => ({
    streamName: `record-bench.${call}.${index}`,
    events: Array.from({ length: events }, (_, offset) => event(index * events + offset)),
    expectedRevision: 'no_stream' as const,
  }));

const name = `bench_append_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = createDatabase<unknown>(createPool({ connectionString: url.toString(), maxConnections: 4 }));
try {
  await migrateToLatest(db);
  const store = createPostgresEventStore({ db, connectionString: url.toString() });
  // Built before the clock starts: the figure is the store's, not the page builder's.
  const pages = Array.from({ length: calls + 1 }, (_, call) => page(call));
  await store.appendToStreams(pages[calls] as StreamAppend[]); // warm-up, not counted
  const durations: number[] = [];
  for (const appends of pages.slice(0, calls)) {
    const started = performance.now();
    await store.appendToStreams(appends);
    durations.push(performance.now() - started);
  }
  const total = durations.reduce((sum, ms) => sum + ms, 0);
  const sorted = [...durations].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      streamsPerCall: streams,
      eventsPerStream: events,
      calls,
      eventsPerSecond: Math.round((calls * streams * events) / (total / 1_000)),
      msPerCall: { median: Math.round(sorted[Math.floor(calls / 2)] ?? 0), max: Math.round(sorted.at(-1) ?? 0) },
      loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
    }),
  );
  await store.close();
} finally {
  await db.destroy();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}
