/**
 * Status page logos, uploaded by the owner and served by the app. The type is read from
 * the bytes, never taken from the upload's name or declared type: only PNG, JPEG and
 * WebP pass (an SVG, or HTML claiming to be an image, could carry script).
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { MAX_LOGO_BYTES, type SetLogoInput } from "~/lib/status-pages/status-page-input.ts";
import { ValidationError } from "../errors.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { assertPageOpen, type AccessProof } from "./page-access.server.ts";
import { ownedPage } from "./owned-page.server.ts";

export type LogoType = "image/png" | "image/jpeg" | "image/webp";

/** The image type the bytes are (pure), or null. */
export function sniffImageType(bytes: Uint8Array): LogoType | null {
  const starts = (signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp"; // RIFF….WEBP
  return null;
}

/** Where visitors' browsers fetch it: our own origin, with a version so caches renew on change. */
export function logoPath(slug: string, sha256: string): string {
  return `/status/${slug}/logo?v=${sha256.slice(0, 12)}`;
}

export async function setLogo(ctx: OwnerScope, input: z.output<typeof SetLogoInput>): Promise<{ logoUrl: string }> {
  const page = await ownedPage(ctx.db, ctx.userId, input.id);
  const bytes = Buffer.from(input.image, "base64");
  if (bytes.length === 0) throw new ValidationError({ image: ["Choose an image file"] });
  if (bytes.length > MAX_LOGO_BYTES) throw new ValidationError({ image: ["The logo may be at most 256 KiB"] });
  const contentType = sniffImageType(bytes);
  if (!contentType) throw new ValidationError({ image: ["Upload a PNG, JPEG or WebP image"] });
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  await ctx.db.statusPageLogo.upsert({
    where: { statusPageId: page.id },
    create: { statusPageId: page.id, contentType, bytes, sha256 },
    update: { contentType, bytes, sha256 },
  });
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
  return { logoUrl: logoPath(page.slug, sha256) };
}

export async function removeLogo(ctx: OwnerScope, { id: pageId }: { id: string }): Promise<{ removed: boolean }> {
  const page = await ownedPage(ctx.db, ctx.userId, pageId);
  const { count } = await ctx.db.statusPageLogo.deleteMany({ where: { statusPageId: page.id } });
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
  return { removed: count > 0 };
}

/** A published page's logo, for visitors (base64: the procedure's answer is JSON over /api/trpc). */
export async function publishedLogo(
  scope: Scope,
  { slug, access }: { slug: string; access?: AccessProof | undefined },
) {
  const page = await scope.read((db) =>
    db.statusPage.findFirst({
      where: { slug, isPublished: true },
      select: { visibility: true, logo: { select: { contentType: true, bytes: true, sha256: true } } },
    }),
  );
  if (!page?.logo) return null;
  await assertPageOpen(scope, slug, page.visibility, access ?? {});
  const { contentType, bytes, sha256 } = page.logo;
  return { contentType, sha256, base64: Buffer.from(bytes).toString("base64"), private: page.visibility === "PRIVATE" };
}
