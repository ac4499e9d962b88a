/**
 * Names the API used before the model was renamed from `Website` to `Monitor` (issue 27).
 * Inputs still accept them and answers still carry them, beside the new names, until a
 * documented deprecation (docs/api.md, "Deprecated names"): a script written against an
 * earlier release keeps working. The new name wins when a caller sends both.
 */
import { z } from "zod";

/** The schema of an input field's old name: the same type, optional, marked deprecated. */
export function oldName<T extends z.ZodType>(schema: T, newName: string) {
  return schema.optional().meta({ deprecated: true, description: `Deprecated: the earlier name of \`${newName}\`.` });
}

/**
 * A transform that reads a field under its new name, or else its old one, and passes it
 * on under the new name only. When neither is sent: `missing.fallback` if given, or else
 * `missing.required` is the error, reported on the new name (what the form shows).
 */
export function fromOldName<N extends string, O extends string>(
  newKey: N,
  oldKey: O,
  missing: { required: string } | { fallback: unknown },
) {
  return <T extends { [K in N | O]?: unknown }>(
    input: T,
    ctx: z.core.$RefinementCtx<T>,
  ): Omit<T, N | O> & { [K in N]: NonNullable<T[N]> } => {
    const { [newKey]: value, [oldKey]: old, ...rest } = input;
    const chosen = value ?? old ?? ("fallback" in missing ? missing.fallback : undefined);
    if (chosen === undefined) {
      ctx.addIssue({ code: "custom", path: [newKey], message: "required" in missing ? missing.required : "" });
      return z.NEVER;
    }
    return { ...rest, [newKey]: chosen } as never;
  };
}

/** An answer's row with its `monitorId` also under the old name. */
export function withWebsiteId<T extends { monitorId: string | null }>(
  row: T,
): T & {
  /** @deprecated The earlier name of `monitorId`. */
  websiteId: T["monitorId"];
} {
  return { ...row, websiteId: row.monitorId };
}

/** An answer's row with its `monitorIds` also under the old name. */
export function withWebsiteIds<T extends { monitorIds: string[] }>(
  row: T,
): T & {
  /** @deprecated The earlier name of `monitorIds`. */
  websiteIds: string[];
} {
  return { ...row, websiteIds: row.monitorIds };
}
