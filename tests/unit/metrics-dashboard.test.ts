import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { registry } from "../../core/metrics/registry.ts";
import { bearerMatches } from "../../core/metrics/endpoint.ts";

const dashboard = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "../../docs/grafana-dashboard.json"), "utf8"),
) as {
  panels: { title: string; targets: { expr: string }[] }[];
};

describe("the Grafana dashboard (docs/grafana-dashboard.json)", () => {
  it("queries only metrics the app exports", async () => {
    const exported = new Set((await registry.getMetricsAsJSON()).map((metric) => metric.name));
    const histogramSeries = (name: string) => name.replace(/_(bucket|sum|count)$/, "");
    const used = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => target.expr.match(/\b(better_uptime_|process_|nodejs_)[a-z0-9_]+/g) ?? []),
    );
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) expect(exported.has(name) || exported.has(histogramSeries(name)), name).toBe(true);
  });

  it("has a panel on every better_uptime_ metric", async () => {
    const exported = (await registry.getMetricsAsJSON())
      .map((metric) => metric.name)
      .filter((name) => name.startsWith("better_uptime_"));
    const text = JSON.stringify(dashboard);
    for (const name of exported) expect(text, name).toContain(name);
  });
});

describe("METRICS_TOKEN", () => {
  it("is matched only by the same bearer token", () => {
    expect(bearerMatches("Bearer s3cret-token-0123456789", "s3cret-token-0123456789")).toBe(true);
    expect(bearerMatches("bearer s3cret-token-0123456789", "s3cret-token-0123456789")).toBe(true);
    expect(bearerMatches("Bearer s3cret-token-012345678", "s3cret-token-0123456789")).toBe(false);
    expect(bearerMatches("s3cret-token-0123456789", "s3cret-token-0123456789")).toBe(false);
    expect(bearerMatches(undefined, "s3cret-token-0123456789")).toBe(false);
  });
});
