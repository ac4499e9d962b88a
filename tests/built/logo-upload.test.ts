/**
 * Decompression bombs on the built server: a logo file of a few hundred bytes that claims
 * an enormous image is refused with a 400 naming the limit, from its header, before any
 * pixel is decoded — through the API and the page's upload form alike — and the server's
 * peak memory does not grow by the gigabytes decoding it would take. Timings are not
 * asserted (benchmarks measure those); memory is, from /proc.
 */
import { readFileSync } from "node:fs";
import { deflateSync, crc32 } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { answerOf, builtApi, builtDb, builtUrl, credentialsOf } from "../support/built-client.ts";
import { callerFor } from "../support/caller.ts";
import { createUser, unique } from "../support/factories.ts";

const db = builtDb();
let token: string;
let cookie: string;
let pageId: string;

beforeAll(async () => {
  const user = await createUser(db);
  ({ token, cookie } = await credentialsOf(db, user.id));
  pageId = (await callerFor(db, { user }).statusPage.create({ name: "Bombs", slug: unique("bombs") })).id;
});
afterAll(() => db.$disconnect());

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A well-formed PNG header claiming width × height RGB pixels, with one row of data: a few hundred bytes. */
function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.alloc(64))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const tiny = (format: "jpeg" | "webp") =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
    [format](format === "webp" ? { lossless: true } : {})
    .toBuffer();

/** A real 8 × 8 JPEG whose frame header (SOF0) then claims width × height. */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(await tiny("jpeg"));
  const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(height, frame + 5);
  jpeg.writeUInt16BE(width, frame + 7);
  return jpeg;
}

/** A real 8 × 8 lossless WebP whose VP8L header then claims width × height (14 bits each, minus one). */
async function webpClaiming(width: number, height: number): Promise<Buffer> {
  const webp = Buffer.from(await tiny("webp"));
  const at = webp.indexOf("VP8L") + 8 + 1; // chunk name, size, signature byte
  const bits = webp.readUInt32LE(at);
  webp.writeUInt32LE(((bits & ~0x0fffffff) | (width - 1) | ((height - 1) << 14)) >>> 0, at);
  return webp;
}

/** The built server's peak resident memory so far, in bytes (VmHWM). */
function peakMemory(): number {
  const status = readFileSync(`/proc/${inject("builtPid")}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const TOO_LARGE = "The image is too large: at most 4096 × 4096 pixels";

describe("logo decompression bombs, on the built server", () => {
  it("are refused with a 400 naming the limit, through the API and the form, without the memory decoding takes", async () => {
    const bombs: [string, Buffer, string][] = [
      // 10^10 pixels: 30 GB decoded.
      ["PNG claiming 100000 × 100000", pngClaiming(100_000, 100_000), TOO_LARGE],
      ["JPEG claiming 65500 × 65500", await jpegClaiming(65_500, 65_500), TOO_LARGE],
      ["WebP claiming 16383 × 16383", await webpClaiming(16_383, 16_383), TOO_LARGE],
      // Past what libpng itself reads: no image at all.
      ["PNG claiming 2^31−1 × 2^31−1", pngClaiming(2 ** 31 - 1, 2 ** 31 - 1), "This file is not a valid PNG image"],
    ];
    for (const [name, bomb] of bombs) expect(bomb.length, name).toBeLessThan(64 * 1024);
    const before = peakMemory();
    const api = builtApi({ token });
    for (const [name, bomb, reason] of bombs) {
      const answer = await answerOf(api.statusPage.setLogo.mutate({ id: pageId, image: bomb.toString("base64") }));
      expect(answer.status, name).toBe(400);
      expect(answer.data?.fieldErrors, name).toEqual({ image: [reason] });

      // The page's upload form (multipart, as the browser sends it), with JavaScript.
      const form = new FormData();
      form.set("intent", "logo");
      form.set("logo", new Blob([new Uint8Array(bomb)]), "logo");
      const posted = await fetch(`${builtUrl()}/status-pages/${pageId}.data`, {
        method: "POST",
        headers: { cookie, origin: builtUrl() },
        body: form,
      });
      expect(posted.status, name).toBe(400);
      expect(await posted.text(), name).toContain(reason);
    }
    // Decoding any one of them would take gigabytes; refusing them takes next to nothing.
    expect(peakMemory() - before).toBeLessThan(128 * 1024 * 1024);
    expect((await fetch(`${builtUrl()}/healthz`)).status).toBe(200);
    expect(await db.statusPageLogo.count({ where: { statusPageId: pageId } })).toBe(0);
  });
});
