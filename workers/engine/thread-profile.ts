/**
 * A CPU profile of this thread for a window of time, for `npm run bench:profile`:
 * `CPU_PROFILE_DIR` set → from `CPU_PROFILE_DELAY_MS` after start, for
 * `CPU_PROFILE_MS`, written as `<dir>/<label>-<thread>.cpuprofile` (Chrome DevTools reads
 * it). Piscina ends its threads without letting them finish, so `--cpu-prof` never
 * writes theirs; the threads write their own. Unset (always, outside the bench): nothing.
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { threadId } from "node:worker_threads";

export function profileThisThread(label: string): void {
  const dir = process.env.CPU_PROFILE_DIR;
  if (!dir) return;
  const delayMs = Number(process.env.CPU_PROFILE_DELAY_MS ?? 0);
  const durationMs = Number(process.env.CPU_PROFILE_MS ?? 30_000);
  const start = setTimeout(() => {
    void (async () => {
      const session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
      await new Promise((resolve) => setTimeout(resolve, durationMs).unref());
      const { profile } = await session.post("Profiler.stop");
      await writeFile(path.join(dir, `${label}-${threadId}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    })();
  }, delayMs);
  start.unref();
}
