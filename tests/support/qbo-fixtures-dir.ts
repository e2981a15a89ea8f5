// Where the recorded QuickBooks payloads (the shared QBO fixtures) are: QBO_FIXTURES_DIR, by default
// ../shared/qbo/fixtures beside the repository (a relative value counts from the repository root). They
// live outside the repository, so a bare clone has none. Imported by the test helper; run by .ci/run
// (`tsx tests/support/qbo-fixtures-dir.ts`), which prints the answer and exits 1 when the folder is absent.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export const qboFixturesDir: string = resolve(repositoryRoot, process.env.QBO_FIXTURES_DIR || '../shared/qbo/fixtures');

/** Why the fixtures cannot be read, and how to get them; undefined when they are there. */
export const qboFixturesMissing: string | undefined = existsSync(qboFixturesDir)
  ? undefined
  : `no QBO fixtures at ${qboFixturesDir}: the recorded QuickBooks payloads live outside this repository. ` +
    'Put the shared folder beside the clone (../shared/qbo/fixtures) or set QBO_FIXTURES_DIR to it; ' +
    'until then the tests that compare with them are skipped.';

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${qboFixturesMissing ?? `QBO fixtures: ${qboFixturesDir}`}\n`);
  process.exitCode = qboFixturesMissing === undefined ? 0 : 1;
}
