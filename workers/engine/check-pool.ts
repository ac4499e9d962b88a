/**
 * The pool of check worker threads (piscina). Each thread runs many checks at once:
 * checks wait on sockets, so a thread must never sit idle on one. A thread that dies is
 * replaced by piscina; the checks it held come back as runner failures (no verdict),
 * never as DOWN.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { CheckOutcomeSchema, type CheckTask, type CheckVerdict } from "./check-task.ts";

export interface CheckPoolOptions {
  /** Threads; 0 = one per CPU core. */
  threads: number;
  /** Checks in flight across the pool. */
  concurrency: number;
  /** Worker entry; tests point it elsewhere. Default: check.worker next to this module. */
  filename?: string;
}

export interface CheckPool {
  run(task: CheckTask): Promise<CheckVerdict>;
  destroy(): Promise<void>;
}

/** Built (build/server/*.js): the bundled worker beside us. From source: the .ts worker through tsx. */
function defaultWorker(): { filename: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts"))
    return { filename: path.join(path.dirname(here), "check.worker.ts"), execArgv: ["--import", "tsx"] };
  return { filename: fileURLToPath(new URL("./check.worker.js", import.meta.url)), execArgv: [] };
}

export function createCheckPool(options: CheckPoolOptions): CheckPool {
  const threads = options.threads || Math.max(1, os.availableParallelism());
  const worker = defaultWorker();
  const filename = options.filename ?? worker.filename;
  const pool = new Piscina({
    filename,
    execArgv: filename.endsWith(".ts") ? ["--import", "tsx"] : worker.execArgv,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: Math.max(1, Math.ceil(options.concurrency / threads)),
    idleTimeout: Number.MAX_SAFE_INTEGER,
  });
  return {
    async run(task) {
      try {
        const outcome = CheckOutcomeSchema.safeParse(await pool.run(task));
        if (outcome.success) return outcome.data;
        return {
          status: null,
          errorClass: "runner",
          error: `check worker returned an invalid result: ${outcome.error.message}`,
        };
      } catch (error) {
        return {
          status: null,
          errorClass: "runner",
          error: `check worker failed: ${(error as Error)?.message ?? String(error)}`,
        };
      }
    },
    destroy: () => pool.destroy(),
  };
}
