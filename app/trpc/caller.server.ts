/**
 * The one way a route reaches the app's rules: a server-side tRPC caller (same
 * procedures, same validation and authorisation as /api/trpc, no HTTP hop), built from
 * one session lookup per request.
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { RequestContext } from "~/server/app-context.server.ts";
import { authenticate, type Authenticated } from "~/server/auth/current-user.server.ts";
import type { SessionUser } from "~/server/services/auth/session-user.server.ts";
import { isServiceError } from "~/server/services/errors.server.ts";
import { newOwnershipMemo } from "~/server/services/ownership.server.ts";
import { createCallerFactory, type TrpcContext } from "./init.server.ts";
import { appRouter } from "./root.server.ts";

const createCallerForContext = createCallerFactory(appRouter);

export type Caller = ReturnType<typeof createCallerForContext>;

/** The tRPC context of one request. `internal`: our own routes, never /api/trpc. */
export function trpcContext(
  context: RequestContext,
  request: Request | null,
  who: Authenticated,
  internal: boolean,
): TrpcContext {
  return {
    ...context,
    user: who.user,
    sessionToken: who.sessionToken,
    via: who.via,
    lastWriteAt: who.lastWriteAt,
    request,
    internal,
    ownership: newOwnershipMemo(),
  };
}

const ANONYMOUS: Authenticated = { user: null, sessionToken: null, via: null, lastWriteAt: null };

/** A caller for one of our own routes: they, unlike /api/trpc, reach the internal procedures. */
function routeCaller(context: AppLoadContext, request: Request | null, who: Authenticated): Caller {
  return createCallerForContext(trpcContext(context, request, who, true));
}

/**
 * For public status routes, which never depend on who asks (their answers are cached
 * and shared): an anonymous caller, without looking anyone up.
 */
export function publicCaller(context: AppLoadContext, request: Request | null): Caller {
  return routeCaller(context, request, ANONYMOUS);
}

/**
 * For pages anyone may open that still care who asks (log in, sign up, log out): the
 * user, if any, and a caller for them. An API token that is not valid is answered 401,
 * as /api/trpc answers it.
 */
export async function optionalCaller(
  context: AppLoadContext,
  request: Request,
): Promise<{ user: SessionUser | null; api: Caller }> {
  let who: Authenticated;
  try {
    who = await authenticate(context, request);
  } catch (error) {
    if (isServiceError(error, "UNAUTHENTICATED")) throw new Response(error.message, { status: 401 });
    throw error;
  }
  return { user: who.user, api: routeCaller(context, request, who) };
}

/** For signed-in pages: the user and their caller, or a redirect to the login page that comes back here. */
export async function requireCaller(
  context: AppLoadContext,
  request: Request,
): Promise<{ user: SessionUser; api: Caller }> {
  // An API token that is not valid (or no one at all): off to sign in, as a browser would be.
  const who = await authenticate(context, request).catch(() => ANONYMOUS);
  if (!who.user) {
    const url = new URL(request.url);
    throw redirect(`/login?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` }).toString()}`);
  }
  return { user: who.user, api: routeCaller(context, request, who) };
}
