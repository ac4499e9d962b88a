/**
 * Vitest reporter: a last line naming every test that passed only on a retry (or kept
 * failing through its retries), so a flaky test is seen, never quietly absorbed.
 * Retries are off (vitest's `retry` is 0 and no test sets its own); this line stays
 * "none" until someone turns them on somewhere, and then says where they were needed.
 * Playwright's list reporter does the same for end-to-end tests ("N flaky").
 */
import type { Reporter, TestCase } from "vitest/node";

export default class RetryReporter implements Reporter {
  private readonly retried: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const diagnostic = testCase.diagnostic();
    if (!diagnostic || diagnostic.retryCount === 0) return;
    const outcome = testCase.result().state === "passed" ? "passed on a retry" : "failed every retry";
    this.retried.push(
      `  ${testCase.module.relativeModuleId} > ${testCase.fullName}: ${outcome} (${diagnostic.retryCount} ${diagnostic.retryCount === 1 ? "retry" : "retries"})`,
    );
  }

  onTestRunEnd(): void {
    process.stdout.write(
      this.retried.length === 0
        ? "Retried tests: none\n"
        : `Retried tests: ${this.retried.length} (flaky: fix them)\n${this.retried.join("\n")}\n`,
    );
  }
}
