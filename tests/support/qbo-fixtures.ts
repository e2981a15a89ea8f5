// The one way tests read the recorded QuickBooks payloads (folder: see qbo-fixtures-dir.ts). Where the
// folder is absent (a bare clone), the tests that compare with them skip, with the reason in their names
// and once on the console, instead of failing with ENOENT; every other test still runs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestFunction, describe, it } from 'vitest';
import { qboFixturesDir, qboFixturesMissing } from './qbo-fixtures-dir.js';

export { qboFixturesDir, qboFixturesMissing };

if (qboFixturesMissing !== undefined) console.warn(`skipping fixture tests: ${qboFixturesMissing}`);

const label = (name: string): string =>
  qboFixturesMissing === undefined ? name : `${name} [skipped: no QBO fixtures, set QBO_FIXTURES_DIR; see README]`;

/** A fixture file's text. */
export const qboFixtureText = (name: string): string => readFileSync(join(qboFixturesDir, name), 'utf8');

/** A fixture file's JSON (as loosely typed as the payloads are). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const qboFixture = (name: string): any => JSON.parse(qboFixtureText(name));

/** `it` for a test that reads fixtures: skipped, saying why, when they are absent. */
export const itWithFixtures = (name: string, fn: TestFunction, timeoutMs?: number): void => {
  it.skipIf(qboFixturesMissing !== undefined)(label(name), fn, timeoutMs);
};

/** `describe` for a block whose every test reads fixtures. */
export const describeWithFixtures = (name: string, fn: () => void): void => {
  describe.skipIf(qboFixturesMissing !== undefined)(label(name), fn);
};
