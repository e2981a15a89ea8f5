// Pull and project (DESIGN.md §9: at least 5,000 records a second from sandbox pages to read models on a
// 2-core machine). Seeds the sandbox with CUSTOMERS customers, runs a full pull through the real worker
// (in this process) and the projector, and times the run from the request to SyncCompleted and to the last
// row in the `records` read model. For where the time goes, it also times the same pages fetched bare
// (the sandbox's share) and reads the per-page progress of the records read model and the run's timeline.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/pull-project.ts   (CUSTOMERS=20000)

import { readFileSync, readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startBenchSyncWorld } from './support/sync-world.js';

const customers = Number(process.env.CUSTOMERS ?? 20_000);
// The worker as its own process, as production runs it (the default), or inside this process beside the projector.
const workerInProcess = process.env.WORKER === 'in-process';

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
const cpuSecondsOf = (pid: number | string): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
  } catch {
    return 0;
  }
};
/** CPU seconds used so far by every PostgreSQL process on this machine. */
const postgresCpuSeconds = (): number =>
  readdirSync('/proc')
    .filter((name) => /^[0-9]+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres');
      } catch {
        return false;
      }
    })
    .reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
const cpuSecondsSince = (before: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
};
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 170_000);

const seedStarted = performance.now();
const world = await startBenchSyncWorld({ limits: false, seed: { seed: 11, customers, vendors: 0, items: 0, invoices: 0 } });
const setupSeconds = (performance.now() - seedStarted) / 1000;

try {
  // The sandbox's own share: the pages the pull reads (1000 a query), fetched and parsed with nothing else done.
  const token = (await (
    await fetch(`${world.sandbox.controlsUrl}/oauth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ realmId: world.realmId }) })
  ).json()) as { access_token: string };
  const fetchStarted = performance.now();
  let fetched = 0;
  for (let start = 1; ; start += 1000) {
    const response = await fetch(`${world.sandbox.url}/v3/company/${world.realmId}/query?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/text', accept: 'application/json' },
      body: `SELECT * FROM Customer STARTPOSITION ${start} MAXRESULTS 1000`,
    });
    const page = ((await response.json()) as { QueryResponse: { Customer?: unknown[] } }).QueryResponse.Customer ?? [];
    fetched += page.length;
    if (page.length < 1000) break;
  }
  const fetchSeconds = (performance.now() - fetchStarted) / 1000;

  const workerPid = workerInProcess ? null : (await world.spawnWorker()).child.pid;
  if (workerInProcess) await world.startWorker();
  const started = performance.now();
  // Where the CPU went while the run went: this process (projector, sandbox, and the worker when in process),
  // the worker's process, and PostgreSQL's.
  const cpuBefore = process.cpuUsage();
  const postgresBefore = postgresCpuSeconds();
  const workerBefore = workerPid === null || workerPid === undefined ? 0 : cpuSecondsOf(workerPid);
  const syncId = await world.requestSync('customer', 'pull', { scope: { kind: 'all' } });
  // Progress of the read model while the run goes, to show whether the pull or the projection lags.
  const progress: Array<[seconds: number, recordEvents: number, projectedRows: number]> = [];
  let done = false;
  const watcher = (async () => {
    while (!done) {
      const [row] = await world.sql<{ projected: string; events: string }>(
        `select (select count(*) from records where tenant_id = $1 and record_type = 'customer') as projected,
                (select count(*) from events where category = 'record') as events`,
        [world.tenantId],
      );
      progress.push([Math.round((performance.now() - started) / 100) / 10, Number(row?.events ?? 0), Number(row?.projected ?? 0)]);
      if (Number(row?.projected ?? 0) >= customers) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const end = await world.waitForRun(syncId, timeoutMs);
  const completedSeconds = (performance.now() - started) / 1000;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await world.sql<{ n: string }>(`select count(*) as n from records where tenant_id = $1 and record_type = 'customer'`, [world.tenantId]);
    if (Number(row?.n ?? 0) >= customers || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const projectedSeconds = (performance.now() - started) / 1000;
  done = true;
  await watcher;
  // The run's own events and the record events, timed by their transactions (recorded_at is now()).
  const timeline = await world.sql<{ what: string; at_s: string; n: string }>(
    `with t0 as (select min(recorded_at) as t0 from events where stream_name = $1)
     select event_type as what, extract(epoch from recorded_at - t0)::float8 as at_s, 1 as n from events, t0 where stream_name = $1
     union all
     select 'first record event', extract(epoch from min(recorded_at) - min(t0))::float8, count(*) from events, t0 where category = 'record'
     union all
     select 'last record event', extract(epoch from max(recorded_at) - min(t0))::float8, count(*) from events, t0 where category = 'record'
     order by at_s`,
    [`sync-${syncId}`],
  );
  const [final] = await world.sql<{ n: string }>(`select count(*) as n from records where tenant_id = $1 and record_type = 'customer'`, [world.tenantId]);

  console.log(
    JSON.stringify(
      {
        bench: 'pull-project',
        server: world.server,
        cpus: cpus().length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        customers,
        setupSeconds,
        run: { outcome: end.type, counts: end.data.counts },
        bareFetch: { records: fetched, seconds: fetchSeconds, recordsPerSecond: fetched / fetchSeconds },
        pullCompletedSeconds: completedSeconds,
        worker: workerInProcess ? 'in this process' : 'its own process',
        cpuSeconds: {
          thisProcess: cpuSecondsSince(cpuBefore),
          ...(workerPid === null || workerPid === undefined ? {} : { worker: cpuSecondsOf(workerPid) - workerBefore }),
          postgres: postgresCpuSeconds() - postgresBefore,
        },
        projectedSeconds,
        projectedRows: Number(final?.n ?? 0),
        recordsPerSecond: Number(final?.n ?? 0) / projectedSeconds,
        target: 5000,
        timeline: timeline.map((row) => `${Number(row.at_s).toFixed(2)} s ${row.what}${Number(row.n) > 1 ? ` (${row.n} events)` : ''}`),
        progress: progress.map((sample) => sample.join(' ')),
      },
      (_, value) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10) / 10 : value),
      2,
    ),
  );
} finally {
  await world.close();
}
