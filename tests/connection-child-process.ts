// A worker process for the multi-process connection tests: wires the connection module from the
// environment as an app would, says "ready", waits for "go" on stdin so all processes start together, does
// its QBO calls, and prints one JSON line with what happened.
//   mode "token":  one QBO call that needs an access token (the five-process refresh test)
//   mode "hammer": CALLS single calls and BATCHES batch calls, CONCURRENCY at a time (the rate-limit test)

import { createInterface } from 'node:readline';
import { createDatabase, createPool, createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { createLogger } from '@qbo-sync/adapters/config';
import { createQboConnectionModule, loadQboConnectionConfig } from '@qbo-sync/adapters/intuit-oauth';
import { QboError } from '@qbo-sync/adapters/qbo-http';

const env = process.env;
const tenantId = env.TENANT_ID ?? 'acme';
const mode = env.CHILD_MODE ?? 'token';
const pool = createPool({ connectionString: env.DATABASE_URL ?? '', maxConnections: 12, applicationName: `connection-child ${process.pid}` });
const db = createDatabase<unknown>(pool);
const eventStore = createPostgresEventStore({ db, connectionString: env.DATABASE_URL ?? '' });
// Log lines go to stdout as JSON too; the parent only reads "ready" and the result line (it has a pid).
const logger = createLogger({ service: 'connection-child', level: 'warn' });
const module = await createQboConnectionModule({
  config: loadQboConnectionConfig(env),
  db,
  eventStore,
  logger,
  ...(env.RATE_LIMITS ? { limits: JSON.parse(env.RATE_LIMITS) as Record<string, number> } : {}),
  qbo: { baseDelayMs: 20 },
});

const lines = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));
process.stdout.write('ready\n');
await go;

const result: Record<string, unknown> = { childResult: true, pid: process.pid };
try {
  if (mode === 'token') {
    const body = await module.client.get<{ CompanyInfo: { CompanyName: string } }>(tenantId, `/companyinfo/${env.REALM_ID}`);
    result.ok = true;
    result.companyName = body.CompanyInfo.CompanyName;
  } else {
    const calls = Number(env.CALLS ?? 10);
    const batches = Number(env.BATCHES ?? 0);
    const concurrency = Number(env.CONCURRENCY ?? 5);
    // Batches first, so both windows (all calls, batch calls) fill at the start.
    const work: Array<() => Promise<unknown>> = [
      ...Array.from({ length: batches }, (_, i) => () =>
        module.client.request({ tenantId, method: 'POST', path: '/batch', batch: true, body: { BatchItemRequest: [{ bId: `q${i}`, Query: 'select * from Customer maxresults 1' }] } }),
      ),
      ...Array.from({ length: calls }, () => () => module.client.get(tenantId, `/companyinfo/${env.REALM_ID}`)),
    ];
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < work.length) {
          const job = work[next];
          next += 1;
          await job?.();
          done += 1;
        }
      }),
    );
    result.ok = true;
    result.done = done;
  }
} catch (error) {
  result.ok = false;
  result.error = error instanceof QboError ? error.toJSON() : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
await module.health.flush();
process.stdout.write(`${JSON.stringify(result)}\n`);
lines.close();
await eventStore.close();
await pool.end();
process.exit(0);
