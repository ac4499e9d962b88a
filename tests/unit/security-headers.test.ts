import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, surfaceOf } from "../../app/host/security-headers.server.ts";

describe("security headers", () => {
  it("give each path the policy of what it serves", () => {
    expect(surfaceOf("/monitors")).toBe("app");
    expect(surfaceOf("/account")).toBe("app");
    expect(surfaceOf("/status/acme")).toBe("public");
    expect(surfaceOf("/status/acme/confirm")).toBe("public");
    for (const path of [
      "/status/acme.json",
      "/status/acme/feed.atom",
      "/status/acme/badge/x/status.svg",
      "/api/trpc/health",
    ])
      expect(surfaceOf(path), path).toBe("data");
  });

  it("clickjacking: the app cannot be framed; public pages can be embedded by choice", () => {
    expect(contentSecurityPolicy("app", "n0nce", [])).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy("public", "n0nce", [])).not.toContain("frame-ancestors");
  });

  it("script injection: the app runs only its own scripts and those carrying this request's nonce", () => {
    const policy = contentSecurityPolicy("app", "n0nce", ["https://github.com"]);
    expect(policy).toMatch(/script-src 'self' 'nonce-n0nce' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    const scriptSrc = policy.split("; ").find((directive) => directive.startsWith("script-src "))!;
    expect(scriptSrc).not.toContain("unsafe-inline");
    expect(scriptSrc).not.toContain("unsafe-eval");
    expect(policy).toContain("form-action 'self' https://github.com");
    expect(contentSecurityPolicy("public", "n0nce", [])).not.toContain("nonce");
    expect(contentSecurityPolicy("data", "n0nce", [])).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
  });
});
