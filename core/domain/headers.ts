import { z } from "zod";

/** A monitor's request headers, as stored in its JSON column. */
export type StoredHeader = { name: string; value: string };

const StoredHeaders = z.array(z.object({ name: z.string(), value: z.string() }));

/** The JSON column, checked: a malformed value reads as no headers rather than crashing. */
export function storedHeaders(json: unknown): StoredHeader[] {
  const parsed = StoredHeaders.safeParse(json);
  return parsed.success ? parsed.data : [];
}
