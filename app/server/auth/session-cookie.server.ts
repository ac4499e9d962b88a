/**
 * The session cookie: httpOnly, SameSite=Lax, Secure in production, signed. It carries
 * only the session token; the session itself lives in the database.
 */
import { createCookieSessionStorage } from "@remix-run/node";
import type { Env } from "../../../core/env.ts";
import { SESSION_TTL_MS } from "../services/auth/sessions.server.ts";

type CookieEnv = Pick<Env, "SESSION_SECRET" | "NODE_ENV">;

const storages = new Map<string, ReturnType<typeof createCookieSessionStorage<{ token: string }>>>();

function storage(env: CookieEnv) {
  const key = `${env.NODE_ENV}:${env.SESSION_SECRET}`;
  let existing = storages.get(key);
  if (!existing) {
    existing = createCookieSessionStorage<{ token: string }>({
      cookie: {
        name: "__session",
        httpOnly: true,
        sameSite: "lax",
        secure: env.NODE_ENV === "production",
        path: "/",
        secrets: [env.SESSION_SECRET],
        maxAge: SESSION_TTL_MS / 1000,
      },
    });
    storages.set(key, existing);
  }
  return existing;
}

export async function readSessionToken(request: Request, env: CookieEnv): Promise<string | null> {
  const session = await storage(env).getSession(request.headers.get("cookie"));
  const token = session.get("token");
  return typeof token === "string" && token.length > 0 ? token : null;
}

/** Set-Cookie for a new session (a fresh token at every login: no session fixation). */
export async function sessionCookie(token: string, env: CookieEnv): Promise<string> {
  const session = await storage(env).getSession();
  session.set("token", token);
  return storage(env).commitSession(session);
}

export async function clearedSessionCookie(env: CookieEnv): Promise<string> {
  return storage(env).destroySession(await storage(env).getSession());
}
