/** Where visitors' browsers fetch a page's logo: our own origin, with a version so caches renew on change. */
export function logoPath(slug: string, sha256: string): string {
  return `/status/${slug}/logo?v=${sha256.slice(0, 12)}`;
}
