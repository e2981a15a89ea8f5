// The unprivileged account PostgreSQL runs as when a root process starts it (PostgreSQL refuses to run as
// root): the `postgres` system account, created when missing, as on a fresh container. Also answers what
// that account can reach, since it cannot enter a 0700 folder such as /root or one made by `mktemp -d`.

import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface PostgresAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export const runsAsRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

const ACCOUNT = 'postgres';

const lookup = async (): Promise<PostgresAccount | undefined> => {
  try {
    const [uid, gid] = await Promise.all([exec('id', ['-u', ACCOUNT]), exec('id', ['-g', ACCOUNT])]);
    return { name: ACCOUNT, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
};

export const ensurePostgresAccount = async (): Promise<PostgresAccount> => {
  const existing = await lookup();
  if (existing !== undefined) return existing;
  try {
    const groupExists = await exec('getent', ['group', ACCOUNT]).then(
      () => true,
      () => false,
    );
    await exec('useradd', [
      '--system',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      ...(groupExists ? ['--gid', ACCOUNT] : ['--user-group']),
      ACCOUNT,
    ]);
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root, and the '${ACCOUNT}' account it would run as is missing and could not be created ` +
        `(${error instanceof Error ? error.message.trim() : String(error)}). Create it (useradd --system ${ACCOUNT}), ` +
        'run as another user, or set DATABASE_URL to a PostgreSQL server.',
    );
  }
  const created = await lookup();
  if (created === undefined) throw new Error(`the '${ACCOUNT}' account was created but cannot be looked up`);
  return created;
};

const asAccount = (account: PostgresAccount) => ({
  uid: account.uid,
  gid: account.gid,
  stdio: 'ignore' as const,
  timeout: 10_000,
});

/** Whether the account can enter `dir`: every folder on the way needs its execute bit for that user. */
export const accountCanEnter = (account: PostgresAccount, dir: string): boolean =>
  spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', dir], asAccount(account)).status === 0;

/** Whether the account can run `executable` (the folders on the way, the file's own mode, its libraries). */
export const accountCanRun = (account: PostgresAccount, executable: string): boolean =>
  spawnSync(executable, ['--version'], asAccount(account)).status === 0;
