/**
 * The one way an action reads its form. `request.formData()` throws a TypeError on a body
 * that is not a form (`application/json`, `text/plain`, no Content-Type) or on a form it
 * cannot parse (a multipart body without its boundary), and an action that lets it
 * through answers 500. Here the first is a 415 and the second a 400, each saying what to
 * send instead: nothing a user sends may answer 500. ESLint refuses `formData()` anywhere
 * else in app/ (eslint.boundaries.js), and tests/built/fuzz.test.ts posts such bodies to
 * every route with an action.
 */

/** The bodies a browser's form sends; everything else is refused before parsing. */
export const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

/** The media type of a Content-Type header, lower-cased and without parameters ("" when absent). */
export function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Why a body is refused, or null for a form type. Pure, so the wording is tested once. */
export function formTypeRefusal(contentType: string | null): string | null {
  const type = mediaTypeOf(contentType);
  if ((FORM_TYPES as readonly string[]).includes(type)) return null;
  // Named back only when it looks like a media type: no one's text is echoed into a page.
  const got = /^[\w.+-]{1,64}\/[\w.+-]{1,64}$/.test(type) ? type : type ? "another type" : "none";
  return `Send this form as ${FORM_TYPES.join(" or ")} (the request's Content-Type: ${got}).`;
}

function refuse(status: 400 | 415, message: string): Response {
  return new Response(message, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/**
 * The request's form, or a thrown 415 (not a form type) / 400 (a form that cannot be
 * parsed) Response, which Remix answers with the route's error page or, for a
 * `.data` request, the status and message.
 */
export async function readForm(request: Request): Promise<FormData> {
  const refusal = formTypeRefusal(request.headers.get("content-type"));
  if (refusal) throw refuse(415, refusal);
  try {
    return await request.formData();
  } catch {
    throw refuse(
      400,
      mediaTypeOf(request.headers.get("content-type")) === "multipart/form-data"
        ? "The form could not be read: its multipart body is malformed (no boundary, another boundary, or cut short)."
        : "The form could not be read.",
    );
  }
}
