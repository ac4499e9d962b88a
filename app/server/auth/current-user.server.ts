/**
 * Who is asking: an API token (`Authorization: Bearer …`, for scripts) or the session
 * cookie (browsers). Routes get it through requireCaller/publicCaller (trpc/caller).
 */
import type { RequestContext } from "../app-context.server.ts";
import { userForApiToken } from "../services/auth/api-tokens.server.ts";
import type { CallerUser, SessionUser } from "../services/auth/session-user.server.ts";
import { AuthenticationError } from "../services/errors.server.ts";
import { userForSession } from "../services/auth/sessions.server.ts";
import { readSessionToken } from "./session-cookie.server.ts";

export interface Authenticated {
  user: SessionUser | null;
  /** The session cookie's token (null for API tokens and anonymous requests). */
  sessionToken: string | null;
  via: "session" | "api-token" | null;
  /** The user's last change: reads soon after it go to the primary, not a replica. */
  lastWriteAt: Date | null;
}

/** The user as the app sees them, and when they last wrote (kept apart: not for pages). */
function split(caller: CallerUser): { user: SessionUser; lastWriteAt: Date | null } {
  const { lastWriteAt, ...user } = caller;
  return { user, lastWriteAt };
}

/**
 * One lookup per request: the root loader, the route's guard and its tRPC caller all
 * ask about the same Request, and share the answer.
 */
const byRequest = new WeakMap<Request, Promise<Authenticated>>();

export function authenticate(context: RequestContext, request: Request): Promise<Authenticated> {
  let answer = byRequest.get(request);
  if (!answer) {
    answer = lookUp(context, request);
    byRequest.set(request, answer);
  }
  return answer;
}

/** The token of an `Authorization: Bearer <token>` header, or null for anything else. */
export function bearerToken(authorization: string | null | undefined): string | null {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? null;
}

async function lookUp(context: RequestContext, request: Request): Promise<Authenticated> {
  // Only Bearer tokens are ours: other schemes (a reverse proxy's Basic auth) are not
  // meant for us, and the session cookie decides. With a Bearer header the cookie is
  // never read: the request is the token's user or no one.
  const authorization = request.headers.get("authorization");
  if (authorization && /^Bearer\b/i.test(authorization)) {
    const token = bearerToken(authorization);
    const user = token ? await userForApiToken(context, { token }) : null;
    if (!user) throw new AuthenticationError("This API token is not valid: it was revoked or mistyped.");
    return { ...split(user), sessionToken: null, via: "api-token" };
  }
  const token = await readSessionToken(request, context.env);
  const user = token ? await userForSession(context, { token }) : null;
  return user
    ? { ...split(user), sessionToken: token, via: "session" }
    : { user: null, sessionToken: null, via: null, lastWriteAt: null };
}

/** Only local paths: `redirectTo` must not send users to another site. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/monitors"): string {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  // Resolve it as a browser would (which drops tabs and newlines and reads "\\" as "/"):
  // only a path that stays on our own origin may be followed, and only in its normal form.
  const base = "http://app.invalid";
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Normalising can itself make "//": "/.//evil.example" and "/a/..//evil.example" resolve
  // to the path "//evil.example", which as a Location is another host. What is followed
  // must be a path that stays on our origin when read again.
  return !path.startsWith("//") && new URL(path, base).href === url.href ? path : fallback;
}
