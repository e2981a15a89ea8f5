// Proves .ci/run's own checks bite, with stand-ins for pnpm and the machine's tools so nothing is installed
// or started and no real suite runs: it fails when the closing "Tests:" line counts failures although
// vitest exited 0, or when that line is missing; it needs the QBO fixtures only when its caller says CI,
// and otherwise passes, saying those tests were skipped.

import { spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

// Answers what .ci/run asks of pnpm; `pnpm test` prints FAKE_TEST_OUTPUT and exits with FAKE_TEST_STATUS.
const FAKE_PNPM = `#!/usr/bin/env bash
case "$1" in
  --version) echo 10.34.9 ;;
  exec) shift; exec "$REAL_TSX" "\${@:2}" ;;
  test) printf '%b\\n' "$FAKE_TEST_OUTPUT"; exit "$FAKE_TEST_STATUS" ;;
  *) exit 0 ;;
esac
`;

interface CiRun {
  readonly status: number | null;
  readonly output: string;
}

describe('.ci/run', () => {
  let repo: string;
  let bin: string;

  beforeAll(async () => {
    // A copy of the script and the fixtures locator in a scratch repository, so its log lands there.
    repo = await mkdtemp(join(tmpdir(), 'qbo-sync-ci-run-'));
    await mkdir(join(repo, '.ci'));
    await mkdir(join(repo, 'tests/support'), { recursive: true });
    await copyFile(join(root, '.ci/run'), join(repo, '.ci/run'));
    await copyFile(join(root, 'tests/support/qbo-fixtures-dir.ts'), join(repo, 'tests/support/qbo-fixtures-dir.ts'));
    bin = join(repo, 'bin');
    await mkdir(bin);
    // The machine is left alone: no PostgreSQL started, no chromium installed, no pnpm installed.
    const stubs = {
      pnpm: FAKE_PNPM,
      pg_lsclusters: '#!/bin/sh\n',
      pg_isready: '#!/bin/sh\nexit 1\n',
      'apt-get': '#!/bin/sh\nexit 1\n',
      sudo: '#!/bin/sh\nexit 1\n',
      npm: '#!/bin/sh\nexit 1\n',
    };
    for (const [name, script] of Object.entries(stubs)) {
      await writeFile(join(bin, name), script);
      await chmod(join(bin, name), 0o755);
    }
  });

  afterAll(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  const ciRun = (env: {
    CI?: string;
    fixtures: 'present' | 'absent';
    testOutput: string;
    testStatus: number;
  }): Promise<CiRun> => {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      REAL_TSX: join(root, 'node_modules/.bin/tsx'),
      QBO_FIXTURES_DIR: env.fixtures === 'present' ? join(root, 'tests') : join(repo, 'no-fixtures-here'),
      FAKE_TEST_OUTPUT: env.testOutput,
      FAKE_TEST_STATUS: String(env.testStatus),
    };
    if (env.CI === undefined) delete childEnv.CI;
    else childEnv.CI = env.CI;
    const child = spawn('bash', [join(repo, '.ci/run')], {
      cwd: repo,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
  };

  const green = 'all good\nTests: 10 passed, 0 failed, 1 skipped';

  it('passes a green run', { timeout: 60_000 }, async () => {
    const run = await ciRun({ CI: 'true', fixtures: 'present', testOutput: green, testStatus: 0 });
    expect(run.output).toContain('== passed: Tests: 10 passed, 0 failed, 1 skipped');
    expect(run.status, run.output).toBe(0);
  });

  it('fails when the summary counts a failure although vitest exited 0', { timeout: 60_000 }, async () => {
    const run = await ciRun({ fixtures: 'present', testOutput: 'Tests: 9 passed, 1 failed, 1 skipped', testStatus: 0 });
    expect(run.output).toContain('== FAILED: Tests: 9 passed, 1 failed, 1 skipped');
    expect(run.status).toBe(1);
  });

  it('fails when the summary line is missing', { timeout: 60_000 }, async () => {
    const run = await ciRun({ fixtures: 'present', testOutput: 'the reporter never ran', testStatus: 0 });
    expect(run.output).toContain("no closing 'Tests: N passed, N failed, N skipped' line");
    expect(run.status).toBe(1);
  });

  it("fails with vitest's status when vitest fails", { timeout: 60_000 }, async () => {
    const run = await ciRun({ fixtures: 'present', testOutput: green, testStatus: 3 });
    expect(run.output).toContain('== FAILED: pnpm test exited 3');
    expect(run.status).toBe(3);
  });

  it('fails before testing when its caller says CI and the QBO fixtures are absent', { timeout: 60_000 }, async () => {
    const run = await ciRun({ CI: 'true', fixtures: 'absent', testOutput: green, testStatus: 0 });
    expect(run.output).toContain('== CI needs the shared QBO fixtures: no QBO fixtures at');
    expect(run.output).not.toContain('== passed');
    expect(run.status).toBe(1);
  });

  it(
    'on a newcomer machine (no CI) passes without the fixtures and says those tests were skipped',
    { timeout: 60_000 },
    async () => {
      const run = await ciRun({ fixtures: 'absent', testOutput: green, testStatus: 0 });
      expect(run.output).toContain('== the tests that compare with the QBO fixtures were skipped: no QBO fixtures at');
      expect(run.status, run.output).toBe(0);
    },
  );
});
