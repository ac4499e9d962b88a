/**
 * Server-side sessions: the cookie carries a random token, the database its hash. Ending
 * a session deletes its row, so "log out everywhere" and password changes take effect
 * at once on every device.
 */
import type { Db } from "../../../../core/db/client.ts";
import type { Scope } from "../scope.server.ts";
import { sessionUserSelect, type CallerUser } from "./session-user.server.ts";
import { newToken, sha256 } from "../crypto.server.ts";

export const SESSION_TTL_MS = 30 * 86_400_000;
const TOUCH_AFTER_MS = 5 * 60_000;

/** A new session for `userId`; the token goes into the cookie, only its hash into the database. */
export async function createSession(
  { db }: Pick<Scope, "db">,
  { userId, userAgent }: { userId: string; userAgent: string | null },
): Promise<{ token: string }> {
  const token = newToken();
  await db.session.create({
    data: {
      id: sha256(token),
      userId,
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      userAgent: userAgent?.slice(0, 300) ?? null,
    },
  });
  return { token };
}

export async function userForSession(
  { db }: Pick<Scope, "db">,
  { token }: { token: string },
): Promise<CallerUser | null> {
  const session = await db.session.findUnique({
    where: { id: sha256(token) },
    include: { user: { select: { ...sessionUserSelect, isActive: true, lastWriteAt: true } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now() || !session.user.isActive) return null;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } }).catch(() => undefined);
  }
  const { isActive: _active, ...user } = session.user;
  return user;
}

export async function endSession({ db }: Pick<Scope, "db">, { token }: { token: string }): Promise<void> {
  await db.session.deleteMany({ where: { id: sha256(token) } });
}

/** Ends every session of the user, but the one holding `keepToken` if given. */
export async function endOtherSessions(db: Db, userId: string, keepToken?: string): Promise<number> {
  const { count } = await db.session.deleteMany({
    where: { userId, ...(keepToken ? { id: { not: sha256(keepToken) } } : {}) },
  });
  return count;
}
