// Ends every run with the plain line CI reads: `N passed, N failed, N skipped`. No test here is
// skipped on purpose: a skipped one (its file's setup failed, or a part it needs is missing) counts
// as failed too. A file that fails to load, a run with no test at all, and any unhandled error
// (a global setup that could not start the stack) count as failures.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason?: string): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests += 1;
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
      if (tests === 0 || (module.state() === "failed" && module.errors().length > 0)) failed += 1;
    }
    if (testModules.length === 0 || (reason === "failed" && failed + skipped === 0)) failed += 1;
    if (skipped > 0)
      process.stdout.write(
        `\n${skipped} test${skipped === 1 ? " was" : "s were"} skipped (a setup before ${skipped === 1 ? "it" : "them"} failed, or a part ${skipped === 1 ? "it needs" : "they need"} is missing: see above); they count as failed.\n`,
      );
    process.stdout.write(`\n${passed} passed, ${failed + skipped} failed, ${skipped} skipped\n`);
  }
}
