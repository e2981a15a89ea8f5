// One vitest run for the whole monorepo: each workspace is a project; one Postgres serves them all.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const project = (name: string, dir: string, pattern = 'test/**/*.test.ts') => ({
  extends: true as const,
  test: { name, include: [`${dir}/${pattern}`] },
});

// tests/exit-status.test.ts runs this very config on a deliberately failing file. Only that child run names
// the file's folder (a temporary one at the repository root), so no normal run's globs can reach it.
const exitProbeDir = process.env.QBO_SYNC_EXIT_PROBE_DIR;

export default defineConfig({
  test: {
    globalSetup: [fileURLToPath(new URL('./tests/support/global-postgres.ts', import.meta.url))],
    reporters: ['default', fileURLToPath(new URL('./tests/support/summary-reporter.ts', import.meta.url))],
    // Two files at a time even on two cores: most e2e files wait on timers, child processes and PostgreSQL, so
    // a second lane halves the wall time (945 s to 598 s here) without starving either. VITEST_MAX_WORKERS=1
    // runs them one by one.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      project('domain', 'packages/domain'),
      project('application', 'packages/application'),
      project('adapters', 'packages/adapters'),
      project('api', 'apps/api'),
      project('worker', 'apps/worker'),
      project('projector', 'apps/projector'),
      project('qbo-sandbox', 'apps/qbo-sandbox'),
      project('e2e', 'tests', '**/*.test.ts'),
      ...(exitProbeDir ? [project('exit-probe', exitProbeDir, '*.test.ts')] : []),
    ],
  },
});
