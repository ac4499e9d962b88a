import { describe, expect, it } from "vitest";
import { missingToolMessage, pickTool } from "../../core/ops/backup/logical.ts";
import { backupFileName, backupsToPrune, parseBackupFileName } from "../../core/ops/backup/names.ts";

describe("backup files", () => {
  it("are named by kind and UTC time, and read back", () => {
    const at = new Date("2026-12-05T03:04:05.678Z");
    expect(backupFileName("embedded", at)).toBe("better-uptime-20261205T030405Z.embedded.tar.gz");
    expect(backupFileName("dump", at)).toBe("better-uptime-20261205T030405Z.dump");
    expect(parseBackupFileName("better-uptime-20261205T030405Z.dump")).toEqual({
      kind: "dump",
      at: new Date("2026-12-05T03:04:05Z"),
    });
    expect(parseBackupFileName("notes.txt")).toBeNull();
    expect(parseBackupFileName("better-uptime-20261205T030405Z.dump.partial")).toBeNull();
  });

  it("keep the newest N, whatever order the directory lists them in, and nothing else is pruned", () => {
    const names = [
      "better-uptime-20261203T020000Z.dump",
      "README.txt",
      "better-uptime-20261201T020000Z.embedded.tar.gz",
      "better-uptime-20261204T020000Z.dump",
      "better-uptime-20261202T020000Z.dump",
    ];
    expect(backupsToPrune(names, 2)).toEqual([
      "better-uptime-20261201T020000Z.embedded.tar.gz",
      "better-uptime-20261202T020000Z.dump",
    ]);
    expect(backupsToPrune(names, 10)).toEqual([]);
  });
});

describe("the client tools for an external server", () => {
  const found = [
    { path: "/usr/lib/postgresql/15/bin/pg_dump", major: 15 },
    { path: "/usr/lib/postgresql/17/bin/pg_dump", major: 17 },
    { path: "/usr/bin/pg_dump", major: 16 },
  ];

  it("are the server's own version, else the newest newer one, never an older one", () => {
    expect(pickTool(found, 16)?.path).toBe("/usr/bin/pg_dump");
    expect(pickTool(found, 14)?.major).toBe(17);
    expect(pickTool(found, 12)?.major).toBe(17);
    expect(pickTool([found[1]!, found[0]!], 13)?.major).toBe(17);
    expect(pickTool(found, 18)).toBeUndefined();
  });

  it("when missing, are named with the version needed and how to get it", () => {
    expect(missingToolMessage("pg_dump", 18, found)).toBe(
      "the server is PostgreSQL 18 and needs pg_dump 18 or newer (found pg_dump 15, pg_dump 17, pg_dump 16): " +
        "install PostgreSQL 18's client tools (Debian/Ubuntu: apt-get install postgresql-client-18) or set PG_BIN_DIR to their directory",
    );
  });
});
