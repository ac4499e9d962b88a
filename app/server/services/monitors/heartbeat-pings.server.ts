/**
 * Heartbeat pings: what the push URL (/api/push/<token>) records. A ping needs no session
 * — the token is the credential — and costs one statement: store the ping and, when it
 * changes the monitor's state (UP after DOWN, a reported failure), make the monitor due
 * now and wake the runners, so the change shows within a second. A ping that changes
 * nothing waits for the monitor's deadline (core/domain/heartbeat.ts).
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { SCHEDULE_CHANNEL } from "../../../../core/db/channels.ts";
import { storableOptionalText } from "../../../../core/text/storable.ts";
import { NotFoundError, RateLimitedError } from "../errors.server.ts";
import type { Scope } from "../scope.server.ts";
import type { OwnerScope } from "../scope.server.ts";

/**
 * Per token and per process (each ping is already a write; a shared counter would be a
 * second one): far above any cron job, far below a flood.
 */
const PINGS_PER_MINUTE = 60;
const pingLimiter = new RateLimiterMemory({ points: PINGS_PER_MINUTE, duration: 60 });

const MAX_MESSAGE_LENGTH = 500;

export interface Ping {
  token: string;
  failed: boolean;
  message: string | null;
}

/** Records a ping; NOT_FOUND for a token no heartbeat monitor has, RateLimitedError past the limit. */
export async function recordPing(ctx: Pick<Scope, "db">, ping: Ping): Promise<{ ok: true }> {
  try {
    await pingLimiter.consume(ping.token);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new RateLimitedError(Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
  const expected = ping.failed ? "DOWN" : "UP";
  const rows = await ctx.db.$queryRaw<{ recorded: number }[]>`
    WITH monitor AS (
      SELECT id, status FROM "Website" WHERE "pushToken" = ${ping.token} AND type = 'HEARTBEAT'
    ),
    ping AS (
      INSERT INTO "HeartbeatPing" ("websiteId", failed, message)
      SELECT id, ${ping.failed}, ${storableOptionalText(ping.message, MAX_MESSAGE_LENGTH)} FROM monitor
      RETURNING "websiteId"
    ),
    due AS (
      UPDATE "MonitorSchedule" s SET "nextCheckAt" = now(), "leaseUntil" = NULL, "leasedSlot" = NULL
      FROM monitor m
      WHERE s."websiteId" = m.id AND s."isActive" AND m.status::text <> ${expected}
      RETURNING s."websiteId"
    )
    SELECT (SELECT count(*) FROM ping)::int AS recorded,
      (SELECT count(*) FROM (SELECT pg_notify(${SCHEDULE_CHANNEL}, '') FROM due LIMIT 1) woke)::int AS woke`;
  if (!rows[0]?.recorded) throw new NotFoundError("No heartbeat monitor has this push URL");
  return { ok: true };
}

export interface PingView {
  receivedAt: Date;
  failed: boolean;
  message: string | null;
}

/** A heartbeat monitor's latest pings, newest first (the owner's monitor page). */
export async function latestPings(ctx: OwnerScope, { id }: { id: string }): Promise<PingView[]> {
  const monitor = await ctx.db.website.findFirst({ where: { id, userId: ctx.userId }, select: { id: true } });
  if (!monitor) throw new NotFoundError("Monitor not found");
  return ctx.db.heartbeatPing.findMany({
    where: { websiteId: id },
    orderBy: { receivedAt: "desc" },
    take: 20,
    select: { receivedAt: true, failed: true, message: true },
  });
}
