/**
 * Expected status codes, written as users write them: "200-299,301", "200", "2xx".
 * Shared by the forms (validation), the API (zod) and the check workers (matching).
 */
export interface StatusRange {
  from: number;
  to: number;
}

export type ParsedStatusCodes = { ok: true; ranges: StatusRange[] } | { ok: false; error: string };

const MAX_PARTS = 20;

export function parseStatusCodes(spec: string): ParsedStatusCodes {
  const parts = spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, error: "List at least one status code, e.g. 200-299" };
  if (parts.length > MAX_PARTS) return { ok: false, error: `At most ${MAX_PARTS} codes or ranges` };
  const ranges: StatusRange[] = [];
  for (const part of parts) {
    const range = parsePart(part);
    if (typeof range === "string") return { ok: false, error: range };
    ranges.push(range);
  }
  return { ok: true, ranges };
}

function parsePart(part: string): StatusRange | string {
  const family = /^([1-5])xx$/i.exec(part);
  if (family) return { from: Number(family[1]) * 100, to: Number(family[1]) * 100 + 99 };
  const match = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
  if (!match) return `"${part}" is not a status code or range (e.g. 200, 200-299, 3xx)`;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from < 100 || to > 599) return `"${part}": status codes run from 100 to 599`;
  if (from > to) return `"${part}": the range starts after it ends`;
  return { from, to };
}

export function statusMatches(ranges: readonly StatusRange[], status: number): boolean {
  return ranges.some((range) => status >= range.from && status <= range.to);
}
