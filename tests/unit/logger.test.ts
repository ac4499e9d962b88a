import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../core/logger.ts";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger("info", stream), output: () => lines.join("") };
}

describe("secret leaks through logs", () => {
  it("a secret nested deep in a logged object is redacted", () => {
    const { logger, output } = capture();
    logger.info(
      {
        channel: {
          name: "hooks",
          config: { signingSecret: "whsec_leak1", headers: { Authorization: "Bearer bu_leak2" } },
        },
        request: { headers: { cookie: "__session=leak3" } },
        users: [{ email: "a@example.test", password: "leak4" }],
        telegram: { botToken: "123:leak5", chatId: "-100" },
        pagerduty: { routing_key: "leak6" },
        gotify: { headers: { "X-Gotify-Key": "leak7" } },
      },
      "something happened",
    );
    const line = output();
    for (const secret of ["whsec_leak1", "bu_leak2", "leak3", "leak4", "leak5", "leak6", "leak7"]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('"name":"hooks"');
    expect(line).toContain('"email":"a@example.test"');
    expect(line).toContain("[redacted]");
  });

  it("errors keep their message and stack", () => {
    const { logger, output } = capture();
    logger.error({ err: new Error("disk full") }, "request failed");
    expect(output()).toContain("disk full");
  });
});
