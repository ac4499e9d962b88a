import { randomBytes } from "node:crypto";
import type { Db } from "../../core/db/client.ts";

/** Unique per call, so tests running in parallel on one database never collide. */
export function unique(label: string): string {
  return `${label}-${randomBytes(5).toString("hex")}`;
}

/** A user whose address is verified (unverified accounts may do little: see verifiedProcedure). */
export function createUser(db: Db, overrides: { email?: string; name?: string; emailVerified?: boolean } = {}) {
  return db.user.create({
    data: {
      email: overrides.email ?? `${unique("user")}@example.test`,
      name: overrides.name ?? "Test User",
      emailVerified: overrides.emailVerified ?? true,
    },
  });
}

/** Monitors in tests only ever point at loopback. */
export function createMonitorRow(db: Db, userId: string, url = "http://127.0.0.1:9/") {
  return db.monitor.create({ data: { userId, url, name: unique("site") } });
}

export function createStatusPage(db: Db, userId: string, slug = unique("page")) {
  return db.statusPage.create({ data: { userId, name: "Status", slug } });
}
