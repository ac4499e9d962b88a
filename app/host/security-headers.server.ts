/**
 * Security headers on every answer. Three policies, by what is served:
 *  - the app (dashboard, account, forms): scripts only from this origin, or inline with
 *    this request's nonce (Remix's own) or the theme script's hash — no inline handlers,
 *    no other origin; never framed (`frame-ancestors 'none'`, X-Frame-Options);
 *  - public status pages: no scripts but the theme script; embeddable in others' pages;
 *  - data (feed, JSON, SVG badges, the API): a sandbox with nothing to run, so such an
 *    answer opened in a browser from our origin can never act as our origin.
 * Plus `nosniff`, a referrer policy, and HSTS in production.
 */
import { createHash, randomBytes } from "node:crypto";
import type { RequestHandler } from "express";
import { THEME_SCRIPT } from "~/lib/theme-script.ts";
import type { Env } from "../../core/env.ts";

const THEME_HASH = `'sha256-${createHash("sha256").update(THEME_SCRIPT).digest("base64")}'`;

export type Surface = "app" | "public" | "data";

/** Which policy a path gets (after custom-domain rewriting). Pure. */
export function surfaceOf(path: string): Surface {
  if (path.startsWith("/api/") || path === "/healthz") return "data";
  if (path.startsWith("/status/")) {
    return /\.(json|atom|svg)$/.test(path) || path.includes("/badge/") || path.endsWith("/logo") ? "data" : "public";
  }
  return "app";
}

export function contentSecurityPolicy(surface: Surface, nonce: string, formTargets: readonly string[]): string {
  switch (surface) {
    case "data":
      return "default-src 'none'; style-src 'unsafe-inline'; sandbox";
    case "public":
      return [
        "default-src 'none'",
        `script-src ${THEME_HASH}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "form-action 'self'",
        "base-uri 'none'",
      ].join("; ");
    case "app":
      return [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}' ${THEME_HASH}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        ["form-action 'self'", ...formTargets].join(" "),
        "frame-ancestors 'none'",
      ].join("; ");
  }
}

export function securityHeaders(env: Pick<Env, "NODE_ENV" | "GITHUB_AUTHORIZE_URL">): RequestHandler {
  // Signing in with GitHub posts a form that redirects there.
  const formTargets = [new URL(env.GITHUB_AUTHORIZE_URL).origin];
  return (req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    const surface = surfaceOf(req.path);
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(surface, nonce, formTargets));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    if (surface === "app") res.setHeader("X-Frame-Options", "DENY");
    if (env.NODE_ENV === "production") res.setHeader("Strict-Transport-Security", "max-age=31536000");
    next();
  };
}
