/**
 * Talking to the built server of the `built` project (tests/support/built-setup.ts) as
 * its users do: the typed tRPC client over /api/trpc with an API token or a session
 * cookie (as scripts and the browser do), and form posts to routes (as a browser without
 * JavaScript does). Every answer is reduced to what a user notices: its status, its
 * Retry-After, its message.
 */
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { inject } from "vitest";
import type { AppRouter } from "../../app/trpc/root.server.ts";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { createApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
import { createSession } from "../../app/server/services/auth/sessions.server.ts";
import { createDb, type Db } from "../../core/db/client.ts";
import { ownerScope } from "./caller.ts";

export const builtUrl = (): string => inject("builtUrl");

/** A Prisma client on the built server's database. Disconnect it in afterAll. */
export function builtDb(): Db {
  return createDb(inject("databaseUrl"));
}

/** Who is calling: an API token or a session cookie, and the client address (X-Forwarded-For). */
export interface Identity {
  token?: string;
  cookie?: string;
  ip?: string;
}

/** A new session of `userId` as its cookie, valid on the built server. */
export async function sessionCookieOf(db: Db, userId: string): Promise<string> {
  const { token } = await createSession({ db }, { userId, userAgent: "built tests" });
  const env = { SESSION_SECRET: inject("builtSessionSecret"), NODE_ENV: "production" } as const;
  return (await sessionCookie(token, env)).split(";")[0]!;
}

/** A session cookie and an API token of `userId`, valid on the built server. */
export async function credentialsOf(db: Db, userId: string): Promise<{ cookie: string; token: string }> {
  const cookie = await sessionCookieOf(db, userId);
  const { token } = await createApiToken(ownerScope(db, userId), { name: "built tests" });
  return { cookie, token };
}

export function headersOf(who: Identity): Record<string, string> {
  return {
    ...(who.token ? { authorization: `Bearer ${who.token}` } : {}),
    ...(who.cookie ? { cookie: who.cookie } : {}),
    ...(who.ip ? { "x-forwarded-for": who.ip } : {}),
  };
}

/** The typed client (as `scripts/setup/api.ts` builds it) on the built server. */
export function builtApi(who: Identity = {}) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${builtUrl()}/api/trpc`, headers: () => headersOf(who) })],
  });
}

/** What a user notices of an answer. */
export interface Answer {
  status: number;
  /** The Retry-After header, if any. */
  retryAfter: string | null;
  /** The error's message (tRPC), or the page's text (routes). */
  message: string;
  /** tRPC's error data (`retryAfterSeconds`, `fieldErrors`), when there is an error. */
  data?: Record<string, unknown>;
}

/** The answer of one typed-client call: 200 when it resolves, else the error's. */
export async function answerOf(call: Promise<unknown>): Promise<Answer> {
  try {
    await call;
    return { status: 200, retryAfter: null, message: "" };
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const clientError = error as TRPCClientError<AppRouter>;
    const response = (clientError.meta as { response?: Response } | undefined)?.response;
    const data = clientError.data as Record<string, unknown> | undefined;
    return {
      status: typeof data?.httpStatus === "number" ? data.httpStatus : (response?.status ?? 0),
      retryAfter: response?.headers.get("retry-after") ?? null,
      message: clientError.message,
      data,
    };
  }
}

/**
 * Where a browser posts a form: the page itself (no JavaScript: the answer is the whole
 * page), or with JavaScript its single-fetch data URL (`/alerts.data`; the answer is the
 * action's data). Index routes take `?index` in `route`, as their forms do.
 */
export type FormMode = "document" | "data";

function formUrl(route: string, mode: FormMode): string {
  if (mode === "document") return route;
  const [pathname, search] = route.split("?") as [string, string | undefined];
  return `${pathname === "/" ? "/_root" : pathname.replace(/\/$/, "")}.data${search ? `?${search}` : ""}`;
}

/** A form post to a route, as a browser sends it (same origin, not following redirects). */
export async function postForm(
  route: string,
  fields: Record<string, string | string[]>,
  who: Identity = {},
  mode: FormMode = "document",
): Promise<Answer> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of [value].flat()) body.append(name, one);
  }
  return postBody(route, { contentType: "application/x-www-form-urlencoded", body: body.toString() }, who, mode);
}

/**
 * A post to a form route with any body and Content-Type (none when `contentType` is
 * undefined: the body goes as bytes, which fetch sends without one), as a script might
 * send it; same origin, not following redirects.
 */
export async function postBody(
  route: string,
  { contentType, body }: { contentType: string | undefined; body: string },
  who: Identity = {},
  mode: FormMode = "document",
): Promise<Answer> {
  const response = await fetch(`${builtUrl()}${formUrl(route, mode)}`, {
    method: "POST",
    headers: { ...headersOf(who), origin: builtUrl(), ...(contentType ? { "content-type": contentType } : {}) },
    body: contentType ? body : new TextEncoder().encode(body),
    redirect: "manual",
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), message: await response.text() };
}

/** One raw call to /api/trpc: a query's input in the URL, a mutation's as the body. */
export function rawTrpc(
  procedure: string,
  /** The procedure's type, as the router says it (`_def.type`). */
  type: string,
  rawInput: string,
  who: Identity = {},
): Promise<Response> {
  const query = type === "query";
  return fetch(`${builtUrl()}/api/trpc/${procedure}${query ? `?input=${encodeURIComponent(rawInput)}` : ""}`, {
    method: query ? "GET" : "POST",
    headers: { ...headersOf(who), "content-type": "application/json" },
    body: query ? undefined : rawInput,
  });
}
