/**
 * The vitest config `npm run test:mutation` runs each module's mutants with: the usual
 * projects, each limited to the module's own test files (MUTATION_TEST_FILES, set by
 * scripts/bench/mutation.ts). Limiting them here rather than with Stryker's `testFiles`
 * option matters: with `testFiles`, Stryker 9.6 switches mutants in code that runs while
 * a file loads (zod schemas, constants) on only after the files have loaded, so such a
 * mutant never takes effect and always "survives".
 */
import path from "node:path";
import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

const files = (process.env.MUTATION_TEST_FILES ?? "").split(",").filter(Boolean);

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // A mutant that breaks a file's beforeAll fails its tests (see the reporter).
    reporters: ["default", "./tests/support/suite-failure-reporter.ts"],
    projects: (base.test?.projects ?? []).map((project) => {
      const inline = project as { test: { include: string[] } };
      return {
        ...inline,
        test: {
          ...inline.test,
          include: files.filter((file) => inline.test.include.some((pattern) => path.matchesGlob(file, pattern))),
        },
      };
    }),
  },
});
