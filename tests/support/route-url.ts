/**
 * A flat route file's URL (Remix v2 conventions; params as they go in the URL): dots separate segments, `$name` is a
 * param and `$` a splat, `[…]` is literal, a trailing `_` leaves its parent's layout,
 * `_index` is the index, `?index` marks its form posts.
 */
export function routeUrl(file: string, params: Record<string, string>): { url: string; index: boolean } {
  const segments: string[] = [];
  let current = "";
  let literal = false;
  for (const char of file.replace(/\.tsx?$/, "")) {
    if (char === "[") literal = true;
    else if (char === "]") literal = false;
    else if (char === "." && !literal) {
      segments.push(current);
      current = "";
    } else current += char;
  }
  segments.push(current);
  const index = segments.at(-1) === "_index";
  const parts = segments
    .filter((segment) => segment !== "_index")
    .map((segment) => segment.replace(/_$/, ""))
    .map((segment) => (segment === "$" ? "x" : segment.replace(/^\$(\w+)/, (_, name: string) => params[name] ?? "x")));
  return { url: `/${parts.join("/")}`, index };
}
