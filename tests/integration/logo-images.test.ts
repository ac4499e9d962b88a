/**
 * Logos are decoded by an image library before they are stored (issue 25, item 12): a
 * file is judged by whether it decodes, not by its first bytes, and what is stored and
 * served is an image we encoded ourselves — no metadata, nothing after the pixels.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as logoLoader } from "../../app/routes/status.$slug_.logo.ts";
import { callerFor, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";

const db = testDb();
let api: ReturnType<typeof callerFor>;
let page: { id: string; slug: string };

beforeAll(async () => {
  const owner = await createUser(db);
  api = callerFor(db, { user: owner });
  page = await api.statusPage.create({ name: "Logos", slug: unique("logos") });
  await api.statusPage.setPublished({ id: page.id, isPublished: true });
});
afterAll(() => db.$disconnect());

/** The field errors an upload is refused with (it must be refused). */
async function refusal(image: Buffer): Promise<Record<string, string[]> | undefined> {
  const error = (await api.statusPage.setLogo({ id: page.id, image: image.toString("base64") }).then(
    () => null,
    (caught: unknown) => caught,
  )) as { code: string; cause?: { fieldErrors?: Record<string, string[]> } } | null;
  expect(error, "the upload was refused").not.toBeNull();
  expect(error!.code).toBe("BAD_REQUEST");
  return error!.cause?.fieldErrors;
}

/** The logo as a visitor's browser gets it. */
async function served(): Promise<{ type: string | null; bytes: Buffer }> {
  const { logoUrl } = await api.statusPage.public({ slug: page.slug });
  const answer = await logoLoader({
    request: new Request(`http://127.0.0.1:3000${logoUrl}`),
    params: { slug: page.slug },
    context: testContext(db),
  });
  return { type: answer.headers.get("content-type"), bytes: Buffer.from(await answer.arrayBuffer()) };
}

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } });

describe("logo uploads", () => {
  it("refuse a file with a PNG signature and garbage after it, naming the field", async () => {
    const fake = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from("<html><script>alert(1)</script></html>".repeat(20)),
    ]);
    expect(await refusal(fake)).toEqual({ image: ["This file is not a valid PNG image"] });
    // A real PNG cut short is refused too, not half-decoded.
    const png = await solid(64, 64).png().toBuffer();
    expect(await refusal(png.subarray(0, png.length - 20))).toEqual({ image: ["This file is not a valid PNG image"] });
    // A JPEG signature in front of a PNG: the bytes must be what they say.
    expect(await refusal(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png]))).toEqual({
      image: ["This file is not a valid JPEG image"],
    });
  });

  it("keep refusing SVG and other formats the library could read, whatever their content", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>1</script></svg>');
    expect(await refusal(svg)).toEqual({ image: ["Upload a PNG, JPEG or WebP image"] });
    expect(await refusal(await solid(8, 8).gif().toBuffer())).toEqual({ image: ["Upload a PNG, JPEG or WebP image"] });
    expect(await refusal(await solid(8, 8).tiff().toBuffer())).toEqual({ image: ["Upload a PNG, JPEG or WebP image"] });
  });

  it("refuse an image that claims more pixels than a logo may have (a decompression bomb)", async () => {
    const bomb = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: "#000" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(256 * 1024);
    expect(await refusal(bomb)).toEqual({ image: ["The image is too large: at most 4096 × 4096 pixels"] });
  });

  it("store what we encoded: metadata gone, trailing data gone, large ones scaled to 512 pixels", async () => {
    const withExif = await solid(1200, 600)
      .jpeg()
      .withExif({ IFD0: { Copyright: "secret-owner-location", Artist: "secret-artist" } })
      .toBuffer();
    expect(withExif.includes("secret-owner-location")).toBe(true);
    await api.statusPage.setLogo({ id: page.id, image: withExif.toString("base64") });
    const jpeg = await served();
    expect(jpeg.type).toBe("image/jpeg");
    expect(jpeg.bytes.includes("secret-owner-location")).toBe(false);
    expect(jpeg.bytes.includes("secret-artist")).toBe(false);
    const jpegMetadata = await sharp(jpeg.bytes).metadata();
    expect(jpegMetadata).toMatchObject({ format: "jpeg", width: 512, height: 256 });
    expect(jpegMetadata.exif).toBeUndefined();

    // A polyglot: a valid PNG with a script appended. The pixels pass; the script does not.
    const polyglot = Buffer.concat([await solid(32, 32).png().toBuffer(), Buffer.from("<script>alert(1)</script>")]);
    await api.statusPage.setLogo({ id: page.id, image: polyglot.toString("base64") });
    const png = await served();
    expect(png.type).toBe("image/png");
    expect(png.bytes.includes("<script>")).toBe(false);
    expect(await sharp(png.bytes).metadata()).toMatchObject({ format: "png", width: 32, height: 32 });

    const webp = await solid(40, 20).webp().toBuffer();
    await api.statusPage.setLogo({ id: page.id, image: webp.toString("base64") });
    expect(await sharp((await served()).bytes).metadata()).toMatchObject({ format: "webp", width: 40, height: 20 });
  });
});
