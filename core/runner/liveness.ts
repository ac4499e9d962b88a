/**
 * A runner's last signs of progress (ms since epoch): what /healthz judges it by. The
 * runner reports them (workers/engine/runner.ts); the web app reads them.
 */
export interface RunnerLiveness {
  /** Claimed due checks (or had every slot busy). */
  lastClaimAt: number;
  /** Wrote results (or had none waiting). */
  lastFlushAt: number;
  /** Claimed alerts to send (or had every slot busy). */
  lastAlertClaimAt: number;
  writerQueue: number;
}
