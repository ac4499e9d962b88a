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
/** Deeper than any input of ours: no form or API input nests more than a few levels. */
export const MAX_INPUT_DEPTH = 32;

/** What is wrong where: a character PostgreSQL cannot store, or nesting past MAX_INPUT_DEPTH. */
export interface UnstorableInput {
  /** The field path ("name", "monitors.0.displayName"); [] for the value itself. */
  path: string[];
  problem: "character" | "depth";
}

/**
 * Where in `value` (a user's input) lies text PostgreSQL cannot store, or nesting deeper
 * than any input of ours (at the depth reached); null when there is none.
 */
export function unstorableInputAt(value: unknown, path: string[] = []): UnstorableInput | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? { path, problem: "character" } : null;
  if (value === null || typeof value !== "object") return null;
  if (path.length >= MAX_INPUT_DEPTH) return { path, problem: "depth" };
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return { path, problem: "character" };
    const found = unstorableInputAt(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

/**
 * A field path for messages: segments joined by dots, each cut to 40 characters (the
 * keys are the sender's, and may be as long as the body allows).
 */
export function fieldPathOf(path: readonly string[]): string {
  return path.map((key) => (key.length > 40 ? `${key.slice(0, 40)}…` : key)).join(".");
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
