/**
 * The typed targets migration (20261208010000_monitor_targets) on a database of the shape
 * before it: every monitor type as the API stored it then (the target squeezed into
 * `url`, bracketed IPv6 included), with results, incidents and rollups. After it, each
 * TCP, TLS and DNS monitor has its target in typed columns, every row of every table is
 * otherwise as it was, and the engine and the API read the typed target.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "../../core/db/client.ts";
import type { StoredCheck } from "../../core/db/queries/claims.ts";
import { probeRequestFor } from "../../core/monitor-types/registry.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { migrateUpTo } from "../support/migrate-up-to.ts";
import { createDatabaseBeside, type TestDatabase } from "../support/test-database.ts";

const MIGRATION = "20261208010000_monitor_targets";

let database: TestDatabase;
let client: pg.Client;
let db: Db;

/** [id, type, url as stored before, the typed target it must get] */
const OLD: [string, string, string, { targetHost: string | null; targetPort: number | null }][] = [
  ["http", "HTTP", "http://127.0.0.1:9/health", { targetHost: null, targetPort: null }],
  ["tcp", "TCP", "tcp://db.example.test:5432", { targetHost: "db.example.test", targetPort: 5432 }],
  ["tcp-v6", "TCP", "tcp://[2001:db8::5]:6432", { targetHost: "2001:db8::5", targetPort: 6432 }],
  ["tls", "TLS", "tls://example.test:8443", { targetHost: "example.test", targetPort: 8443 }],
  ["tls-no-port", "TLS", "tls://example.test", { targetHost: "example.test", targetPort: 443 }],
  ["tls-v6", "TLS", "tls://[::1]:443", { targetHost: "::1", targetPort: 443 }],
  ["dns", "DNS", "example.test", { targetHost: "example.test", targetPort: null }],
  ["heartbeat", "HEARTBEAT", "heartbeat", { targetHost: null, targetPort: null }],
];

