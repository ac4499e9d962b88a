import { describe, expect, it } from "vitest";
import { loadEnv } from "../../core/env.ts";
import { StartupError } from "../../core/errors.ts";

describe("loadEnv", () => {
  it("serves on 127.0.0.1:3000 with the embedded database when nothing is set", () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ HOST: "127.0.0.1", PORT: 3000, DATA_DIR: ".data", NODE_ENV: "development" });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("points custom domains' CNAME at APP_URL's host unless told otherwise", () => {
    expect(loadEnv({ APP_URL: "https://uptime.example.test" }).STATUS_PAGE_CNAME).toBe("uptime.example.test");
    expect(loadEnv({ STATUS_PAGE_CNAME: "pages.example.test" }).STATUS_PAGE_CNAME).toBe("pages.example.test");
    expect(loadEnv({ DNS_SERVERS: "127.0.0.1:5353, ::1" }).DNS_SERVERS).toBe("127.0.0.1:5353, ::1");
  });

  it("keeps watching and pruning with documented defaults", () => {
    expect(loadEnv({})).toMatchObject({
      HEALTH_STALL_SECONDS: 60,
      HEARTBEAT_INTERVAL_SECONDS: 60,
      DELIVERY_RETENTION_DAYS: 30,
      HOURLY_ROLLUP_RETENTION_DAYS: 100,
    });
    expect(loadEnv({}).HEARTBEAT_URL).toBeUndefined();
  });

  it("treats an empty variable as unset", () => {
    const env = loadEnv({ DATABASE_URL: "", PORT: "" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it("accepts PostgreSQL URLs with SSL and pooling parameters", () => {
    const url = "postgresql://app:secret@db.example.test:6543/uptime?sslmode=require&connection_limit=5";
    expect(loadEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it.each([
    ["DATABASE_URL", "not-a-url", /DATABASE_URL is not a URL/],
    ["DATABASE_URL", "mysql://localhost/db", /DATABASE_URL must start with postgresql:\/\//],
    ["DATABASE_URL", "postgresql://h/db?connection_limit=lots", /DATABASE_URL has an invalid connection_limit/],
    ["PORT", "eighty", /PORT must be a number/],
    ["PORT", "70000", /PORT must be between 0 and 65535/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL/],
    ["DNS_SERVERS", "dns.example.test", /DNS_SERVERS must be comma-separated IP addresses/],
    ["HEARTBEAT_URL", "ftp://hc.example.test/ping", /HEARTBEAT_URL must be an http\(s\) URL/],
    ["HEALTH_STALL_SECONDS", "1", /HEALTH_STALL_SECONDS/],
    ["HOURLY_ROLLUP_RETENTION_DAYS", "7", /HOURLY_ROLLUP_RETENTION_DAYS/],
  ])("names %s when it is %j", (name, value, message) => {
    const attempt = () => loadEnv({ [name]: value });
    expect(attempt).toThrow(StartupError);
    expect(attempt).toThrow(message);
  });

  it("never echoes the database password in its error", () => {
    expect(() => loadEnv({ DATABASE_URL: "postgresql://u:hunter2@h/db?pool_timeout=-1" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });
});
