/**
 * Heartbeat pings: what the push URL (/api/push/<token>) records. A ping needs no session
 * — the token is the credential. Storing it is part of a batched statement (PingWriter)
 * that also, when a ping changes its monitor's state (UP after DOWN, a reported
 * failure), makes the monitor due now and wakes the runners, so the change shows within
 * a second. A ping that changes nothing waits for the monitor's deadline
 * (core/domain/heartbeat.ts).
 */
import { insertPings } from "../../../../core/db/queries/heartbeats.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import { storableOptionalText } from "../../../../core/text/storable.ts";
import { NotFoundError, RateLimitedError } from "../errors.server.ts";
import type { Scope } from "../scope.server.ts";
import type { Db } from "../../../../core/db/client.ts";
import type { OwnerScope } from "../scope.server.ts";

const MAX_MESSAGE_LENGTH = 500;

export interface Ping {
  token: string;
  failed: boolean;
  message: string | null;
}

/**
 * Records a ping; NOT_FOUND for a token no heartbeat monitor has, RateLimitedError past a
 * limit (process/push-limits.server.ts): the token's pings, or the client address's unknown
 * tokens. The token is looked up first, so an address out of guesses is refused its
 * guesses only — a real token from it is recorded.
 */
export async function recordPing(ctx: Pick<Scope, "db" | "caches" | "clientIp">, ping: Ping): Promise<{ ok: true }> {
  const limits = ctx.caches.pushLimits;
  const wait = await limits.admit(ping.token);
  if (wait !== null) throw new RateLimitedError(wait);
  const recorded = await pingWriterFor(ctx.db).record({
    ...ping,
    message: storableOptionalText(ping.message, MAX_MESSAGE_LENGTH),
  });
  if (!recorded) {
    const guessed = await limits.unknownToken(ping.token, ctx.clientIp);
    throw guessed === null
      ? new NotFoundError("No heartbeat monitor has this push URL")
      : new RateLimitedError(guessed);
  }
  return { ok: true };
}

const MAX_BATCH = 500;

interface PendingPing {
  ping: Ping;
  settle: (recorded: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Pings are written in batches, one statement each: the pings that arrive while the
 * previous batch is being written go together. One ping alone is written at once (no
 * added wait); a thousand a second become a few dozen statements. A ping is answered
 * only once its batch is committed, so an answered ping is never lost.
 */
class PingWriter {
  private queue: PendingPing[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  record(ping: Ping): Promise<boolean> {
    return new Promise((settle, fail) => {
      this.queue.push({ ping, settle, fail });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain()); // the pings of this turn of the event loop together
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const recorded = await writePings(
          this.db,
          batch.map((pending) => pending.ping),
        );
        batch.forEach((pending, index) => pending.settle(recorded.has(index + 1)));
      } catch (error) {
        for (const pending of batch) pending.fail(error);
      }
    }
    this.writing = false;
  }
}

/** One writer per database client (per process, in the app; per test database in tests). */
const writers = new WeakMap<Db, PingWriter>();

function pingWriterFor(db: Db): PingWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new PingWriter(db);
    writers.set(db, writer);
  }
  return writer;
}

/**
 * Stores the pings of known tokens and makes due at once (and wakes the runners for) the
 * monitors whose state a ping changes (UP after DOWN, a reported failure). Returns the
 * 1-based positions of the pings that were stored.
 */
async function writePings(db: Db, pings: Ping[]): Promise<Set<number>> {
  const rows = await insertPings(sqlOfPrisma(db), {
    token: pings.map((ping) => ping.token),
    failed: pings.map((ping) => ping.failed),
    message: pings.map((ping) => ping.message),
  });
  return new Set(rows.map((row) => row.n).filter((n) => n > 0));
}

export interface PingView {
  receivedAt: Date;
  failed: boolean;
  message: string | null;
}

/** A heartbeat monitor's latest pings, newest first (the owner's monitor page). */
export async function latestPings(ctx: OwnerScope, { id }: { id: string }): Promise<PingView[]> {
  await ctx.own.monitor(id);
  return ctx.db.heartbeatPing.findMany({
    where: { monitorId: id },
    orderBy: { receivedAt: "desc" },
    take: 20,
    select: { receivedAt: true, failed: true, message: true },
  });
}