/** Every row of every table of ours, as JSON, by table. */
async function everyRow(): Promise<Record<string, unknown[]>> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
  );
  const all: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM "${name}" t ORDER BY to_jsonb(t)::text`,
    );
    all[name] = rows.map(({ row }) => row);
  }
  return all;
}

let before: Record<string, unknown[]>;
let after: Record<string, unknown[]>;

beforeAll(async () => {
  database = await createDatabaseBeside(inject("databaseUrl"), "bu_targets_migration");
  await migrateUpTo(database.url, MIGRATION);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(
    `INSERT INTO "User" (id, email, "updatedAt", "emailVerified") VALUES ('u1', 'old@example.test', now(), true)`,
  );
  await client.query(`INSERT INTO "Region" (name) VALUES ('default') ON CONFLICT DO NOTHING`);
  for (const [id, type, url] of OLD) {
    await client.query(
      `INSERT INTO "Website" (id, "userId", type, url, name, "updatedAt", "tcpTls", "dnsRecordType", "tlsExpiryDays", "pushToken")
       VALUES ($1, 'u1', $2::"MonitorType", $3, $1, now(), $4, $5::"DnsRecordType", $6, $7)`,
      [
        id,
        type,
        url,
        id === "tcp-v6",
        type === "DNS" ? "A" : null,
        type === "TLS" ? 14 : null,
        type === "HEARTBEAT" ? "push-token-of-old" : null,
      ],
    );
    await client.query(
      `INSERT INTO "CheckResult" ("monitorKey", "regionKey", "scheduledAt", "lagMs", status, "responseTimeMs", "statusCode", "errorCode", "dnsMs", "connectMs", "tlsMs", "ttfbMs", "downloadMs")
       SELECT key, (SELECT id FROM "Region" WHERE name = 'default'), '2026-12-01T10:00:00Z', 3, 'DOWN', 120, 0, 7, 1, 2, 3, 4, 5
       FROM "Website" WHERE id = $1`,
      [id],
    );
    await client.query(
      `INSERT INTO "Incident" (id, "websiteId", cause, regions, "startedAt", "resolvedAt", "durationSeconds")
       VALUES ($1, $2, 'Connection refused', '{default}', '2026-12-01T10:00:00Z', '2026-12-01T10:05:00Z', 300)`,
      [`incident-${id}`, id],
    );
    await client.query(
      `INSERT INTO "CheckRollup" ("websiteId", period, "bucketStart", checks, failures, "downtimeSeconds", histogram)
       VALUES ($1, 'HOUR', '2026-12-01T10:00:00Z', 60, 5, 300, '{1,2,3}')`,
      [id],
    );
  }
  before = await everyRow();
  expect(await applyMigrations(database.url)).toContain(MIGRATION);
  after = await everyRow();
  db = createDb(database.url);
});

afterAll(async () => {
  await client?.end();
  await db?.$disconnect();
  await database?.drop();
});

const TYPED = ["targetHost", "targetPort"];

describe("the typed targets migration", () => {
  it("fills each TCP, TLS and DNS monitor's typed target from its url (IPv6 unbracketed, TLS's port 443 when none)", async () => {
    const rows = await db.monitor.findMany({ select: { id: true, url: true, targetHost: true, targetPort: true } });
    expect(Object.fromEntries(rows.map(({ id, targetHost, targetPort }) => [id, { targetHost, targetPort }]))).toEqual(
      Object.fromEntries(OLD.map(([id, , , target]) => [id, target])),
    );
    // What the API shows as `url` is kept as it was.
    expect(Object.fromEntries(rows.map(({ id, url }) => [id, url]))).toEqual(
      Object.fromEntries(OLD.map(([id, , url]) => [id, url])),
    );
  });

  it("keeps every row of every table, results, incidents and rollups included, field by field", () => {
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const [table, rows] of Object.entries(before)) {
      const kept = after[table]!.map((row) =>
        table === "Website"
          ? Object.fromEntries(Object.entries(row as object).filter(([key]) => !TYPED.includes(key)))
          : row,
      );
      expect(kept, table).toEqual(rows);
    }
    expect(before.CheckResult_default ?? before.CheckResult).toHaveLength(OLD.length);
    expect(before.Incident).toHaveLength(OLD.length);
    expect(before.CheckRollup).toHaveLength(OLD.length);
  });

  it("the engine checks the typed target, and the API answers and edits it", async () => {
    const stored = await db.monitor.findUniqueOrThrow({ where: { id: "tcp-v6" } });
    const check = { ...stored, headers: [] } as unknown as StoredCheck;
    expect(probeRequestFor(check, { maxBodyBytes: 1024 })).toMatchObject({
      kind: "tcp",
      host: "2001:db8::5",
      port: 6432,
    });
    const dns = await db.monitor.findUniqueOrThrow({ where: { id: "dns" } });
    expect(probeRequestFor({ ...dns, headers: [] } as unknown as StoredCheck, { maxBodyBytes: 1024 })).toMatchObject({
      kind: "dns",
      hostname: "example.test",
    });

    const user = await db.user.findUniqueOrThrow({ where: { id: "u1" } });
    const api = callerFor(db, { user, resolve: fakeResolver({ "db.example.test": ["127.0.0.1"] }) });
    expect(await api.monitor.byId({ id: "tls-no-port" })).toMatchObject({
      url: "tls://example.test",
      certificate: { host: "example.test", port: 443, expiryDays: 14 },
    });
    const moved = await api.monitor.update({ id: "tcp", port: 6543 });
    expect(moved).toMatchObject({ url: "tcp://db.example.test:6543", tcp: { host: "db.example.test", port: 6543 } });
    expect(await db.monitor.findUniqueOrThrow({ where: { id: "tcp" } })).toMatchObject({
      targetHost: "db.example.test",
      targetPort: 6543,
    });
  });
});
