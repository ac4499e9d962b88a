/**
 * Turning what procedures throw into what a form shows: the field errors for each
 * input, or one message for the form, with a fitting HTTP status. Unexpected errors
 * are rethrown (the route's error boundary shows a generic page; the log has details).
 */
import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { isServiceError } from "../../server/services/errors.server.ts";
import { retryAfterHeaders } from "../../trpc/retry-after.server.ts";

export interface ActionErrors {
  formError?: string;
  fieldErrors?: Record<string, string[] | undefined>;
}

export const STATUS: Partial<Record<TRPCError["code"], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TOO_MANY_REQUESTS: 429,
  // The database had no room for the request just now (core/db/busy.ts): try again.
  SERVICE_UNAVAILABLE: 503,
};

/**
 * The code a procedure refused with (`NOT_FOUND`, `BAD_REQUEST`, `UNAUTHORIZED`, …), or
 * null for anything else — a bug or a lost database, which no route may answer as if the
 * caller had asked for something wrong. Routes ask this, never `TRPCError` themselves.
 */
export function refusalCode(error: unknown): TRPCError["code"] | null {
  return error instanceof TRPCError && STATUS[error.code] !== undefined ? error.code : null;
}

/** What a service threw, under the tRPC error a procedure wraps it in (or the error itself). */
export function serviceCause(error: unknown): unknown {
  return error instanceof TRPCError && error.cause ? error.cause : error;
}

/**
 * `extra` is merged into the response (e.g. which of a page's forms failed). Service
 * errors are recognised by their code, not their class (see services/errors.server.ts).
 */
export function actionError<Extra extends object = object>(error: unknown, extra?: Extra) {
  const cause = serviceCause(error);
  const reply = (errors: ActionErrors, status: number) =>
    data({ ...(extra as Extra), ...errors }, { status, headers: retryAfterHeaders(error) });
  if (cause instanceof ZodError) return reply({ fieldErrors: z.flattenError(cause).fieldErrors }, 400);
  if (isServiceError(cause, "INVALID")) return reply({ fieldErrors: cause.fieldErrors }, 400);
  if (error instanceof TRPCError && STATUS[error.code]) return reply({ formError: error.message }, STATUS[error.code]!);
  throw error;
}

/**
 * For forms that show one line: the first field error or the form's message, with the
 * status and headers (`Retry-After`) `actionError` chose. Unexpected errors are rethrown.
 */
export function actionErrorLine(error: unknown): {
  message: string | undefined;
  status: number;
  headers: Record<string, string>;
} {
  const result = actionError(error);
  const body = result.data;
  return {
    message: body.fieldErrors ? Object.values(body.fieldErrors).flat()[0] : body.formError,
    status: result.init?.status ?? 400,
    headers: retryAfterHeaders(error),
  };
}

/** The first message a procedure's refusal gives for one field (a ValidationError's or zod's), if any. */
export function fieldMessage(error: unknown, field: string): string | undefined {
  const cause = serviceCause(error);
  if (isServiceError(cause, "INVALID")) return cause.fieldErrors[field]?.[0];
  if (cause instanceof ZodError)
    return (z.flattenError(cause).fieldErrors as Record<string, string[] | undefined>)[field]?.[0];
  return undefined;
}

/** The form's fields as strings (file inputs and repeated names are not used here). */
export function formFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") fields[key] = value;
  return fields;
}

/**
 * For loaders: a procedure's refusal (not found, forbidden, bad input, too many
 * requests) becomes the HTTP answer the loader throws — an unknown id in a URL is a 404
 * page, not a 500. Anything else is rethrown.
 */
export async function orHttpError<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const code = refusalCode(error);
    const status = code ? STATUS[code] : undefined;
    if (status) {
      throw new Response(error instanceof Error ? error.message : "Refused", {
        status,
        headers: retryAfterHeaders(error),
      });
    }
    throw error;
  }
}
