/**
 * A Map shared by every copy of a module in this process. The server bundle (Express,
 * custom-domain routing) and the Remix bundle (routes, tRPC) each compile our modules
 * in, so plain module-level state would exist twice: a cache cleared by a tRPC
 * mutation would stay stale in the Express middleware.
 */
export function processWideMap<K, V>(name: string): Map<K, V> {
  const key = Symbol.for(`better-uptime:${name}`);
  const store = globalThis as unknown as Record<symbol, Map<K, V> | undefined>;
  return (store[key] ??= new Map<K, V>());
}
