/**
 * A standalone script calling Better Uptime's typed API with an API token.
 *
 *   BETTER_UPTIME_URL=http://127.0.0.1:3000 BETTER_UPTIME_TOKEN=bu_… npx tsx examples/api-client.ts
 *
 * Create the token on your account page (Account → API tokens). Only the router's
 * *type* is imported: nothing from the server runs here, yet every call is checked by
 * TypeScript — a wrong field name or type fails `tsc` before the script ever runs.
 */
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "../app/trpc/root.server.ts";

const baseUrl = process.env.BETTER_UPTIME_URL ?? "http://127.0.0.1:3000";
const token = process.env.BETTER_UPTIME_TOKEN;
if (!token) {
  console.error("Set BETTER_UPTIME_TOKEN to an API token from your account page.");
  process.exit(2);
}

const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: `${baseUrl}/api/trpc`, headers: { authorization: `Bearer ${token}` } })],
});

const created = await api.monitor.create.mutate({
  url: process.env.MONITOR_URL ?? `${baseUrl}/healthz`,
  name: "Created from a script",
  intervalSeconds: 60,
  expectedStatusCodes: "200",
});
console.warn(`created ${created.id} (${created.status})`);

for (const monitor of await api.monitor.list.query()) {
  console.warn(`${monitor.status.padEnd(7)} ${monitor.name ?? monitor.url} — every ${monitor.intervalSeconds} s`);
}
