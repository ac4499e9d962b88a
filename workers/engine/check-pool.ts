/**
 * The pool of check threads (piscina). Each thread serves one lane (check-task.ts):
 * a long-lived piscina task fed through its own MessagePort, so a batch of claimed
 * checks crosses to a thread in one message and their outcomes come back in a few,
 * instead of one task, one message and one clone per check each way.
 *
 * Checks go to the first thread that is not busy (its event loop under PACK_BELOW_LOAD),
 * and spill to the next only when it is: at a steady load one thread does all the work,
 * which costs less CPU per check than two half-idle ones; a backlog uses them all.
 *
 * A thread that dies is replaced by piscina and its lane reopened on the new one; the
 * checks the dead thread held come back as runner failures (no verdict), never as DOWN.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { Piscina } from "piscina";
import type {
  CheckAssignment,
  CheckerConfig,
  LaneMessage,
  CheckVerdict,
  LaneStart,
  ProbeRequest,
  RunnerFailure,
} from "./check-task.ts";

export interface CheckPoolOptions extends Omit<CheckerConfig, "extraCaCerts"> {
  extraCaCerts?: string;
  /** Threads; 0 = one per CPU core. */
  threads: number;
  /** Worker entry; tests point it elsewhere. Default: check.worker next to this module. */
  filename?: string;
}

export interface CheckRun {
  verdict: CheckVerdict;
  /** When the thread started the check. */
  startedAt: Date;
}

export interface CheckPool {
  /** Runs `request` at `startAt` (at once if past) on the least busy thread. */
  run(request: ProbeRequest, startAt: Date): Promise<CheckRun>;
  destroy(): Promise<void>;
}

/** Built (build/server/*.js): the bundled worker beside us. From source: the .ts worker through tsx. */
function defaultWorker(): { filename: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts"))
    return { filename: path.join(path.dirname(here), "check.worker.ts"), execArgv: ["--import", "tsx"] };
  return { filename: fileURLToPath(new URL("./check.worker.js", import.meta.url)), execArgv: [] };
}

interface Pending {
  resolve: (run: CheckRun) => void;
}

interface Lane {
  port: MessagePort;
  pending: Map<number, Pending>;
  /** Assignments waiting for this turn of the event loop to end, then sent as one message. */
  outbox: CheckAssignment[];
  /** The thread's last reported event-loop utilisation (0–1). */
  load: number;
}

/** A thread this busy or more takes new checks only when every thread is. */
const PACK_BELOW_LOAD = 0.5;

const runnerFailure = (error: string): RunnerFailure => ({ status: null, errorClass: "runner", error });

export function createCheckPool(options: CheckPoolOptions): CheckPool {
  const threads = options.threads || Math.max(1, os.availableParallelism());
  const worker = defaultWorker();
  const filename = options.filename ?? worker.filename;
  const config: CheckerConfig = {
    allowedNetworks: options.allowedNetworks,
    dnsServers: options.dnsServers,
    extraCaCerts: options.extraCaCerts ?? "",
  };
  const pool = new Piscina({
    filename,
    execArgv: filename.endsWith(".ts") ? ["--import", "tsx"] : worker.execArgv,
    minThreads: threads,
    maxThreads: threads,
    // One lane per thread: a second would wait for a thread of its own.
    concurrentTasksPerWorker: 1,
    // A lane's task never ends, so piscina's Atomics wait between tasks would only get in the way.
    atomics: "disabled",
    idleTimeout: Number.MAX_SAFE_INTEGER,
  });
  let destroyed = false;
  let nextId = 1;

  const lanes: Lane[] = Array.from({ length: threads }, () => openLane({ pending: new Map(), outbox: [], load: 0 }));

  function openLane(lane: Omit<Lane, "port">): Lane {
    const { port1, port2 } = new MessageChannel();
    const opened: Lane = Object.assign(lane, { port: port1 });
    port1.on("message", ({ reports, load }: LaneMessage) => {
      if (load !== null) opened.load = load;
      for (const report of reports) {
        const pending = opened.pending.get(report.id);
        if (!pending) continue;
        opened.pending.delete(report.id);
        const startedAt = new Date(report.startedAtMs);
        pending.resolve({
          verdict:
            "outcome" in report ? report.outcome : runnerFailure(`check failed in its thread: ${report.failure}`),
          startedAt,
        });
      }
    });
    const start: LaneStart = { port: port2, config };
    pool.run(start, { transferList: [port2] }).then(
      () => laneEnded(opened, new Error("the check thread's lane ended")),
      (error: unknown) => laneEnded(opened, error),
    );
    return opened;
  }

  /** The thread is gone (or its lane ended): what it held fails as a runner error; a new lane opens. */
  function laneEnded(lane: Lane, error: unknown): void {
    lane.port.close();
    lane.outbox = []; // not sent yet: failed below with the rest
    const failedAt = new Date();
    const message = `check worker failed: ${(error as Error)?.message ?? String(error)}`;
    for (const pending of lane.pending.values())
      pending.resolve({ verdict: runnerFailure(message), startedAt: failedAt });
    lane.pending.clear();
    lane.load = 0;
    if (!destroyed) openLane(lane);
  }

  function leastLoaded(): Lane {
    let lane = lanes[0]!;
    for (const candidate of lanes) if (candidate.load < lane.load) lane = candidate;
    return lane;
  }

  function send(lane: Lane): void {
    const batch = lane.outbox;
    if (batch.length === 0) return;
    lane.outbox = [];
    lane.port.postMessage(batch);
  }

  return {
    run(request, startAt) {
      const lane = lanes.find((candidate) => candidate.load < PACK_BELOW_LOAD) ?? leastLoaded();
      const id = nextId++;
      if (lane.outbox.length === 0) setImmediate(() => send(lane));
      lane.outbox.push({ id, request, startAtMs: startAt.getTime() });
      return new Promise<CheckRun>((resolve) => lane.pending.set(id, { resolve }));
    },
    async destroy() {
      destroyed = true;
      for (const lane of lanes) {
        if (lane.outbox.length > 0) send(lane);
        lane.port.postMessage("close");
      }
      await pool.destroy();
    },
  };
}
