// Prints, after vitest's own report, why tests were skipped (grouped by the reason their `ctx.skip(note)` or
// their names give) and then one plain closing line ("Tests: N passed, N failed, N skipped"), so a reader of
// the CI log (human or machine: .ci/run checks it) gets the counts and the skips without parsing vitest's
// coloured summary.

import type { Reporter, TestModule } from 'vitest/node';

/** A skip's reason: its `ctx.skip(note)`, else the text after "skipped" in its name (or its suite's), up to "]" or ">". */
const skipReason = (fullName: string, note: string | undefined): string =>
  note?.replace(/^skipped[:,]?\s*/i, '').trim() ||
  (/skipped[:,]?\s*([^>\]]+)/i.exec(fullName)?.[1]?.trim() ?? `no reason given: ${fullName}`);

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const skips = new Map<string, number>();
    const brokenFiles: string[] = [];
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') counts.passed++;
        else if (result.state === 'failed') {
          counts.failed++;
          failedHere++;
        }
        else {
          counts.skipped++;
          const reason = skipReason(test.fullName, result.state === 'skipped' ? result.note : undefined);
          skips.set(reason, (skips.get(reason) ?? 0) + 1);
        }
      }
      // A file that failed outside any test (a hook, an import) leaves its tests "skipped": it is a failure.
      if (module.state() === 'failed' && failedHere === 0) {
        counts.failed++;
        brokenFiles.push(module.moduleId);
      }
    }
    const lines = [...skips].map(([reason, n]) => `Skipped ${n}: ${reason}`).concat(brokenFiles.map((file) => `Failed outside its tests (counted once): ${file}`));
    process.stdout.write(
      `\n${lines.map((line) => `${line}\n`).join('')}Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
