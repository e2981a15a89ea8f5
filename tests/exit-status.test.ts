// `pnpm test` must fail when a test fails. A library's exit hook once re-exited the run with code 0, so a red
// suite looked green. This runs vitest with the project's own config (global setup, reporters and all) on a
// deliberately failing file in a child process, on TEST_DATABASE_URL and on an embedded cluster of its own,
// and holds it to a non-zero exit status, the failure in the report and the closing summary line. The same
// run on a passing file must exit 0, so the check can tell the two apart.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitestCli = join(root, 'node_modules/vitest/vitest.mjs');

const FAILING = `import { expect, it } from 'vitest';
it('fails on purpose (exit-status probe)', () => {
  expect('the probe').toBe('a failure');
});
`;
const PASSING = `import { expect, it } from 'vitest';
it('passes (exit-status probe)', () => {
  expect(1).toBe(1);
});
`;

const BROKEN_HOOK = `import { beforeAll, expect, it } from 'vitest';
beforeAll(() => {
  throw new Error('a broken hook (exit-status probe)');
});
it('never runs (exit-status probe)', () => {
  expect(1).toBe(1);
});
`;

interface Run {
  readonly status: number | null;
  readonly output: string;
}

/** The project's vitest, in a child process, on the probe files only. */
const runVitest = (probeDir: string, database: 'TEST_DATABASE_URL' | 'embedded', filter: string[]): Promise<Run> => {
  // The child is a fresh run: nothing of this run's vitest state, and the database it is told to use.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
  );
  env.QBO_SYNC_EXIT_PROBE_DIR = basename(probeDir);
  if (database === 'TEST_DATABASE_URL') env.TEST_DATABASE_URL = inject('postgresAdminUrl');
  else delete env.TEST_DATABASE_URL;
  const child = spawn(
    process.execPath,
    [vitestCli, 'run', '--config', join(root, 'vitest.config.ts'), '--project', 'exit-probe', ...filter],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (status) => resolve({ status, output: output.replace(/\x1b\[[0-9;]*m/g, '') })),
  );
};

describe('the exit status of a test run', () => {
  let probeDir: string;

  beforeAll(async () => {
    // At the repository root, so `vitest` resolves, and outside every include glob of the real run.
    probeDir = await mkdtemp(join(root, '.exit-probe-'));
    await writeFile(join(probeDir, 'failing.test.ts'), FAILING);
    await writeFile(join(probeDir, 'passing.test.ts'), PASSING);
    await writeFile(join(probeDir, 'broken-hook.test.ts'), BROKEN_HOOK);
  });

  afterAll(async () => {
    if (probeDir) await rm(probeDir, { recursive: true, force: true });
  });

  for (const database of ['TEST_DATABASE_URL', 'embedded'] as const) {
    it(`is non-zero when a test fails (${database})`, { timeout: 120_000 }, async () => {
      const run = await runVitest(probeDir, database, ['failing', 'passing']);
      expect(run.output).toContain('fails on purpose (exit-status probe)');
      expect(run.output).toContain('Tests: 1 passed, 1 failed, 0 skipped');
      expect(run.status, run.output).not.toBe(0);
      expect(run.status).not.toBeNull();
    });

    it(`is non-zero, and counts a failure, when a file fails outside its tests (${database})`, { timeout: 120_000 }, async () => {
      const run = await runVitest(probeDir, database, ['broken-hook']);
      expect(run.output).toContain('a broken hook (exit-status probe)');
      expect(run.output).toContain('Tests: 0 passed, 1 failed, 1 skipped');
      expect(run.status, run.output).not.toBe(0);
    });

    it(`is zero when every test passes (${database})`, { timeout: 120_000 }, async () => {
      const run = await runVitest(probeDir, database, ['passing']);
      expect(run.output).toContain('Tests: 1 passed, 0 failed, 0 skipped');
      expect(run.status, run.output).toBe(0);
    });
  }
});
