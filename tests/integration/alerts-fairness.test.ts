/**
 * The outbox is fair and exactly-once: one user's receivers that hang delay nobody
 * else's alerts, a send slower than its lease is not sent again by another sender, and
 * an answer PostgreSQL cannot store (a NUL in the body) ends in a settled delivery, not
 * a loop. Runs on a database of its own, so no other test's sender sees these rows.
 */
import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "../../core/db/client.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { createLogger } from "../../core/logger.ts";
import { alertDeliveriesTotal } from "../../core/metrics/registry.ts";
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import type { AlertPayload } from "../../core/outbox/events.ts";
import { startOutboxSender, type OutboxOptions, type OutboxSender } from "../../workers/notifications/outbox-sender.ts";
import { eventually, sleep } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { createDatabaseBeside, type TestDatabase } from "../support/test-database.ts";

let database: TestDatabase;
let db: Db;
const pools: ReturnType<typeof createPgPool>[] = [];

beforeAll(async () => {
  database = await createDatabaseBeside(inject("databaseUrl"), "bu_outbox");
  await applyMigrations(database.url);
  db = createDb(database.url);
});
afterAll(async () => {
  await db.$disconnect();
  await Promise.all(pools.map((pool) => pool.end()));
  await database.drop();
});

function startSender(options: Partial<OutboxOptions> = {}): OutboxSender {
  const pool = createPgPool(database.url);
  pools.push(pool);
  return startOutboxSender({
    pool,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    deps: {
      appUrl: "http://127.0.0.1:3000",
      guarded: { policy: { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") }, resolve: createTargetResolver() },
    },
    pollIntervalMs: 100,
    retryBaseMs: 200,
    retryMaxMs: 1_000,
    ...options,
  });
}

/** An HTTP server on 127.0.0.1 answering every request with `respond`, counting them. */
async function startServer(respond: http.RequestListener) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "/");
    respond(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    requests,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Accepts connections and never answers: a tarpit. */
async function startTarpit() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    connections: () => sockets.size,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function payload(monitorId: string): AlertPayload {
  return {
    event: "incident.opened",
    occurredAt: new Date().toISOString(),
    monitor: { id: monitorId, name: "Checkout", url: "http://127.0.0.1:9/" },
    incident: {
      id: `incident-${monitorId}`,
      cause: "status",
      detail: "HTTP 503",
      regions: ["default"],
      startedAt: new Date().toISOString(),
      resolvedAt: null,
      durationSeconds: null,
    },
    tls: null,
  };
}

/** A user with a webhook channel to `url` and `deliveries` pending alerts, one per monitor. */
async function userWithAlerts(url: string, deliveries: number) {
  const user = await createUser(db);
  const channel = await db.notificationChannel.create({
    data: { userId: user.id, type: "WEBHOOK", name: "hook", target: url, signingSecret: "s", confirmedAt: new Date() },
  });
  const ids: string[] = [];
  for (let i = 0; i < deliveries; i++) {
    const monitor = await db.monitor.create({ data: { userId: user.id, url: `http://127.0.0.1:9/${i}` } });
    const delivery = await db.notificationDelivery.create({
      data: {
        channelId: channel.id,
        monitorId: monitor.id,
        event: "incident.opened",
        payload: payload(monitor.id),
      },
    });
    ids.push(delivery.id);
  }
  return { user, channel, ids };
}

describe("alert deliveries across users", () => {
  it("another user's alert arrives while 100 alerts to a receiver that never answers are still hanging", async () => {
    const tarpit = await startTarpit();
    const fast = await startServer((_req, res) => res.end("ok"));
    // The hung sends give up only after two minutes: the other alert must not wait for that.
    const sender = startSender({ attemptTimeoutMs: 120_000 });
    try {
      const hung = await userWithAlerts(tarpit.url, 100);
      await eventually("the tarpit holding sends", () => Promise.resolve(tarpit.connections() > 0));
      const other = await userWithAlerts(fast.url("/other"), 1);
      await eventually("the other user's alert", () => Promise.resolve(fast.requests.length > 0), 60_000);
      // Not queued behind them: not one of the hung sends has finished an attempt yet.
      const settled = await db.notificationDelivery.count({
        where: { id: { in: hung.ids }, OR: [{ status: { not: "PENDING" } }, { lastError: { not: null } }] },
      });
      expect(settled).toBe(0);
      expect(tarpit.connections()).toBeLessThanOrEqual(4); // at most the per-channel limit hangs at once
      const delivery = await db.notificationDelivery.findUniqueOrThrow({ where: { id: other.ids[0] } });
      expect(delivery.status).toBe("SENT");
    } finally {
      await tarpit.stop();
      await sender.stop();
      await fast.stop();
    }
  }, 90_000);

  it("a receiver slower than the lease gets the alert exactly once, though another sender is waiting", async () => {
    const slow = await startServer((_req, res) => setTimeout(() => res.end("ok"), 7_000));
    const first = startSender({ leaseMs: 3_000, attemptTimeoutMs: 15_000 });
    const { ids } = await userWithAlerts(slow.url("/slow"), 1);
    await eventually("the first send", () => Promise.resolve(slow.requests.length === 1));
    const second = startSender({ leaseMs: 3_000, attemptTimeoutMs: 15_000 });
    try {
      await eventually(
        "SENT",
        async () => (await db.notificationDelivery.findUniqueOrThrow({ where: { id: ids[0] } })).status === "SENT",
        20_000,
      );
      await sleep(4_000); // past another lease: nobody sends it again
      expect(slow.requests).toHaveLength(1);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      await slow.stop();
    }
  }, 60_000);

  it("a webhook answering 500 with a NUL in its body is retried with backoff, then given up", async () => {
    const broken = await startServer((_req, res) => res.writeHead(500).end("bad\u0000gateway \uDC00"));
    const sender = startSender({ maxAgeMs: 2_500 });
    try {
      const { ids } = await userWithAlerts(broken.url("/nul"), 1);
      const failed = await eventually(
        "FAILED",
        async () => {
          const delivery = await db.notificationDelivery.findUniqueOrThrow({ where: { id: ids[0] } });
          return delivery.status === "FAILED" && delivery;
        },
        20_000,
      );
      expect(failed.lastError).toMatch(/^HTTP 500: bad\uFFFDgateway/);
      // Backoff: a handful of attempts in 2.5 s, not a loop; and none after giving up.
      expect(failed.attempts).toBeGreaterThanOrEqual(2);
      expect(failed.attempts).toBeLessThan(10);
      const requests = broken.requests.length;
      await sleep(1_500);
      expect(broken.requests.length).toBe(requests);
    } finally {
      await sender.stop();
      await broken.stop();
    }
  }, 60_000);
});

describe("an attempt that gets no answer", () => {
  it("fails after the attempt timeout, is retried, then given up, and each outcome is counted and logged", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
    const counted = async (labels: Record<string, string>) =>
      (await alertDeliveriesTotal.get()).values.find((value) =>
        Object.entries(labels).every(([name, label]) => value.labels[name as keyof typeof value.labels] === label),
      )?.value ?? 0;
    const before = {
      retry: await counted({ channel_type: "email", outcome: "retry" }),
      failed: await counted({ channel_type: "email", outcome: "failed" }),
      none: await counted({ channel_type: "none", outcome: "failed" }),
    };
    // An SMTP server that takes the mail and never answers: only the attempt timeout ends it.
    const sender = startSender({
      logger,
      attemptTimeoutMs: 1_000,
      maxAgeMs: 6_000,
      deps: {
        appUrl: "http://127.0.0.1:3000",
        guarded: { policy: { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") }, resolve: createTargetResolver() },
        sendMail: () => new Promise<void>(() => undefined),
      },
    });
    try {
      const user = await createUser(db);
      const channel = await db.notificationChannel.create({
        data: { userId: user.id, type: "EMAIL", name: "mail", target: user.email, confirmedAt: new Date() },
      });
      const monitor = await db.monitor.create({ data: { userId: user.id, url: "http://127.0.0.1:9/" } });
      const mail = await db.notificationDelivery.create({
        data: { channelId: channel.id, monitorId: monitor.id, event: "incident.opened", payload: payload(monitor.id) },
      });
      // Its channel was deleted while it waited (only a race leaves one): given up, saying why.
      const orphan = await db.notificationDelivery.create({
        data: { event: "incident.opened", payload: payload(monitor.id), createdAt: new Date(Date.now() - 60_000) },
      });
      const failed = await eventually(
        "both given up",
        async () => {
          const rows = await db.notificationDelivery.findMany({ where: { id: { in: [mail.id, orphan.id] } } });
          return rows.every((row) => row.status === "FAILED") && new Map(rows.map((row) => [row.id, row]));
        },
        40_000,
      );
      expect(failed.get(mail.id)!.lastError).toBe("no answer within 1 s");
      expect(failed.get(orphan.id)!.lastError).toBe("its recipient no longer exists");
      expect(await counted({ channel_type: "email", outcome: "retry" })).toBeGreaterThan(before.retry);
      expect(await counted({ channel_type: "email", outcome: "failed" })).toBe(before.failed + 1);
      expect(await counted({ channel_type: "none", outcome: "failed" })).toBe(before.none + 1);
      const logged = lines.map((line) => JSON.parse(line) as { msg: string; delivery?: string; error?: string });
      expect(logged).toContainEqual(
        expect.objectContaining({
          msg: "alert delivery failed; will retry",
          delivery: mail.id,
          error: "no answer within 1 s",
        }),
      );
      expect(logged).toContainEqual(
        expect.objectContaining({ msg: "alert given up after 24 h", delivery: mail.id, error: "no answer within 1 s" }),
      );
    } finally {
      await sender.stop();
    }
  }, 60_000);
});
