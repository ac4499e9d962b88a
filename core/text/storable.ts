/**
 * Text from the outside world (response bodies and headers, error messages, names)
 * made storable in PostgreSQL before it reaches SQL: `text` and `jsonb` refuse NUL, and
 * `jsonb` refuses lone UTF-16 surrogates. One such character in one record would fail
 * the whole statement it travels in, with every other tenant's rows in it. (Invalid
 * UTF-8 has already become U+FFFD when the bytes were decoded.)
 */

const REPLACEMENT = "\uFFFD";
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_DEPTH = 32;

/**
 * Where in `value` (a user's input) lies text PostgreSQL cannot store, as a field path
 * ("name", "monitors.0.displayName"), "" for the value itself; null when there is none.
 * Nesting deeper than any input of ours counts as unstorable, at the depth reached.
 */
export function unstorableTextAt(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path.join(".") : null;
  if (value === null || typeof value !== "object") return null;
  if (path.length >= MAX_DEPTH) return path.join(".");
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return path.join(".");
    const found = unstorableTextAt(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

/** NUL and lone surrogates replaced by U+FFFD; at most `maxLength` UTF-16 units. */
export function storableText(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  // Cutting first may split a surrogate pair: the replacement below then mends its half.
  const cut = text.length > maxLength ? text.slice(0, maxLength) : text;
  return cut.replace(NUL, REPLACEMENT).replace(LONE_SURROGATE, REPLACEMENT);
}

export function storableOptionalText(text: string | null | undefined, maxLength?: number): string | null {
  return text === null || text === undefined ? null : storableText(text, maxLength);
}

/** A string-keyed map of strings (headers), each key and value made storable. */
export function storableRecord(record: Record<string, string>, maxValueLength: number): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(record))
    clean[storableText(key, 256)] = storableText(value, maxValueLength);
  return clean;
}
