/**
 * What every importer of a setup document shares: the run (the account's keys as it
 * goes), how an item matches what an earlier import made, and the small helpers for
 * references, notes and per-item validation.
 */
import { z } from "zod";
import { ValidationError } from "../errors.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import type { Keys } from "./entries.server.ts";

export type Outcome =
  { result: "created" | "updated" | "unchanged"; note?: string } | { result: "skipped"; note: string };

/** What one import knows as it goes: key → id of the account's channels and monitors. */
export interface Run {
  scope: OwnerScope;
  includesSecrets: boolean;
  keys: Keys;
  idsByKey: { channels: Map<string, string>; monitors: Map<string, string> };
}

export function invert(map: Map<string, string>): Map<string, string> {
  return new Map([...map].map(([id, key]) => [key, id]));
}

/** Keys that name something in the account, as ids; and the ones that do not. */
export function resolve(keys: string[], ids: Map<string, string>): { ids: string[]; missing: string[] } {
  const found = keys.filter((key) => ids.has(key));
  return { ids: found.map((key) => ids.get(key)!), missing: keys.filter((key) => !ids.has(key)) };
}

export const missingNote = (what: string, missing: string[]) =>
  missing.length ? `${what} not in this account, left out: ${missing.join(", ")}` : undefined;

export const notes = (...parts: (string | undefined)[]) => parts.filter(Boolean).join("; ") || undefined;

/** The input a service takes, or a ValidationError naming the fields (the item is skipped, the rest go on). */
export function validated<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { formErrors, fieldErrors } = z.flattenError(parsed.error);
  throw new ValidationError({
    ...(fieldErrors as Record<string, string[]>),
    ...(formErrors.length ? { item: formErrors } : {}),
  });
}

/** Matches an item: the key an import gave it, else (exported, never imported) its id. */
export const byKey = (userId: string, key: string) => ({
  userId,
  OR: [{ importKey: key }, { id: key, importKey: null }],
});
