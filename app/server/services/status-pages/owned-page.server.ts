import type { Db } from "../../../../core/db/client.ts";
import { NotFoundError } from "../errors.server.ts";

/** The owner's page, or "not found" (also when it is someone else's). */
export async function ownedPage(db: Db, userId: string, id: string) {
  const page = await db.statusPage.findFirst({ where: { id, userId } });
  if (!page) throw new NotFoundError("Status page not found");
  return page;
}
