import { describe, expect, it } from "vitest";
import { NEW_MONITOR_VALUES } from "../../app/components/monitors/monitor-form.tsx";
import { formToMonitorInput } from "../../app/lib/monitors/form-fields.ts";
import { submittedValues } from "../../app/web/forms/save-monitor.server.ts";
import {
  assertionLines,
  headerLines,
  parseAssertionLines,
  parseHeaderLines,
} from "../../core/monitor-types/http-lines.ts";
import { automaticTimeoutMs, ownTimeoutMs, timeoutFor } from "../../core/monitor-types/settings.ts";
import { HEARTBEAT_DEFAULTS, TLS_DEFAULTS } from "../../core/domain/monitor-defaults.ts";

describe("monitor form", () => {
  it("reads headers as Name: value lines, and says which line is wrong", () => {
    expect(parseHeaderLines("Authorization: Bearer a:b\n\nX-Env: prod")).toEqual({
      ok: true,
      headers: [
        { name: "Authorization", value: "Bearer a:b" },
        { name: "X-Env", value: "prod" },
      ],
    });
    expect(parseHeaderLines("X-Ok: 1\nbroken line")).toEqual({
      ok: false,
      error: 'Line 2: write headers as "Name: value"',
    });
    expect(headerLines([{ name: "A", value: "1" }])).toBe("A: 1");
  });

  it("turns fields into the API's input", () => {
    expect(
      formToMonitorInput({
        url: "https://example.test/health",
        name: "API",
        method: "POST",
        headers: "X-Key: 1",
        timeoutSeconds: "2.5",
        intervalSeconds: "30",
        followRedirects: "on",
        regions: "eu, us",
        downQuorum: "2",
      }),
    ).toMatchObject({
      url: "https://example.test/health",
      method: "POST",
      headers: [{ name: "X-Key", value: "1" }],
      timeoutMs: 2500,
      intervalSeconds: 30,
      followRedirects: true,
      regions: ["eu", "us"],
      downQuorum: 2,
    });
    expect(formToMonitorInput({ url: "x" })).toMatchObject({ followRedirects: false });
  });

  it("turns a TCP form into the TCP input: host, port and TLS instead of a URL", () => {
    expect(
      formToMonitorInput({ type: "TCP", host: "db.example.test", port: "5432", tls: "on", name: "DB", url: "ignored" }),
    ).toMatchObject({ type: "TCP", host: "db.example.test", port: 5432, tls: true, name: "DB" });
    expect(formToMonitorInput({ type: "TCP", host: "db", port: "" })).toMatchObject({ port: Number.NaN, tls: false });
  });

  it("turns the heartbeat, DNS and TLS forms into their inputs, without settings those types do not have", () => {
    const heartbeat = formToMonitorInput({ type: "HEARTBEAT", periodSeconds: "300", graceSeconds: "", regions: "eu" });
    expect(heartbeat).toMatchObject({ type: "HEARTBEAT", periodSeconds: 300, ...HEARTBEAT_DEFAULTS });
    expect(heartbeat).not.toHaveProperty("regions");
    expect(heartbeat).not.toHaveProperty("timeoutMs");
    expect(
      formToMonitorInput({ type: "DNS", hostname: "example.test", recordType: "TXT", expectedValue: "", resolver: "" }),
    ).toMatchObject({ type: "DNS", hostname: "example.test", recordType: "TXT", expectedValue: null, resolver: null });
    expect(formToMonitorInput({ type: "TLS", host: "example.test", port: "", expiryDays: "21" })).toMatchObject({
      type: "TLS",
      port: TLS_DEFAULTS.port,
      expiryDays: 21,
    });
  });

  it("shows again what was typed after a failed submit: the type's own fields in its group, never as settings", () => {
    const tcp = formToMonitorInput({ type: "TCP", host: "db.internal", port: "", tls: "on", name: "Database" });
    const shown = submittedValues(tcp, NEW_MONITOR_VALUES);
    expect(shown).toMatchObject({ type: "TCP", name: "Database", tcp: { host: "db.internal", port: null, tls: true } });
    expect(shown).not.toHaveProperty("host");
    expect(shown).not.toHaveProperty("port");
    const dns = formToMonitorInput({ type: "DNS", hostname: "example.test", recordType: "MX", resolver: "" });
    expect(submittedValues(dns, NEW_MONITOR_VALUES)).toMatchObject({
      dns: { hostname: "example.test", recordType: "MX", expectedValue: null, resolver: null },
    });
    const http = formToMonitorInput({ url: "https://example.test/", headers: "broken", keyword: "ok" });
    expect(submittedValues(http, NEW_MONITOR_VALUES)).toMatchObject({ url: "https://example.test/", keyword: "ok" });
    expect(submittedValues(http, NEW_MONITOR_VALUES)).not.toHaveProperty("parseErrors");
  });

  it("reads assertion lines, symbols included, and names the line that is not one", () => {
    const parsed = parseAssertionLines(
      "json $.status equals ok\njson /count > 3\nheader Content-Type contains json\nbody matches ^OK$\n\njson $.id exists",
    );
    expect(parsed).toEqual({
      ok: true,
      assertions: [
        { source: "json", path: "$.status", operator: "equals", value: "ok" },
        { source: "json", path: "/count", operator: "gt", value: "3" },
        { source: "header", name: "Content-Type", operator: "contains", value: "json" },
        { source: "body", operator: "matches", value: "^OK$" },
        { source: "json", path: "$.id", operator: "exists", value: "" },
      ],
    });
    expect(parseAssertionLines(assertionLines(parsed.ok ? parsed.assertions : []))).toEqual(parsed);
    expect(parseAssertionLines("json $.a\nxml /a equals 1")).toEqual({
      ok: false,
      error: 'Line 1: write "json <path> <operator> <value>"',
    });
    expect(parseAssertionLines("body equals x")).toMatchObject({ ok: false, error: expect.stringContaining("Line 1") });
    expect(formToMonitorInput({ url: "https://example.test", assertions: "nonsense" })).toMatchObject({
      parseErrors: { assertions: ["Line 1: start with json, header or body"] },
    });
  });

  it("leaves an empty timeout to the interval: 10 s, or half a shorter interval", () => {
    expect(formToMonitorInput({ url: "https://example.test", timeoutSeconds: "" })).toMatchObject({ timeoutMs: null });
    expect([10, 20, 30, 60, 86_400].map(automaticTimeoutMs)).toEqual([5_000, 10_000, 10_000, 10_000, 10_000]);
    expect(timeoutFor(undefined, 10)).toBe(5_000);
    expect(timeoutFor(2_000, 10)).toBe(2_000);
    // Stored automatic follows; stored own stays while it fits.
    expect(timeoutFor(undefined, 10, { timeoutMs: 10_000, intervalSeconds: 60 })).toBe(5_000);
    expect(timeoutFor(undefined, 10, { timeoutMs: 4_000, intervalSeconds: 60 })).toBe(4_000);
    expect(timeoutFor(undefined, 10, { timeoutMs: 12_000, intervalSeconds: 60 })).toBe(5_000);
    expect(ownTimeoutMs({ timeoutMs: 5_000, intervalSeconds: 10 })).toBeNull();
    expect(ownTimeoutMs({ timeoutMs: 4_000, intervalSeconds: 10 })).toBe(4_000);
  });
});
