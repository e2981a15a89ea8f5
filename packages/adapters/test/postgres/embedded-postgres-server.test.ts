// The embedded PostgreSQL as the processes that start it see it: a real server that answers SQL, leaves
// nothing behind, and leaves the exit status of its process alone. As root it must also work from a folder
// the unprivileged `postgres` account cannot enter (a 0700 home such as /root, or `mktemp -d`).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPostgresBinaries } from '../../src/postgres/postgres-binaries.js';
import { runsAsRoot } from '../../src/postgres/postgres-account.js';

const child = new URL('./support/cluster-child.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

interface ChildRun {
  readonly status: number | null;
  readonly output: string;
  readonly result: { who: string; answer: number; clusterDir: string; pid: number } | undefined;
}

const runChild = (args: string[]): Promise<ChildRun> => {
  const process_ = spawn(process.execPath, ['--import', tsx, child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  process_.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  process_.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) =>
    process_.on('close', (status) => {
      const line = output.split('\n').find((l) => l.startsWith('{'));
      resolve({ status, output, result: line === undefined ? undefined : JSON.parse(line) });
    }),
  );
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

const privateFolder = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'qbo-sync-private-'));
  folders.push(dir);
  expect((await stat(dir)).mode & 0o777).toBe(0o700);
  return dir;
};

describe('embedded PostgreSQL', () => {
  it(
    'answers SQL, then stops and deletes a throwaway cluster; its process keeps its own exit code',
    { timeout: 90_000 },
    async () => {
      const dir = await privateFolder();
      const run = await runChild([join(dir, 'cluster')]);
      expect(run.result, run.output).toMatchObject({ answer: 42 });
      // No exit hook of a library re-exited the process with another code.
      expect(run.status, run.output).toBe(3);
      expect(isAlive(run.result?.pid ?? 0)).toBe(false);
      expect(existsSync(run.result?.clusterDir ?? '/')).toBe(false);
      expect(await readdir(dir)).toEqual([]);
    },
  );

  const rootReason = 'skipped: not running as root (this covers root in a folder the postgres account cannot enter)';
  if (!runsAsRoot()) console.log(`embedded-postgres-server.test.ts: the root case is ${rootReason}`);

  it.skipIf(!runsAsRoot())(
    `as root, runs with its executables and data in a 0700 folder the postgres account cannot enter${runsAsRoot() ? '' : ` (${rootReason})`}`,
    { timeout: 120_000 },
    async () => {
      // A clone in a private folder: the executables under its node_modules, the data folder beside them.
      const dir = await privateFolder();
      const binaries = await findPostgresBinaries();
      await cp(binaries.home, join(dir, 'native'), { recursive: true, preserveTimestamps: true });
      const run = await runChild([join(dir, 'data', 'cluster'), join(dir, 'native')]);
      expect(run.result, run.output).toMatchObject({ who: 'postgres', answer: 42 });
      expect(run.status, run.output).toBe(3);
      // The private folder stayed private: the cluster lived where the account could reach it.
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect(run.result?.clusterDir.startsWith(dir)).toBe(false);
      expect(existsSync(run.result?.clusterDir ?? '/')).toBe(false);
      expect(await readdir(join(dir, 'data'))).toEqual([]);
    },
  );
});
