// As root in a folder the `postgres` account cannot enter (a 0700 home such as /root, or `mktemp -d`),
// PostgreSQL could reach neither its executables under node_modules nor its data folder, and initdb failed
// with a bare `spawn EACCES`. This puts both where that account can reach them, under one root-owned 0755
// folder: a copy of the executables (hard links where the file system allows, no symlinks out), and the
// cluster itself, which the requested data folder then points to as a symlink.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { type PostgresAccount, accountCanEnter, accountCanRun } from './postgres-account.js';
import type { PostgresBinaries } from './postgres-binaries.js';

/** Root-owned and 0755; /var/tmp rather than /tmp so a kept cluster survives a reboot. */
export const REACHABLE_ROOT = '/var/tmp/qbo-sync-embedded-postgres';

const fixes =
  'Set DATABASE_URL to a PostgreSQL server, or keep the data folder (QBO_SYNC_DATA_DIR) where the postgres account can reach it.';

/** A folder only root may write to: /var/tmp is world-writable, so a folder someone else made is refused. */
const rootOwnedFolder = async (dir: string): Promise<string> => {
  await mkdir(dir, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(dir);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
    throw new Error(
      `${dir} must be a folder owned by root that only root can write to; it is not, so embedded PostgreSQL will not use it. ${fixes}`,
    );
  }
  await chmod(dir, 0o755);
  return dir;
};

const shortHash = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);

/** Copies a tree, hard-linking files where it can; a relative symlink stays one, an absolute one is followed. */
const copyTree = async (from: string, to: string): Promise<void> => {
  await mkdir(to, { mode: 0o755 });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await copyTree(source, target);
    else if (entry.isSymbolicLink() && !(await readlink(source)).startsWith('/'))
      await symlink(await readlink(source), target);
    else {
      const real = await realpath(source);
      if ((await stat(real)).isDirectory()) await copyTree(real, target);
      else await link(real, target).catch(() => copyFile(real, target));
    }
  }
};

/** The executables as the account can run them: the originals when it can, otherwise a copy it can reach. */
export const reachableBinaries = async (
  account: PostgresAccount,
  binaries: PostgresBinaries,
): Promise<PostgresBinaries> => {
  const runs = (candidate: PostgresBinaries) =>
    accountCanRun(account, candidate.initdb) && accountCanRun(account, candidate.postgres);
  if (runs(binaries)) return binaries;
  const root = await rootOwnedFolder(REACHABLE_ROOT);
  // Named by the build (sizes and times of the two executables), not by path: one copy per build serves
  // every clone on the machine.
  const [server, init] = await Promise.all([stat(binaries.postgres), stat(binaries.initdb)]);
  const home = join(
    root,
    `postgres-${shortHash(String(server.size), String(server.mtimeMs), String(init.size), String(init.mtimeMs))}`,
  );
  const copy = {
    home,
    initdb: join(home, relative(binaries.home, binaries.initdb)),
    postgres: join(home, relative(binaries.home, binaries.postgres)),
  };
  if (existsSync(join(home, '.complete')) && runs(copy)) return copy;
  // Missing, or damaged (say, by a /var/tmp cleaner): built aside and renamed into place, so a concurrent
  // start never sees half a copy.
  await rm(home, { recursive: true, force: true });
  const staging = join(root, `.staging-${randomBytes(6).toString('hex')}`);
  try {
    await copyTree(binaries.home, staging);
    await writeFile(join(staging, '.complete'), `${binaries.home}\n`);
    await rename(staging, home).catch((error: NodeJS.ErrnoException) => {
      if (!['EEXIST', 'ENOTEMPTY'].includes(error.code ?? '') || !existsSync(join(home, '.complete'))) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  if (!runs(copy))
    throw new Error(`the ${account.name} account can run neither ${binaries.initdb} nor its copy in ${home}. ${fixes}`);
  return copy;
};

export interface ClusterPlace {
  /** Where the cluster really lives. */
  readonly dir: string;
  /** The requested folder, when it is a symlink to `dir` made here. */
  readonly link?: string;
}

const isEmptyFolder = async (dir: string): Promise<boolean> => (await readdir(dir)).length === 0;

/** Where the cluster for `requested` lives so the account can reach it: in place when it can, else relocated. */
export const reachableClusterDir = async (account: PostgresAccount, requested: string): Promise<ClusterPlace> => {
  const found = await lstat(requested).catch(() => undefined);
  if (found?.isSymbolicLink()) {
    // Made by an earlier start: the cluster lives where it points (made again if a cleaner removed it).
    const pointed = await readlink(requested);
    const dir = isAbsolute(pointed) ? pointed : join(dirname(requested), pointed);
    if (!existsSync(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chown(dir, account.uid, account.gid);
    }
    if (accountCanEnter(account, dirname(dir))) return { dir };
    throw new Error(`the postgres account cannot reach ${dir}, where ${requested} points. ${fixes}`);
  }
  if (found?.isDirectory()) {
    if (accountCanEnter(account, dirname(requested))) return { dir: requested };
    if (!(await isEmptyFolder(requested))) {
      throw new Error(
        `PostgreSQL runs as the unprivileged postgres account when started by root, and that account cannot enter ${requested} ` +
          `(a folder on the way is closed to other users, e.g. a 0700 home or a mktemp -d folder). ${fixes}`,
      );
    }
    await rmdir(requested);
  } else {
    await mkdir(dirname(requested), { recursive: true });
    if (accountCanEnter(account, dirname(requested))) return { dir: requested };
  }
  const clusters = await rootOwnedFolder(join(await rootOwnedFolder(REACHABLE_ROOT), 'clusters'));
  const dir = join(clusters, shortHash(requested));
  // The symlink owns the cluster: one left from a symlink since deleted (rm -rf .data) is not revived.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: 0o700 });
  await chown(dir, account.uid, account.gid);
  await symlink(dir, requested);
  return { dir, link: requested };
};
