import { describe, expect, it } from "vitest";
import { listQueryHref, readListQuery } from "../../app/lib/monitors/list-view.ts";

describe("monitor list view in the URL", () => {
  it("reads the URL, falling back to safe defaults", () => {
    expect(readListQuery(new URLSearchParams("q= shop &status=down&sort=name&tag=eu&page=3&size=100"))).toEqual({
      q: "shop",
      status: "down",
      tag: "eu",
      sort: "name",
      page: 3,
      pageSize: 100,
    });
    expect(readListQuery(new URLSearchParams("status=evil&sort=drop+table&page=-2&size=10000&tag="))).toEqual({
      q: "",
      status: "all",
      tag: null,
      sort: "status",
      page: 1,
      pageSize: 50,
    });
  });

  it("writes links that change one thing and keep the rest", () => {
    const query = readListQuery(new URLSearchParams("q=api&status=down&page=2"));
    expect(listQueryHref(query, { page: 3 })).toBe("?q=api&status=down&page=3");
    expect(listQueryHref(query, { status: "all", page: 1 })).toBe("?q=api");
    expect(listQueryHref(readListQuery(new URLSearchParams()), {})).toBe("?");
  });
});
