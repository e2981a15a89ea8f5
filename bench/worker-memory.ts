// Worker memory while syncing a large set (DESIGN.md §9: flat, streaming, not load-all, while syncing 100,000
// records). Seeds the sandbox with CUSTOMERS customers, starts the worker as its own process (it reports
// process.memoryUsage() over IPC every SAMPLE_MS), and runs one full pull for at most LIMIT_SECONDS. Reports RSS
// and heap at the start, the peak and the end, and a sample every ~10 s next to how many records were in,
// so memory can be read against progress. If the pull cannot finish in the limit, the worker is stopped and
// the figures cover the records that were synced by then (reported).
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/worker-memory.ts   (CUSTOMERS=100000 LIMIT_SECONDS=180)

import { cpus } from 'node:os';
import { type MemorySample, startBenchSyncWorld } from './support/sync-world.js';

const customers = Number(process.env.CUSTOMERS ?? 100_000);
const limitSeconds = Number(process.env.LIMIT_SECONDS ?? 180);
const sampleMs = Number(process.env.SAMPLE_MS ?? 250);
const MiB = 2 ** 20;

const world = await startBenchSyncWorld({ limits: false, seed: { seed: 5, customers, vendors: 0, items: 0, invoices: 0 } });
try {
  const worker = await world.spawnWorker({ sampleMemoryMs: sampleMs });
  // Idle baseline: the worker started, nothing to do yet.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = worker.samples[worker.samples.length - 1];
  const startedAtMs = idle?.atMs ?? 0;
  const started = performance.now();
  const syncId = await world.requestSync('customer', 'pull', { scope: { kind: 'all' } });
  const synced = async () => Number((await world.sql<{ n: string }>(`select count(*) as n from event_streams where stream_name like $1`, [`record-${world.tenantId}.customer.%`]))[0]?.n ?? 0);
  const progress: Array<{ atS: number; synced: number; rssMiB: number; heapUsedMiB: number }> = [];
  let outcome = 'stopped at the time limit';
  for (;;) {
    const [end] = await world.sql<{ event_type: string }>(`select event_type from events where stream_name = $1 and event_type in ('SyncCompleted', 'SyncFailed')`, [`sync-${syncId}`]);
    const last: MemorySample | undefined = worker.samples[worker.samples.length - 1];
    const atS = (performance.now() - started) / 1000;
    if (last !== undefined) progress.push({ atS, synced: await synced(), rssMiB: last.rss / MiB, heapUsedMiB: last.heapUsed / MiB });
    if (end !== undefined) {
      outcome = end.event_type;
      break;
    }
    if (atS > limitSeconds) break;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
  const seconds = (performance.now() - started) / 1000;
  const total = await synced();
  await worker.kill('SIGTERM');
  const during = worker.samples.filter((sample) => sample.atMs >= startedAtMs);
  const peak = (key: keyof MemorySample) => Math.max(...during.map((sample) => sample[key])) / MiB;
  const endSample = during[during.length - 1];
  // Flatness: the heap in the second half of the run against the first (a load-all grows with the records).
  const half = during.filter((sample) => sample.atMs >= startedAtMs + (seconds * 1000) / 2);
  const firstHalf = during.filter((sample) => sample.atMs < startedAtMs + (seconds * 1000) / 2 && sample.atMs > startedAtMs + 5000);

  console.log(
    JSON.stringify(
      {
        bench: 'worker-memory',
        server: world.server,
        cpus: cpus().length,
        seededCustomers: customers,
        outcome,
        seconds,
        recordsSynced: total,
        samples: during.length,
        rssMiB: { idle: (idle?.rss ?? 0) / MiB, peak: peak('rss'), end: (endSample?.rss ?? 0) / MiB },
        heapUsedMiB: { idle: (idle?.heapUsed ?? 0) / MiB, peak: peak('heapUsed'), end: (endSample?.heapUsed ?? 0) / MiB },
        heapUsedPeakMiB: { firstHalf: Math.max(...firstHalf.map((sample) => sample.heapUsed)) / MiB, secondHalf: Math.max(...half.map((sample) => sample.heapUsed)) / MiB },
        progress: progress.map((p) => `${p.atS.toFixed(0)} s: ${p.synced} records, rss ${p.rssMiB.toFixed(0)} MiB, heap ${p.heapUsedMiB.toFixed(0)} MiB`),
      },
      (_, value) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10) / 10 : value),
      2,
    ),
  );
} finally {
  await world.close();
}
