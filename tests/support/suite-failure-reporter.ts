/**
 * For the mutation bench only (vitest.mutation.config.ts). When a mutant breaks a test
 * file's `beforeAll` (most integration files seed their data there), vitest 4.1 leaves
 * the file's tests skipped, and Stryker's vitest runner (9.6.1) reads skipped or
 * result-less tests as neither passed nor failed: the mutant the tests did catch was
 * reported as survived. This
 * reporter gives each such test the failure of the suite around it, which is what the
 * run saw, so Stryker counts the mutant as killed.
 */
import { experimental_getRunnerTask, type Reporter, type TestModule } from "vitest/node";

type Task = ReturnType<typeof experimental_getRunnerTask>;

function failLeftovers(task: Task, failure: NonNullable<Task["result"]> | null): void {
  const own = task.result?.state === "fail" && task.type !== "test" ? task.result : null;
  const inherited = own ?? failure;
  if (task.type === "test") {
    // Skipped (or never run) because the suite around it failed: it failed.
    if (inherited && (!task.result || task.result.state === "skip")) {
      task.mode = "run";
      task.result = { ...task.result, state: "fail", errors: inherited.errors ?? [] };
    }
    return;
  }
  for (const child of task.tasks) failLeftovers(child, inherited);
}

export default class SuiteFailureReporter implements Reporter {
  onTestModuleEnd(testModule: TestModule): void {
    failLeftovers(experimental_getRunnerTask(testModule), null);
  }
}
