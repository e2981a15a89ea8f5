// `pnpm start` as a person runs it: a real child process on a temporary data folder and free ports. It must
// print its URLs, answer health, readiness and metrics, restart a service that dies and serve again, leave
// no process behind when stopped, whether by SIGTERM or by a crash loop, and wire its services to each other
// by the ports it was given, never to a default port where another instance may listen.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readFile, readdir, readlink, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, createServer } from 'node:http';
import { createConnection } from 'node:net';
import { createDatabase, createPool, createPostgresEventStore } from '@qbo-sync/adapters/postgres';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { createTestDatabase } from '@qbo-sync/adapters/testing';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = import.meta.resolve('tsx');

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  readonly pids: Record<string, number>;
  readonly apiUrl: string;
}

const running: ChildProcess[] = [];
const dataDirs: string[] = [];

afterEach(async () => {
  // A failed assertion must not leave a service running: end the whole process group.
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const dir of dataDirs.splice(0)) {
    // As root the cluster may live elsewhere (see docs/operations.md), with the data folder's postgres/ a link.
    const cluster = join(dir, 'postgres');
    if ((await lstat(cluster).catch(() => undefined))?.isSymbolicLink()) await rm(await readlink(cluster), { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Every process whose command line mentions `needle` (the temporary data folder is unique to a test). */
const processesMentioning = async (needle: string): Promise<string[]> => {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) found.push(`${entry}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
};

/** Starts the stack as `pnpm start` does (`via: 'pnpm'`, signals then go to pnpm) or its script directly. */
const startService = async (env: Record<string, string>, via: 'pnpm' | 'script' = 'script'): Promise<Started> => {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  if (env.DATABASE_URL === undefined) delete childEnv.DATABASE_URL;
  const [command, args] = via === 'pnpm' ? ['pnpm', ['start']] : [process.execPath, ['--import', tsx, join(root, 'scripts/start.ts')]];
  const child = spawn(command, args, {
    cwd: root,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Generous: a first start builds the admin app (about 15 s alone on a quiet 2-core machine, several times that
  // while other test files run beside it).
  const deadline = Date.now() + 150_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null) throw new Error(`start exited early (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`start did not print its URLs within 150 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pidsLine = /pids:\s+(.*)/.exec(output)?.[1] ?? '';
  const pids = Object.fromEntries(pidsLine.split(', ').map((pair) => pair.split(' ')).map(([name, pid]) => [name, Number(pid)]));
  const apiUrl = /api:\s+(http:\/\/\S+)/.exec(output)?.[1] ?? '';
  return { child, output: () => output, exited, pids, apiUrl };
};

/** The pid `pnpm start` gave the service when it restarted it (after the crash just caused), within a generous bound. */
const restartedPid = async (started: Started, name: string): Promise<number> => {
  const pattern = new RegExp(`${name} restarted, pid (\\d+)`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pid = pattern.exec(started.output())?.[1];
    if (pid !== undefined) return Number(pid);
    if (Date.now() > deadline) throw new Error(`${name} was not restarted within 60 s:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Until the port accepts a connection, within a generous bound. */
const acceptsOn = async (port: number, what: string): Promise<void> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on :${port} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** The whole stack on the ports given, a database of its own, consent approved and a known admin. */
const stackEnv = (databaseUrl: string, dataDir: string, apiPort: number, sandboxPort: number): Record<string, string> => ({
  DATABASE_URL: databaseUrl,
  QBO_SYNC_DATA_DIR: dataDir,
  API_PORT: String(apiPort),
  QBO_SANDBOX_PORT: String(sandboxPort),
  QBO_SANDBOX_AUTO_APPROVE: 'true',
  ADMIN_EMAIL: 'admin@example.com',
  ADMIN_PASSWORD: 'correct horse battery staple',
});

const freshDataDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'qbo-sync-start-'));
  dataDirs.push(dir);
  return dir;
};

/** Stands where the default sandbox port is (:4010) and records whatever reaches it. */
const startDecoy = async (port: number): Promise<{ readonly requests: string[]; close(): Promise<void> } | string> => {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(503).end('decoy: this is not the sandbox pnpm start was given');
  });
  const listening = await new Promise<true | string>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (listening !== true) return listening;
  return { requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

const json = async (response: Response): Promise<Record<string, unknown>> => (await response.json()) as Record<string, unknown>;

/**
 * What a person does first on a started stack, through its real services: sign in, create a tenant, connect it
 * to the sandbox, pull customers through the worker and read the run (projected) from the api. Every service
 * must answer for this to pass.
 */
const connectAndPull = async (api: string, sandbox: string, env: Record<string, string>, started: Started): Promise<void> => {
  const login = await fetch(`${api}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const write = (path: string, body: unknown) =>
    fetch(`${api}${path}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await write('/v1/tenants', { id: 'acme', name: 'Acme Inc.' })).status).toBe(201);

  // Connect: the api sends the browser to the given sandbox, which sends it back to the given api port.
  const authorize = await fetch(`${api}/v1/tenants/acme/connection/authorize`, { headers: { cookie }, redirect: 'manual' });
  const consentUrl = authorize.headers.get('location') ?? '';
  expect(consentUrl.startsWith(`${sandbox}/`), consentUrl).toBe(true);
  const consent = await fetch(consentUrl, { redirect: 'manual' });
  const callbackUrl = consent.headers.get('location') ?? '';
  expect(callbackUrl.startsWith(`${api}/v1/connection/callback?`), callbackUrl).toBe(true);
  // The api exchanges the code at the token endpoint: only the sandbox that issued the code accepts it.
  expect((await fetch(callbackUrl, { headers: { cookie } })).status).toBe(200);
  const connectedBy = Date.now() + 15_000;
  let connection: Record<string, unknown> = {};
  while (connection.state !== 'connected' && Date.now() < connectedBy) {
    connection = await json(await fetch(`${api}/v1/tenants/acme/connection`, { headers: { cookie } }));
    if (connection.state !== 'connected') await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(connection.state, JSON.stringify(connection)).toBe('connected');

  // A pull through the worker: its QuickBooks calls land in the started sandbox's request log.
  const requested = await write('/v1/tenants/acme/syncs', { type: 'customer', direction: 'pull' });
  expect(requested.status, await requested.clone().text()).toBe(202);
  const { syncId } = (await requested.json()) as { syncId: string };
  let status = 'requested';
  // The worker may still be starting when the api is ready (a busy 2-core machine: tens of seconds).
  const deadline = Date.now() + 120_000;
  while ((status === 'requested' || status === 'running') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = String((await json(await fetch(`${api}/v1/tenants/acme/syncs/${syncId}`, { headers: { cookie } }))).status);
  }
  expect(status, started.output()).toBe('completed');
  const log = (await json(await fetch(`${sandbox}/__sandbox/requests`))) as { requests?: Array<{ operation: string }> };
  expect(log.requests?.some((call) => call.operation === 'query' || call.operation === 'cdc'), JSON.stringify(log)).toBe(true);
};

describe('pnpm start', () => {
  it('runs on embedded PostgreSQL, answers health, readiness and metrics, and leaves nothing behind on SIGTERM to pnpm start', { timeout: 240_000 }, async () => {
    // A fresh mkdtemp folder is 0700: as root this is also the case of a clone in a private folder.
    const dataDir = await freshDataDir();
    const apiPort = await freePort();
    const started = await startService(
      {
        QBO_SYNC_DATA_DIR: dataDir,
        API_PORT: String(apiPort),
        QBO_SANDBOX_PORT: String(await freePort()),
        EMBEDDED_POSTGRES_PORT: '0',
      },
      'pnpm',
    );
    expect(started.apiUrl).toBe(`http://127.0.0.1:${apiPort}`);
    const metricsUrl = /metrics:\s+(http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(started.output())?.[1] ?? '';
    // Metrics are on a loopback port of their own, not on the api's.
    expect(metricsUrl).not.toBe('');
    expect(metricsUrl).not.toContain(`:${apiPort}/`);
    expect(started.output()).toMatch(/database:\s+embedded PostgreSQL/);
    if (existsSync(join(root, 'apps/qbo-sandbox/src/main.ts'))) {
      expect(started.output()).toMatch(/sandbox:\s+http:\/\/127\.0\.0\.1:\d+/);
      expect(started.pids.sandbox).toBeGreaterThan(0);
    }

    expect((await fetch(`${started.apiUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${started.apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const metrics = await fetch(metricsUrl);
    expect(await metrics.text()).toContain('http_requests_total');
    expect((await fetch(`${started.apiUrl}/metrics`)).status).toBe(404);
    // start builds the admin web app on first run if it is missing, and the api serves it at /.
    const admin = await fetch(`${started.apiUrl}/`, { headers: { accept: 'text/html' } });
    expect(await admin.text()).toContain('qbo-sync admin');

    // The postmaster is the process that wrote postmaster.pid in the cluster folder under the data dir.
    const postmasterPid = Number((await readFile(join(dataDir, 'postgres/postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(started.pids.postgres).toBe(postmasterPid);
    const all = Object.values(started.pids);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const pid of all) expect(isAlive(pid), `pid ${pid} alive while running`).toBe(true);

    // pnpm passes the signal on (the script execs, so no shell swallows it) and start stops everything.
    const clusterDir = await realpath(join(dataDir, 'postgres'));
    process.kill(started.child.pid as number, 'SIGTERM');
    expect(await started.exited).toBe(0);
    for (const [name, pid] of Object.entries(started.pids)) expect(isAlive(pid), `${name} (${pid}) still alive`).toBe(false);
    expect(await processesMentioning(dataDir)).toEqual([]);
    expect(await processesMentioning(clusterDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'postgres/postmaster.pid'))).toBe(false);
  });

  it('uses DATABASE_URL when set, restarts a service that dies, and stops everything with a non-zero exit on a crash loop', { timeout: 240_000 }, async () => {
    const dataDir = await freshDataDir();
    const database = await createTestDatabase('start');
    try {
      const started = await startService({
        DATABASE_URL: database.url,
        QBO_SYNC_DATA_DIR: dataDir,
        API_PORT: String(await freePort()),
        QBO_SANDBOX_PORT: String(await freePort()),
        START_MAX_CRASHES: '1',
      });
      expect(started.output()).toMatch(/database:\s+DATABASE_URL/);
      expect(started.pids.postgres).toBeUndefined();
      expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
      expect((await fetch(`${started.apiUrl}/readyz`)).status).toBe(200);

      // The projector process folds what is appended to the log into the activity log.
      const pool = createPool({ connectionString: database.url, maxConnections: 2 });
      const db = createDatabase<unknown>(pool);
      const store = createPostgresEventStore({ db, connectionString: database.url });
      try {
        const id = randomUUID();
        await store.appendToStream('sync-e2e1', [
          { id, type: 'SyncRequested', data: {}, metadata: { tenantId: 't1', correlationId: 'e2e1', causationId: null, actor: { type: 'system', id: 'test' }, schemaVersion: 1 } },
        ]);
        const deadline = Date.now() + 15_000;
        let rows: unknown[] = [];
        while (rows.length === 0 && Date.now() < deadline) {
          rows = (await pool.query('select event_type, tenant_id from activity_log where event_id = $1', [id])).rows;
          if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(rows).toEqual([{ event_type: 'SyncRequested', tenant_id: 't1' }]);
      } finally {
        await store.close();
        await db.destroy();
      }

      // One crash is restarted; a second within the window is a crash loop (START_MAX_CRASHES=1): all stops.
      process.kill(started.pids.worker as number, 'SIGKILL');
      const restarted = await restartedPid(started, 'worker');
      expect(isAlive(restarted)).toBe(true);
      process.kill(restarted, 'SIGKILL');
      expect(await started.exited).toBe(1);
      expect(started.output()).toMatch(/worker exited unexpectedly \(SIGKILL\): 2 crashes within 120 s, a crash loop/);
      for (const [name, pid] of Object.entries({ ...started.pids, restarted })) expect(isAlive(pid), `${name} (${pid}) still alive`).toBe(false);
      expect(await processesMentioning(dataDir)).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it('wires api and worker to the sandbox and api on the ports it was given, not to a sandbox on :4010', { timeout: 180_000 }, async () => {
    const decoy = await startDecoy(4010);
    // Busy: some other process has :4010. The assertions on the started sandbox still show where calls went.
    if (typeof decoy === 'string') console.log(`start.test.ts: no decoy on :4010 (${decoy}); checking only that the started sandbox got every call`);
    const dataDir = await freshDataDir();
    const database = await createTestDatabase('start_ports');
    try {
      const apiPort = await freePort();
      const sandboxPort = await freePort();
      const api = `http://127.0.0.1:${apiPort}`;
      const sandbox = `http://127.0.0.1:${sandboxPort}`;
      const env = stackEnv(database.url, dataDir, apiPort, sandboxPort);
      const started = await startService(env);

      await connectAndPull(api, sandbox, env, started);

      if (typeof decoy !== 'string') expect(decoy.requests).toEqual([]);

      // Stopped here, not by the clean-up's SIGKILL: the services would outlive the test, and the sandbox
      // would write its state into the data folder after the clean-up removed it.
      process.kill(started.child.pid as number, 'SIGTERM');
      expect(await started.exited).toBe(0);
    } finally {
      if (typeof decoy !== 'string') await decoy.close();
      await database.drop();
    }
  });

  it('restarts each service killed once, and the stack then serves a first sync end to end', { timeout: 240_000 }, async () => {
    const dataDir = await freshDataDir();
    const database = await createTestDatabase('start_restart');
    try {
      const apiPort = await freePort();
      const sandboxPort = await freePort();
      const env = stackEnv(database.url, dataDir, apiPort, sandboxPort);
      const started = await startService(env);
      for (const name of ['api', 'worker', 'projector', 'sandbox']) {
        const pid = started.pids[name] as number;
        process.kill(pid, 'SIGKILL');
        expect(await restartedPid(started, name)).not.toBe(pid);
        expect(started.output()).toContain(`${name} exited unexpectedly (SIGKILL); restarting it in 1 s (crash 1 within 120 s)`);
      }
      expect(started.child.exitCode).toBeNull();
      await acceptsOn(apiPort, 'the restarted api');
      await acceptsOn(sandboxPort, 'the restarted sandbox');
      const api = `http://127.0.0.1:${apiPort}`;
      await connectAndPull(api, `http://127.0.0.1:${sandboxPort}`, env, started);

      process.kill(started.child.pid as number, 'SIGTERM');
      expect(await started.exited).toBe(0);
      expect(await processesMentioning(dataDir)).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it('refuses a bad setting before starting anything, naming the variable', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'scripts/start.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH, API_PORT: 'http' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(78);
    expect(stderr).toContain('API_PORT: must be a port number (got "http")');
  });
});
