import type { Db } from "../../../../core/db/client.ts";
import type { QuotaEnv } from "../quotas.server.ts";
import { NotFoundError } from "../errors.server.ts";

/** What page services need: the store, the owner, and the CNAME target custom domains point at. */
export interface PageServiceContext {
  db: Db;
  userId: string;
  cnameTarget: string;
  quotas: QuotaEnv;
}

/** The owner's page, or "not found" (also when it is someone else's). */
export async function ownedPage(db: Db, userId: string, id: string) {
  const page = await db.statusPage.findFirst({ where: { id, userId } });
  if (!page) throw new NotFoundError("Status page not found");
  return page;
}
