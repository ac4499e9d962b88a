/**
 * Checked by `npm run typecheck`, never run. The browser's tRPC client is typed from
 * the server's router: each call below is wrong, and tsc must say so. If the types
 * were lost (an `any` somewhere), these @ts-expect-error lines would be unused and
 * the typecheck would fail.
 */
/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- deliberately wrong calls */
import { trpc } from "~/trpc/client.ts";

export async function wrongCallsDoNotCompile() {
  // @ts-expect-error `health` takes no input
  await trpc.health.query({ verbose: true });

  // @ts-expect-error there is no such procedure
  await trpc.noSuchProcedure.query();

  const health = await trpc.health.query();
  // @ts-expect-error `database` is "up" | "down", not a number
  const database: number = health.database;
  return database;
}
