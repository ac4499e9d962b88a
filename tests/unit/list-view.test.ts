import { describe, expect, it } from "vitest";
import { applyListQuery, readListQuery, type ListItem } from "../../app/lib/monitors/list-view.ts";

const item = (
  name: string,
  status: ListItem["status"],
  uptime24h: number | null,
  lastResponseTimeMs: number | null,
): ListItem => ({
  name,
  url: `https://${name.toLowerCase()}.example.test/`,
  status,
  uptime24h,
  lastResponseTimeMs,
  lastCheckedAt: null,
});

const items = [
  item("Api", "UP", 100, 120),
  item("Shop", "DOWN", 97.5, null),
  item("Blog", "PAUSED", null, 80),
  item("Auth", "PENDING", 99, 300),
];

describe("monitor list query", () => {
  it("reads the URL, falling back to safe defaults", () => {
    expect(readListQuery(new URLSearchParams("q= shop &status=down&sort=name"))).toEqual({
      q: "shop",
      status: "down",
      sort: "name",
    });
    expect(readListQuery(new URLSearchParams("status=evil&sort=drop+table"))).toEqual({
      q: "",
      status: "all",
      sort: "status",
    });
  });

  it("puts what needs attention first by default", () => {
    expect(applyListQuery(items, readListQuery(new URLSearchParams())).map((i) => i.name)).toEqual([
      "Shop",
      "Auth",
      "Api",
      "Blog",
    ]);
  });

  it("filters by status and searches names and URLs", () => {
    expect(applyListQuery(items, { q: "", status: "up", sort: "name" }).map((i) => i.name)).toEqual(["Api"]);
    expect(applyListQuery(items, { q: "SHOP.example", status: "all", sort: "name" }).map((i) => i.name)).toEqual([
      "Shop",
    ]);
  });

  it("sorts by uptime (worst first) and response time (slowest first), unknowns last", () => {
    expect(applyListQuery(items, { q: "", status: "all", sort: "uptime" }).map((i) => i.name)).toEqual([
      "Shop",
      "Auth",
      "Api",
      "Blog",
    ]);
    expect(applyListQuery(items, { q: "", status: "all", sort: "response" }).map((i) => i.name)).toEqual([
      "Auth",
      "Api",
      "Blog",
      "Shop",
    ]);
  });
});
