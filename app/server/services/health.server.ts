import type { Db } from "../db/client.server.ts";

export interface Health {
  status: "ok" | "degraded";
  database: "up" | "down";
  uptimeSeconds: number;
}

const DATABASE_TIMEOUT_MS = 2_000;

/** Whether the app can serve: today that is "the database answers a query, quickly". */
export async function checkHealth(db: Db): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DATABASE_TIMEOUT_MS)));
  const query = db.$queryRaw`SELECT 1`.then(
    () => true,
    () => false,
  );
  const databaseUp = await Promise.race([query, timeout]).finally(() => clearTimeout(timer));
  return {
    status: databaseUp ? "ok" : "degraded",
    database: databaseUp ? "up" : "down",
    uptimeSeconds: Math.round(process.uptime()),
  };
}
