/**
 * Status page logos, uploaded by the owner and served by the app. The type is read from
 * the bytes, never taken from the upload's name or declared type, and the image is
 * decoded and encoded again before it is stored (logo-image.server.ts): only real PNG,
 * JPEG and WebP images pass (an SVG, or HTML claiming to be an image, could carry script).
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { logoPath } from "~/lib/status-pages/logo-path.ts";
import { MAX_LOGO_BYTES, type SetLogoInput } from "~/lib/status-pages/status-page-input.ts";
import { ValidationError } from "../errors.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { assertPageOpen, type AccessProof } from "./page-access.server.ts";
import { decodeLogo } from "./logo-image.server.ts";

export async function setLogo(ctx: OwnerScope, input: z.output<typeof SetLogoInput>): Promise<{ logoUrl: string }> {
  const page = await ctx.own.page(input.id);
  const bytes = Buffer.from(input.image, "base64");
  if (bytes.length === 0) throw new ValidationError({ image: ["Choose an image file"] });
  if (bytes.length > MAX_LOGO_BYTES) throw new ValidationError({ image: ["The logo may be at most 256 KiB"] });
  const decoded = await decodeLogo(bytes);
  if (!decoded.ok) throw new ValidationError({ image: [decoded.reason] });
  const { contentType } = decoded;
  const stored = new Uint8Array(decoded.bytes);
  const sha256 = createHash("sha256").update(stored).digest("hex");
  await ctx.db.statusPageLogo.upsert({
    where: { statusPageId: page.id },
    create: { statusPageId: page.id, contentType, bytes: stored, sha256 },
    update: { contentType, bytes: stored, sha256 },
  });
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
  return { logoUrl: logoPath(page.slug, sha256) };
}

export async function removeLogo(ctx: OwnerScope, { id: pageId }: { id: string }): Promise<{ removed: boolean }> {
  const page = await ctx.own.page(pageId);
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
