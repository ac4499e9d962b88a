/**
 * Logo decodes run in one bounded lane per process (app/server/services/status-pages/
 * logo-image.server.ts): one at a time, LOGO_LANE.waiting more queued, and any further
 * upload is refused at once with a 429-kind error that says when to retry — so a burst of
 * uploads never holds more than one decoded image in memory.
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { isServiceError } from "../../app/server/services/errors.server.ts";
import { decodeLogo, LOGO_LANE } from "../../app/server/services/status-pages/logo-image.server.ts";

describe("the logo lane", () => {
  it("decodes one at a time with a few waiting, and refuses the rest at once as busy, saying when to retry", async () => {
    const png = await sharp({ create: { width: 600, height: 600, channels: 3, background: "#c81e1e" } })
      .png()
      .toBuffer();
    const burst = LOGO_LANE.concurrency + LOGO_LANE.waiting + 5;
    // All in one tick, as a burst of requests arriving together.
    const results = await Promise.allSettled(Array.from({ length: burst }, () => decodeLogo(png)));
    const decoded = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result) => result.status === "rejected").map((result) => result.reason as unknown);
    expect(decoded).toHaveLength(LOGO_LANE.concurrency + LOGO_LANE.waiting);
    for (const result of decoded) expect(result.value).toMatchObject({ ok: true, contentType: "image/png" });
    expect(refused).toHaveLength(5);
    for (const reason of refused) {
      expect(isServiceError(reason, "RATE_LIMITED")).toBe(true);
      expect(reason).toMatchObject({
        retryAfterSeconds: LOGO_LANE.retryAfterSeconds,
        message: `Too many logos are being processed right now. Try again in ${LOGO_LANE.retryAfterSeconds} seconds.`,
      });
    }
    // The lane is free again once the burst is through.
    expect(await decodeLogo(png)).toMatchObject({ ok: true });
  });
});
