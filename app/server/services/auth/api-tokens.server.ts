/**
 * Personal API tokens for scripts: `Authorization: Bearer bu_…` on /api/trpc acts as
 * their owner. The token is shown once, at creation; only its hash is kept.
 */
import { createWithinQuota } from "../quotas.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { NotFoundError } from "../errors.server.ts";
import { sessionUserSelect, type CallerUser } from "./session-user.server.ts";
import { newToken, sha256 } from "../crypto.server.ts";

export const API_TOKEN_PREFIX = "bu_";
const TOUCH_AFTER_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  /** First characters, to recognise it. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const view = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true } as const;

export async function createApiToken(
  scope: OwnerScope,
  { name }: { name: string },
): Promise<ApiTokenView & { token: string }> {
  const { userId } = scope;
  const token = newToken(API_TOKEN_PREFIX);
  const created = await createWithinQuota(scope, "apiTokens", (db) =>
    db.apiToken.create({
      data: { userId, name, tokenHash: sha256(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) },
      select: view,
    }),
  );
  return { ...created, token };
}

export function listApiTokens({ db, userId }: OwnerScope): Promise<ApiTokenView[]> {
  return db.apiToken.findMany({ where: { userId }, select: view, orderBy: { createdAt: "desc" } });
}

export async function revokeApiToken({ db, userId }: OwnerScope, { id }: { id: string }): Promise<{ id: string }> {
  const { count } = await db.apiToken.deleteMany({ where: { id, userId } });
  if (count === 0) throw new NotFoundError("API token not found");
  return { id };
}

/** The token's owner, or null for an unknown or revoked token. Records when it was last used. */
export async function userForApiToken(
  { db }: Pick<Scope, "db">,
  { token }: { token: string },
): Promise<CallerUser | null> {
  const record = await db.apiToken.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: { select: { ...sessionUserSelect, isActive: true, lastWriteAt: true } } },
  });
  if (!record || !record.user.isActive) return null;
  if (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
    await db.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  const { isActive: _active, ...user } = record.user;
  return user;
}
