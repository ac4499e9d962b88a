import { describe, expect, it } from "vitest";
import { parseHostsFile } from "../../core/net/target-resolver.ts";

describe("parseHostsFile", () => {
  it("maps each name to its addresses in file order, ignoring comments and junk", () => {
    const names = parseHostsFile(
      [
        "# comment",
        "127.0.0.1 localhost Box.Local # trailing",
        "::1 localhost ip6-localhost",
        "not-an-ip example.test",
        "",
      ].join("\n"),
    );
    expect(names.get("localhost")).toEqual(["127.0.0.1", "::1"]);
    expect(names.get("box.local")).toEqual(["127.0.0.1"]);
    expect(names.has("example.test")).toBe(false);
  });
});
