/**
 * An Uptime Kuma 1.x monitor as its backup holds it, and what each type's module needs to
 * map one (`kuma` in module.ts; app/lib/setup/from-kuma.ts reads the backup). Pure.
 */
import { z } from "zod";

export const id = z.union([z.number(), z.string()]).transform(String);
export const text = z.string().nullish();
export const flag = z
  .union([z.boolean(), z.number()])
  .nullish()
  .transform((value) => Boolean(value));

export const KumaMonitor = z.object({
  id,
  name: text,
  type: z.string(),
  url: text,
  method: text,
  hostname: text,
  port: z.union([z.number(), z.string()]).nullish(),
  active: flag,
  interval: z.number().nullish(),
  timeout: z.number().nullish(),
  maxretries: z.number().nullish(),
  keyword: text,
  invertKeyword: flag,
  ignoreTls: flag,
  upsideDown: flag,
  maxredirects: z.number().nullish(),
  accepted_statuscodes: z.array(z.string()).nullish(),
  dns_resolve_type: text,
  dns_resolve_server: text,
  dns_resolve_port: z.union([z.number(), z.string()]).nullish(),
  headers: text,
  body: text,
  authMethod: text,
  basic_auth_user: text,
  basic_auth_pass: text,
  // Not `pushToken`: a push URL's secret is this server's to choose (issue 25).
  jsonPath: text,
  expectedValue: text,
  notificationIDList: z.record(z.string(), z.unknown()).nullish(),
  tags: z.array(z.object({ name: z.string(), value: text })).nullish(),
});
export type KumaMonitor = z.output<typeof KumaMonitor>;

/** What every mapped type shares: the key, the schedule, retries as "failures before DOWN", tags, channels. */
export interface KumaCommon {
  key: string;
  name: string | null;
  isActive: boolean;
  intervalSeconds: number;
  timeoutMs: number | null;
  failureThreshold: number;
  tags: string[];
  channels: string[];
}

/** How a type takes Kuma's monitors of the types it stands for. */
export interface KumaMapping {
  /** Kuma's type names it takes ("http", "keyword", "port"). */
  types: readonly string[];
  /** The same, as the import's report names them ("HTTP", "keyword"). */
  names: readonly string[];
  /** A setup document's monitor entry, or why it cannot be imported. */
  map(monitor: KumaMonitor, common: KumaCommon): Record<string, unknown> | string;
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/** Kuma headers are a JSON object in a string. */
export function headersOf(monitor: KumaMonitor): { name: string; value: string }[] | string {
  const headers: { name: string; value: string }[] = [];
  if (monitor.headers?.trim()) {
    try {
      const parsed = JSON.parse(monitor.headers) as unknown;
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return "its headers are not a JSON object";
      for (const [name, value] of Object.entries(parsed)) headers.push({ name, value: String(value) });
    } catch {
      return "its headers are not valid JSON";
    }
  }
  if (monitor.authMethod === "basic" && monitor.basic_auth_user) {
    const credentials = `${monitor.basic_auth_user}:${monitor.basic_auth_pass ?? ""}`;
    headers.push({ name: "Authorization", value: `Basic ${btoa(credentials)}` });
  } else if (monitor.authMethod && monitor.authMethod !== "basic" && monitor.authMethod !== "null") {
    return `${monitor.authMethod} authentication is not supported here (basic is, or put a header)`;
  }
  return headers;
}

/** Kuma's JSONata for simple paths ("data.status", "$.items[0].state") as a JSONPath. */
export function jsonPathOf(expression: string): string | null {
  const trimmed = expression.trim().replace(/^\$\.?/, "");
  return /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*|\[\d+\])*$/.test(trimmed) ? `$.${trimmed}` : null;
}
