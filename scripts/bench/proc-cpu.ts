/**
 * CPU time of other processes, from /proc (Linux): the bench target's and PostgreSQL's
 * share of the work, beside the runner's own (process.cpuUsage()).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux Node runs on. */
const TICKS_PER_SECOND = 100;

/** utime + stime of a process and its threads, in ms; 0 once it has gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces, so split after its ")").
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Every PostgreSQL process on this machine (postmaster, backends, background workers). */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export interface CpuSnapshot {
  targetMs: number;
  /** By pid: backends come and go, so a window sums the differences of those seen at both ends or at its end. */
  postgresMs: Map<number, number>;
}

export function cpuSnapshot(targetPid: number): CpuSnapshot {
  return { targetMs: cpuMsOf(targetPid), postgresMs: new Map(postgresPids().map((pid) => [pid, cpuMsOf(pid)])) };
}

/** CPU ms spent by the target and by PostgreSQL between two snapshots. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): { targetMs: number; postgresMs: number } {
  let postgresMs = 0;
  for (const [pid, ms] of after.postgresMs) postgresMs += ms - (before.postgresMs.get(pid) ?? 0);
  return { targetMs: after.targetMs - before.targetMs, postgresMs };
}
