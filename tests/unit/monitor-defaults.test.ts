/**
 * The defaults are declared once (core/domain/monitor-defaults.ts); the database's column
 * defaults repeat them for rows written without a value, so the two must agree.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CreateMonitorInput } from "../../core/monitor-types/registry.ts";
import { automaticTimeoutMs } from "../../core/monitor-types/settings.ts";
import {
  HEARTBEAT_DEFAULTS,
  MONITOR_DEFAULTS,
  TCP_DEFAULTS,
  TLS_DEFAULTS,
} from "../../core/domain/monitor-defaults.ts";

const schema = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
const model = schema.slice(schema.indexOf("model Monitor {"), schema.indexOf("\n}", schema.indexOf("model Monitor {")));

/** The `@default(...)` of a column of the Monitor model, as written in the schema. */
function columnDefault(column: string): string | undefined {
  return new RegExp(`^\\s*${column}\\s+\\S+\\s+@default\\((.*?)\\)`, "m").exec(model)?.[1];
}

describe("monitor defaults", () => {
  it("are the database's column defaults", () => {
    expect({
      method: columnDefault("method"),
      expectedStatusCodes: columnDefault("expectedStatusCodes"),
      keywordMode: columnDefault("keywordMode"),
      followRedirects: columnDefault("followRedirects"),
      maxRedirects: columnDefault("maxRedirects"),
      ignoreTlsErrors: columnDefault("ignoreTlsErrors"),
      keywordIgnoreCase: columnDefault("keywordIgnoreCase"),
      intervalSeconds: columnDefault("intervalSeconds"),
      failureThreshold: columnDefault("failureThreshold"),
      recoveryThreshold: columnDefault("recoveryThreshold"),
      regions: columnDefault("regions"),
      downQuorum: columnDefault("downQuorum"),
      tcpTls: columnDefault("tcpTls"),
      heartbeatGraceSeconds: columnDefault("heartbeatGraceSeconds"),
      timeoutMs: columnDefault("timeoutMs"),
    }).toEqual({
      method: JSON.stringify(MONITOR_DEFAULTS.method),
      expectedStatusCodes: JSON.stringify(MONITOR_DEFAULTS.expectedStatusCodes),
      keywordMode: MONITOR_DEFAULTS.keywordMode,
      followRedirects: String(MONITOR_DEFAULTS.followRedirects),
      maxRedirects: String(MONITOR_DEFAULTS.maxRedirects),
      ignoreTlsErrors: String(MONITOR_DEFAULTS.ignoreTlsErrors),
      keywordIgnoreCase: String(MONITOR_DEFAULTS.keywordIgnoreCase),
      intervalSeconds: String(MONITOR_DEFAULTS.intervalSeconds),
      failureThreshold: String(MONITOR_DEFAULTS.failureThreshold),
      recoveryThreshold: String(MONITOR_DEFAULTS.recoveryThreshold),
      regions: JSON.stringify(MONITOR_DEFAULTS.regions),
      downQuorum: String(MONITOR_DEFAULTS.downQuorum),
      tcpTls: String(TCP_DEFAULTS.tls),
      heartbeatGraceSeconds: String(HEARTBEAT_DEFAULTS.graceSeconds),
      // A row without a timeout of its own gets the automatic one of the default interval.
      timeoutMs: String(automaticTimeoutMs(MONITOR_DEFAULTS.intervalSeconds)),
    });
  });

  it("are what the input schema fills in for a TLS monitor", () => {
    expect(CreateMonitorInput.parse({ type: "TLS", host: "example.test" })).toMatchObject(TLS_DEFAULTS);
  });
});
