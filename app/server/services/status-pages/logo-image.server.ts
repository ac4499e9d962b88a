/**
 * A logo's bytes, decoded by an image library (sharp, on libvips) and encoded again
 * before they are stored — never judged by their first bytes alone. A file that only
 * starts like a PNG, a truncated one or a decompression bomb is refused; what is stored
 * is pixels we wrote ourselves: no metadata (EXIF, GPS, comments), no trailing data (a
 * polyglot's script), at most MAX_LOGO_SIDE pixels a side.
 *
 * libvips reads many formats (SVG, PDF, TIFF, HEIF…); this process lets it load only
 * PNG, JPEG and WebP from memory, so nothing else is ever parsed, whatever the bytes say.
 *
 * What one decode may cost is bounded before it starts: the header is read first (no
 * pixel decoded) and an image claiming more than MAX_LOGO_INPUT_PIXELS is refused; the
 * decode itself is capped at that too (`limitInputPixels`), so at most 4096 × 4096 × 4
 * bytes (64 MiB) are ever held for one logo. Decodes run in one bounded lane per process
 * (LOGO_LANE: one at a time, a few waiting, then 429 "busy"), so a burst of uploads never
 * holds more than one such buffer, and takes at most one of libuv's four threads, which
 * argon2, DNS and fs share (see password-work.server.ts). Uploads are also rate-limited
 * per user (`logoUpload`, services/process/rate-limits.server.ts).
 */
import sharp from "sharp";
import { RateLimitedError } from "../errors.server.ts";
import { boundedLane, type LaneLimit } from "../process/password-work.server.ts";

export type LogoType = "image/png" | "image/jpeg" | "image/webp";

/** Larger logos are scaled down to fit (a page shows them a few dozen pixels high). */
export const MAX_LOGO_SIDE = 512;

/** Refused above this, before any pixel is decoded (a small file can claim a huge image). */
export const MAX_LOGO_INPUT_PIXELS = 4096 * 4096;

/** One decode at a time; a few may wait (an owner's retry), then "busy". */
export const LOGO_LANE: LaneLimit = { concurrency: 1, waiting: 4, retryAfterSeconds: 5 };

/** The logo lane is full. */
export class LogoWorkBusyError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    this.message = `Too many logos are being processed right now. Try again in ${retryAfterSeconds} seconds.`;
  }
}

// Only the Remix bundle decodes logos (every route and /api/trpc go through it), so this
// module-level lane is the process's one.
const logoLane = boundedLane(LOGO_LANE, { busy: (seconds) => new LogoWorkBusyError(seconds) });

// No decoded image is kept in libvips' operation cache, and each uses one thread.
sharp.cache(false);
sharp.concurrency(1);
sharp.block({ operation: ["VipsForeignLoad"] });
sharp.unblock({ operation: ["VipsForeignLoadPngBuffer", "VipsForeignLoadJpegBuffer", "VipsForeignLoadWebpBuffer"] });

const FORMAT: Record<LogoType, "png" | "jpeg" | "webp"> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/webp": "webp",
};

const LABEL: Record<LogoType, string> = { "image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP" };

/** The image type the bytes say they are (pure), or null: only a first guess, decoding decides. */
export function sniffImageType(bytes: Uint8Array): LogoType | null {
  const starts = (signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp"; // RIFF….WEBP
  return null;
}

export type DecodedLogo = { ok: true; contentType: LogoType; bytes: Buffer } | { ok: false; reason: string };

/**
 * Decodes the upload fully and encodes it again in its own format, or says why it cannot
 * be a logo; in the logo lane (LogoWorkBusyError when it is full).
 */
export function decodeLogo(upload: Buffer): Promise<DecodedLogo> {
  return logoLane(() => decodeNow(upload));
}

async function decodeNow(upload: Buffer): Promise<DecodedLogo> {
  const contentType = sniffImageType(upload);
  if (!contentType) return { ok: false, reason: "Upload a PNG, JPEG or WebP image" };
  const format = FORMAT[contentType];
  const notImage = { ok: false as const, reason: `This file is not a valid ${LABEL[contentType]} image` };
  try {
    // The header first (no pixel is decoded): the format and the size it claims.
    const metadata = await sharp(upload, { limitInputPixels: false, pages: 1 }).metadata();
    if (metadata.format !== format) return notImage;
    if ((metadata.width ?? 0) * (metadata.height ?? 0) > MAX_LOGO_INPUT_PIXELS) {
      return { ok: false, reason: "The image is too large: at most 4096 × 4096 pixels" };
    }
    // failOn "warning": a truncated or damaged image is refused, not half-decoded.
    const image = sharp(upload, { failOn: "warning", limitInputPixels: MAX_LOGO_INPUT_PIXELS, pages: 1 });
    const scaled = image
      .rotate() // EXIF orientation applied to the pixels, since the metadata is dropped
      .resize({ width: MAX_LOGO_SIDE, height: MAX_LOGO_SIDE, fit: "inside", withoutEnlargement: true });
    const encoded =
      format === "png"
        ? scaled.png({ compressionLevel: 9 })
        : format === "jpeg"
          ? scaled.jpeg({ quality: 90 })
          : scaled.webp({ quality: 90 });
    // sharp writes no metadata unless asked (keepMetadata/withMetadata): none is kept.
    return { ok: true, contentType, bytes: await encoded.toBuffer() };
  } catch {
    return notImage;
  }
}
