import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../core/db/client.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { closedPort } from "../support/ports.ts";

const db = testDb();
afterAll(() => db.$disconnect());

describe("health procedure", () => {
  it("reports the database up when it answers", async () => {
    expect(await callerFor(db).health()).toMatchObject({ status: "ok", database: "up" });
  });

  it("reports the database down when it does not", async () => {
    const port = await closedPort();
    const unreachable = createDb(`postgresql://app@127.0.0.1:${port}/uptime`);
    try {
      expect(await callerFor(unreachable).health()).toMatchObject({ status: "degraded", database: "down" });
    } finally {
      await unreachable.$disconnect();
    }
  });
});
