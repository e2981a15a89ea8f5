// Recovery after kill -9 of the worker running a push, with another worker process already running (issue 11,
// item 6: at most 5 s by default). Both workers are real processes (`node --import tsx apps/worker/src/main.ts`)
// with the service's default heartbeat, stale time and queue poll interval. Each round kills the worker that
// holds the run and times, from the kill:
//   - pickup: the surviving worker appends SyncStarted (it resumes the run);
//   - page:   the survivor records its first page (SyncPageRecorded), the run going on.
// Then a fresh worker is started to be the next round's survivor, the run moves on for a moment, and the next
// round kills the one holding it. The push is CUSTOMERS new customers with QBO's answers slowed (LATENCY_MS a
// batch) so that it lasts through every round; at the end the run completes and QBO is checked for duplicates.
// The run's stream is polled every 25 ms, so each figure is up to 25 ms late.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/worker-recovery.ts   (KILLS=8 CUSTOMERS=3000)

import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './support/bench-database.js';
import { type WorkerProcess, startBenchSyncWorld } from './support/sync-world.js';

const kills = Number(process.env.KILLS ?? 8);
const customers = Number(process.env.CUSTOMERS ?? 3000);
const latencyMs = Number(process.env.LATENCY_MS ?? 200);
// The world's builder sets a fast queue poll for tests; the bench runs the service's default.
const defaults = { WORKER_POLL_INTERVAL_MS: '2000' };

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
const loadBefore = load();
const world = await startBenchSyncWorld({ limits: false });
try {
  const ids = Array.from({ length: customers }, (_, n) => `recover-${String(n).padStart(5, '0')}`);
  for (const id of ids) await world.upsert('customer', id, { displayName: `Recover ${id}` });
  await world.control('POST', '/faults', { action: 'latency', operation: 'batch', latencyMs });

  const types = async (syncId: string) => (await world.eventStore.readStream(`sync-${syncId}`)).events.map((event) => event.type);
  const count = (list: string[], type: string) => list.filter((t) => t === type).length;

  let holder: WorkerProcess = await world.spawnWorker({ extraEnv: defaults });
  const syncId = await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: ids } });
  while (count(await types(syncId), 'SyncPageRecorded') < 2) await sleep(25);

  const rounds: { pickupS: number; pageS: number }[] = [];
  for (let round = 0; round < kills; round += 1) {
    const survivor = await world.spawnWorker({ extraEnv: defaults });
    // The run goes on for a moment under its holder, so the kill lands anywhere in a page's work.
    const pagesBefore = count(await types(syncId), 'SyncPageRecorded');
    while (count(await types(syncId), 'SyncPageRecorded') === pagesBefore) await sleep(25);
    await sleep(Math.floor(Math.random() * 1_000));
    const before = await types(syncId);
    if (before.includes('SyncCompleted')) throw new Error(`the run completed before round ${round + 1}: raise CUSTOMERS`);
    const starts = count(before, 'SyncStarted');
    const killedAt = performance.now();
    await holder.kill('SIGKILL');
    let pickupS = Number.NaN;
    for (;;) {
      const now = await types(syncId);
      const startIndex = now.flatMap((type, index) => (type === 'SyncStarted' ? [index] : []))[starts];
      if (startIndex !== undefined && Number.isNaN(pickupS)) pickupS = (performance.now() - killedAt) / 1000;
      if (startIndex !== undefined && now.slice(startIndex).includes('SyncPageRecorded')) break;
      if (performance.now() - killedAt > 120_000) throw new Error(`round ${round + 1}: no page within 120 s:\n${survivor.output()}`);
      await sleep(25);
    }
    const pageS = (performance.now() - killedAt) / 1000;
    rounds.push({ pickupS, pageS });
    console.log(`kill ${round + 1}: resumed (SyncStarted) after ${pickupS.toFixed(2)} s, first page after ${pageS.toFixed(2)} s`);
    holder = survivor;
  }

  const end = await world.waitForRun(syncId, 600_000);
  await world.control('DELETE', '/faults');
  const names = (await world.qboAll('Customer')).map((customer) => String(customer.DisplayName));
  const pages = rounds.map((round) => round.pageS).sort((a, b) => a - b);
  const pickups = rounds.map((round) => round.pickupS).sort((a, b) => a - b);
  const fmt = (list: number[]) => `median ${percentile(list, 50).toFixed(2)} s, p90 ${percentile(list, 90).toFixed(2)} s, max ${Math.max(...list).toFixed(2)} s`;
  console.log(
    JSON.stringify(
      {
        kills,
        customers,
        batchLatencyMs: latencyMs,
        heartbeat: 'defaults (WORKER_HEARTBEAT_MS 1000, WORKER_STALE_AFTER_MS 20000, WORKER_POLL_INTERVAL_MS 2000)',
        killToFirstPage: fmt(pages),
        killToResume: fmt(pickups),
        rounds,
        run: { outcome: end.data.outcome, counts: end.data.counts },
        qbo: { customers: names.length, distinct: new Set(names.map((name) => name.toLowerCase())).size },
        database: world.server,
        cpus: cpus().length,
        loadBefore,
        loadAfter: load(),
      },
      null,
      2,
    ),
  );
} finally {
  await world.close();
}
