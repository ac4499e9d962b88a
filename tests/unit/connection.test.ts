import { describe, expect, it } from "vitest";
import { connectionSettingsFromUrl, describeConnectionError } from "../../core/connection.mjs";

describe("connectionSettingsFromUrl", () => {
  it("splits a URL into node-postgres fields", () => {
    expect(connectionSettingsFromUrl("postgresql://app:s%40cret@db.internal:6543/uptime")).toEqual({
      host: "db.internal",
      port: 6543,
      database: "uptime",
      schema: undefined,
      poolConfig: {
        host: "db.internal",
        port: 6543,
        user: "app",
        password: "s@cret",
        database: "uptime",
        options: "-c jit=off",
      },
    });
  });

  it("defaults the port to 5432", () => {
    expect(connectionSettingsFromUrl("postgres://app@localhost/uptime").port).toBe(5432);
  });

  it("honours sslmode", () => {
    expect(connectionSettingsFromUrl("postgresql://h/db?sslmode=require").poolConfig.ssl).toEqual({});
    expect(connectionSettingsFromUrl("postgresql://h/db?sslmode=no-verify").poolConfig.ssl).toEqual({
      rejectUnauthorized: false,
    });
    expect(connectionSettingsFromUrl("postgresql://h/db?sslmode=disable").poolConfig.ssl).toBeUndefined();
  });

  it("maps Prisma's pooling parameters onto the pool", () => {
    const { poolConfig } = connectionSettingsFromUrl(
      "postgresql://h/db?connection_limit=7&pool_timeout=3&application_name=runner-eu",
    );
    expect(poolConfig).toMatchObject({ max: 7, connectionTimeoutMillis: 3000, application_name: "runner-eu" });
  });

  it("uses ?schema= as the search path", () => {
    const settings = connectionSettingsFromUrl("postgresql://h/db?schema=uptime");
    expect(settings.schema).toBe("uptime");
    expect(settings.poolConfig.options).toBe('-c jit=off -c search_path="uptime"');
  });

  it.each(["", "localhost:5432/db", "mysql://h/db"])("refuses %j", (url) => {
    expect(() => connectionSettingsFromUrl(url)).toThrow(TypeError);
  });
});

describe("describeConnectionError", () => {
  const settings = connectionSettingsFromUrl("postgresql://app:secret@db.internal:6543/uptime");

  it.each([
    [{ code: "ECONNREFUSED" }, "P1001", "Cannot reach PostgreSQL at db.internal:6543 (ECONNREFUSED)"],
    [
      { code: "28P01", message: 'password authentication failed for user "app"' },
      "P1000",
      'Authentication failed for user "app"',
    ],
    [{ code: "3D000" }, "P1003", 'Database "uptime" does not exist'],
    [
      { code: "28000", message: 'no pg_hba.conf entry for host "10.0.0.5", user "app", database "uptime", SSL off' },
      "P1011",
      "requires SSL: add ?sslmode=require",
    ],
  ])("explains %j", (error, code, message) => {
    const described = describeConnectionError(error, settings);
    expect(described.code).toBe(code);
    expect(described.message).toContain(message);
    expect(described.message).not.toContain("secret");
  });
});
