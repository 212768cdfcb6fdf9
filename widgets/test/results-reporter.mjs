// A web-test-runner reporter that counts tests into {"passed","failed","skipped"} and writes them
// to $MS8_WTR_RESULTS (scripts/test-ci.mjs adds the Storybook build and hands it to the root runner).
// A test file that could not run at all (import error, browser timeout) counts as one failure.
import { writeFileSync } from "node:fs";

function count(suite, totals) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites ?? []) count(child, totals);
}

export function resultsReporter(outputFile) {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = totals.passed + totals.failed + totals.skipped;
        if (session.testResults) count(session.testResults, totals);
        const ranNothing = totals.passed + totals.failed + totals.skipped === before;
        if (!session.passed && (ranNothing || session.errors?.length)) totals.failed += 1;
      }
      if (outputFile) writeFileSync(outputFile, `${JSON.stringify(totals)}\n`);
    },
  };
}
