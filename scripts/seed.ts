/**
 * Demo data: `npm run db:seed` (or `npx prisma db seed` with DATABASE_URL set).
 * Applies pending migrations first. Idempotent: running it twice leaves one demo user
 * with the same monitors.
 * Every monitor points at this machine (127.0.0.1), never at the internet.
 */
import { loadEnv } from "../core/env.ts";
import { createDb } from "../core/db/client.ts";
import { applyMigrations } from "../core/ops/migrate.ts";
import { parseAllowedNetworks } from "../core/net/target-policy.ts";
import { createTargetResolver } from "../core/net/target-resolver.ts";
import { hashPassword } from "../app/server/services/crypto.server.ts";
import { createMonitor } from "../app/server/services/monitors/write-monitor.server.ts";

const DEMO_EMAIL = "demo@example.com";
/** A development convenience: the demo account signs in with this. */
const DEMO_PASSWORD = "better-uptime-demo";
const port = process.env.PORT ?? "3000";

const monitors = [
  { name: "Better Uptime (this instance)", url: `http://127.0.0.1:${port}/healthz`, intervalSeconds: 30 },
  // The others are checked at the default interval (core/domain/monitor-defaults.ts).
  { name: "Landing page", url: `http://127.0.0.1:${port}/` },
  // Port 9 (discard) is closed on almost every machine: a monitor that is DOWN.
  { name: "Closed port (always down)", url: "http://127.0.0.1:9/" },
];

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set: run `npm run db:seed`, which provides it.");
  process.exit(1);
}

// A fresh database (never started with `npm start`) has no tables yet.
await applyMigrations(databaseUrl);
const db = createDb(databaseUrl);
try {
  const user = await db.user.upsert({
    where: { email: DEMO_EMAIL },
    update: {},
    create: {
      email: DEMO_EMAIL,
      name: "Demo User",
      emailVerified: true,
      passwordHash: await hashPassword(DEMO_PASSWORD),
    },
  });
  // Through the monitor service, as a user would create them (schedules included).
  const services = {
    db,
    userId: user.id,
    env: { ...loadEnv({}), ALLOWED_TARGET_NETWORKS: parseAllowedNetworks("127.0.0.0/8") },
    resolve: createTargetResolver(),
  };
  const created = [];
  for (const monitor of monitors) {
    const existing = await db.monitor.findFirst({ where: { userId: user.id, url: monitor.url } });
    created.push(existing ?? (await createMonitor(services, monitor)));
  }
  const page = await db.statusPage.upsert({
    where: { slug: "demo" },
    update: {},
    create: { userId: user.id, name: "Demo status", slug: "demo", isPublished: true },
  });
  await db.statusPageMonitor.createMany({
    data: created.map((monitor, position) => ({
      statusPageId: page.id,
      monitorId: monitor.id,
      position,
      displayName: monitor.name,
    })),
    skipDuplicates: true,
  });
  console.warn(
    `Seeded ${DEMO_EMAIL} (password: ${DEMO_PASSWORD}) with ${created.length} monitors and the published status page "demo".`,
  );
} finally {
  await db.$disconnect();
}
