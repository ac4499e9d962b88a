/** The cookie that opens one private status page (per slug, so each page keeps its own). Isomorphic. */
export function accessCookieName(slug: string): string {
  return `bu_page_${slug}`;
}

/** A cookie's value from a Cookie header, or null. */
export function cookieValue(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}
