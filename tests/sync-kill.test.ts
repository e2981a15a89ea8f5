// kill -9 of the worker process in the middle of a push, then a new worker: the dead worker's job is released
// as soon as its process is gone, the run resumes idempotently and completes, and QBO holds no duplicate. Ten
// kills in one push: a resumed run never sends again a write whose outcome its pages recorded, and never
// writes a record twice under another requestid (a recording proxy between the workers and QBO sees every
// batch item), nothing is updated for nothing (every customer keeps SyncToken 0), and the run's totals add up.

import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

interface ProxiedWrite {
  readonly requestId: string | null;
  readonly operation: string;
  /** The customer's name for a create, its QBO Id otherwise. */
  readonly key: string;
}

/** An HTTP hop that forwards everything to the sandbox and notes each batch item the workers send. */
const startRecordingProxy = async (target: string) => {
  const writes: ProxiedWrite[] = [];
  let batchCalls = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', target);
      if (req.method === 'POST' && url.pathname.endsWith('/batch')) {
        batchCalls += 1;
        const { BatchItemRequest = [] } = JSON.parse(body.toString()) as { BatchItemRequest?: Record<string, unknown>[] };
        for (const item of BatchItemRequest) {
          const customer = (item.Customer ?? {}) as { DisplayName?: string; Id?: string };
          writes.push({ requestId: url.searchParams.get('requestid'), operation: String(item.operation), key: String(customer.Id ?? customer.DisplayName) });
        }
      }
      const upstream = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      // The worker may be killed mid-call: its side of the hop goes, the sandbox's side finishes on its own.
      upstream.on('error', () => res.destroy());
      res.on('error', () => upstream.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    writes,
    /** Batch calls sent so far (counted as they leave a worker, not when QBO answers). */
    batchCalls: () => batchCalls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const BUCKETS = ['created', 'updated', 'matched', 'deactivated', 'voided', 'deleted', 'pulled', 'remote_deleted', 'conflict', 'review', 'skipped', 'failed'] as const;

describe('kill -9 mid-push', () => {
  let world: SyncWorld;
  beforeAll(async () => {
    world = await startSyncWorld('sync_kill');
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('a restarted worker completes the run with zero duplicates', async () => {
    const ids = Array.from({ length: 150 }, (_, n) => `kill-${n}`);
    for (const id of ids) await world.upsert('customer', id, { displayName: `Kill Customer ${id}` });
    // Every batch call takes a while, so the kill lands between batches of the run.
    await world.control('POST', '/faults', { action: 'latency', operation: 'batch', latencyMs: 400 });
    const first = await world.spawnWorker();
    const syncId = await world.requestSync('customer', 'push');
    const deadline = Date.now() + 30_000;
    while ((await world.requests()).filter((request) => request.operation === 'batch').length < 2) {
      if (Date.now() > deadline) throw new Error(`no batch call reached QBO:\n${first.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await first.kill('SIGKILL');
    const { events: before } = await world.eventStore.readStream(`sync-${syncId}`);
    expect(before.map((event) => event.type)).not.toContain('SyncCompleted');

    const second = await world.spawnWorker();
    const end = await world.waitForRun(syncId, 90_000);
    await second.kill('SIGTERM');
    await world.control('DELETE', '/faults');
    expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { failed: 0 } } });
    // The run's totals cover both workers' work: answers are recorded call by call, and the resumed run
    // counts what the dead one recorded as created. Only the call in flight at the kill can come back as
    // matched (QBO had made them; the answer was lost with the process).
    const counts = end.data.counts as { created: number; matched: number };
    expect(counts.created + counts.matched).toBe(150);
    expect(counts.created).toBeGreaterThanOrEqual(120);
    const names = (await world.qboAll('Customer')).map((customer) => customer.DisplayName);
    expect(names).toHaveLength(150);
    expect(new Set(names).size).toBe(150);
    const linked = await world.sql<{ n: string }>("select count(*) as n from event_streams where stream_name like 'qbolink-acme.customer.%'");
    expect(Number(linked[0]?.n)).toBe(150);
  }, 150_000);

  it('ten kills in one push: no write sent twice, nothing updated for nothing, totals that add up', async () => {
    await world.control('DELETE', '/faults');
    await world.control('DELETE', '/requests');
    const proxy = await startRecordingProxy(world.sandbox.url);
    try {
      // 40 batch calls: enough that ten workers, each killed after a call or two, leave work for the last one.
      const ids = Array.from({ length: 1200 }, (_, n) => `tenkill-${String(n).padStart(4, '0')}`);
      for (const id of ids) await world.upsert('customer', id, { displayName: `Ten Kills ${id}` });
      // Slow answers, so that kills land in every phase: while a call is in flight, between calls, while a
      // page is recorded.
      await world.control('POST', '/faults', { action: 'latency', operation: 'batch', latencyMs: 250 });
      const syncId = await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: ids } });
      for (let kill = 0; kill < 10; kill += 1) {
        const seen = proxy.batchCalls();
        const worker = await world.spawnWorker({ extraEnv: { QBO_SANDBOX_URL: proxy.url } });
        const deadline = Date.now() + 60_000;
        // The worker picked the run up and sent a call: then kill it at a random moment of what follows.
        while (proxy.batchCalls() <= seen) {
          if ((await world.eventStore.readStream(`sync-${syncId}`)).events.some((event) => event.type === 'SyncCompleted')) throw new Error(`the run ended before kill ${kill + 1}`);
          if (Date.now() > deadline) throw new Error(`kill ${kill + 1}: the run did not go on:\n${worker.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 400)));
        await worker.kill('SIGKILL');
        const { events } = await world.eventStore.readStream(`sync-${syncId}`);
        expect(events.map((event) => event.type), `the run ended before kill ${kill + 1}`).not.toContain('SyncCompleted');
      }
      const last = await world.spawnWorker({ extraEnv: { QBO_SANDBOX_URL: proxy.url } });
      const end = await world.waitForRun(syncId, 120_000).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\nthe last worker said:\n${last.output().slice(-20_000)}`);
      });
      await world.control('DELETE', '/faults');

      const { events } = await world.eventStore.readStream(`sync-${syncId}`);
      expect(events.filter((event) => event.type === 'SyncStarted').length).toBe(11);
      expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed', counts: { failed: 0, planned: 1200 } } });
      const counts = end.data.counts as Record<(typeof BUCKETS)[number] | 'planned', number>;
      expect(BUCKETS.reduce((sum, bucket) => sum + counts[bucket], 0)).toBe(counts.planned);
      expect(counts.created + counts.matched).toBe(1200);

      // QBO: every customer once, and none updated (a needless write after a resume shows as SyncToken 1).
      const customers = (await world.qboAll('Customer')).filter((customer) => String(customer.DisplayName).startsWith('Ten Kills '));
      expect(customers).toHaveLength(1200);
      expect(new Set(customers.map((customer) => customer.DisplayName)).size).toBe(1200);
      expect(customers.filter((customer) => customer.SyncToken !== '0').map((customer) => customer.DisplayName)).toEqual([]);
      // The wire: only creates, and no customer sent under two requestids (a resend with the same requestid
      // would be QBO's replay of its first answer, not a write).
      expect(proxy.writes.filter((write) => write.operation !== 'create')).toEqual([]);
      const requestIdsOf = new Map<string, Set<string | null>>();
      for (const write of proxy.writes) requestIdsOf.set(write.key, (requestIdsOf.get(write.key) ?? new Set()).add(write.requestId));
      const twice = [...requestIdsOf].filter(([, requestIds]) => requestIds.size > 1).map(([key]) => key);
      expect(twice).toEqual([]);
      expect(requestIdsOf.size).toBeLessThanOrEqual(1200);
    } finally {
      await proxy.close();
    }
  }, 400_000);
});
