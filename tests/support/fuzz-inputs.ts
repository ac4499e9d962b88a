/**
 * What the fuzz tests send (tests/integration/fuzz.test.ts from source, tests/built/fuzz.test.ts
 * against the built server): NULs, lone surrogates, huge strings, deep JSON and wrong
 * types, in every field name our inputs use.
 */

/** Every field name our procedures and forms take (add a new input's fields here). */
export const FIELDS = [
  "id",
  "ids",
  "name",
  "url",
  "email",
  "password",
  "slug",
  "token",
  "title",
  "domain",
  "target",
  "message",
  "description",
  "keyword",
  "startsAt",
  "endsAt",
  "monitors",
  "headers",
  "type",
  "status",
  "range",
  "intervalSeconds",
  "confirmation",
  // Monitor types' own fields (issue 16).
  "host",
  "port",
  "hostname",
  "recordType",
  "expectedValue",
  "resolver",
  "periodSeconds",
  "graceSeconds",
  "expiryDays",
  "assertions",
  "maxResponseMs",
  "msg",
  // Alert channels' own fields (issue 18).
  "botToken",
  "chatId",
  "apiUrl",
  "homeserverUrl",
  "roomId",
  "accessToken",
  "serverUrl",
  "topic",
  "appToken",
  "userKey",
  "routingKey",
  "apiKey",
  // Private status pages (issue 18).
  "visibility",
  "access",
  // Recurring maintenance.
  "schedule",
  "timeZone",
  "durationMinutes",
];

/** Deeper than any input of ours, short enough for a query's URL: answered as too deep. */
export const DEEPER_THAN_ALLOWED = "JSON 40 deep";

/** JSON nested 5,000 deep: refused as too deeply nested, never a stack overflow. */
export const DEEP = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;

/** Each a raw JSON text, as a client could send it. */
export const BAD_INPUTS: Record<string, string> = {
  "missing fields": "{}",
  "a string": JSON.stringify("\u0000"),
  "a number": "123",
  null: "null",
  "an array": "[[[]]]",
  "wrong types": JSON.stringify(Object.fromEntries(FIELDS.map((field, i) => [field, [{}, 1, true, [], null][i % 5]]))),
  NULs: JSON.stringify(Object.fromEntries(FIELDS.map((field) => [field, `a\u0000b`]))),
  "lone surrogates": JSON.stringify(Object.fromEntries(FIELDS.map((field) => [field, "a\uD800b\uDFFF"]))),
  "huge strings": JSON.stringify(Object.fromEntries(FIELDS.map((field) => [field, "x".repeat(100_000)]))),
  "dates before year 1": JSON.stringify({ startsAt: "-000100-01-01T00:00:00Z", endsAt: "0000-01-01T00:00:00Z" }),
  "deep JSON": DEEP,
  [DEEPER_THAN_ALLOWED]: `${'{"a":'.repeat(40)}1${"}".repeat(40)}`,
  "unknown id": JSON.stringify({ id: "does-not-exist", ids: ["nope"], monitorId: "nope", channelId: "nope" }),
  "odd assertions": JSON.stringify({
    url: "http://127.0.0.1:9/",
    assertions: [
      { source: "json", path: "$[", operator: "equals", value: "\u0000" },
      { source: "body", operator: "matches", value: "(?<name>x)\\1(" },
      { source: "header", name: "a\u0000", operator: "exists" },
      { source: "xml" },
    ],
  }),
  "setup documents": JSON.stringify({
    format: "better-uptime/setup",
    version: 1,
    channels: [
      { key: "c\u0000", type: "SMS", name: "x" },
      { key: "c", type: "WEBHOOK", name: "n", target: null },
    ],
    monitors: [
      {
        key: "m",
        type: "HTTP",
        url: "http://127.0.0.1:9/",
        headers: [{ name: "A", value: "••••••••" }],
        channels: ["nope"],
      },
      { key: "m", type: "TCP", host: "127.0.0.1", port: 1 },
    ],
    statusPages: [{ key: "p", name: "\uD800", slug: "api", monitors: [{ monitor: "nope", displayName: "x" }] }],
    maintenance: [
      { key: "w", title: "t", startsAt: "2026-01-01T00:00:00Z", endsAt: "2026-03-01T00:00:00Z", monitors: ["m"] },
    ],
  }),
  "a setup whose items pass the schema and fail the services": JSON.stringify({
    format: "better-uptime/setup",
    version: 1,
    monitors: [{ key: "m2", type: "DNS", hostname: "example.test", recordType: "A", resolver: "10.0.0.1" }],
    maintenance: [
      { key: "w2", title: "t", startsAt: "2026-01-01T00:00:00Z", endsAt: "2026-03-01T00:00:00Z", monitors: ["m"] },
    ],
  }),
  "each type with bad targets": JSON.stringify({
    type: "DNS",
    hostname: "-.-",
    recordType: "SOA",
    resolver: "10.0.0.1:99999",
    periodSeconds: -1,
    port: 1e9,
  }),
};

/** Form payloads for every action: the same troubles as form fields. */
export const FORM_PAYLOADS: Record<string, string>[] = [
  Object.fromEntries(FIELDS.map((field) => [field, "a\u0000b"])),
  Object.fromEntries(FIELDS.map((field) => [field, "\uD800"])),
  Object.fromEntries(FIELDS.map((field) => [field, "x".repeat(20_000)])),
  Object.fromEntries(FIELDS.map((field) => [field, "-000100-01-01T00:00"])),
  { redirectTo: "/\n/evil.example", email: "a@example.test", password: "x" },
  {},
];

/** The `intent` values a route's action tells its forms apart by (from its source), plus none. */
export function intentsOf(source: string): string[] {
  const found = [...source.matchAll(/case "([A-Za-z]+)"/g)].map((match) => match[1]!);
  return ["", ...new Set(found)];
}

/** One procedure call over /api/trpc with a raw JSON input (`type` as the router says it). */
export type SendRaw = (path: string, type: string, raw: string) => Promise<Response>;

/**
 * Every procedure, every bad input (plus `extra`, less `omit`): what answered 5xx, and which procedures
 * did not say that the deep input is nested too deeply (a message that used to say
 * "control character (NUL)").
 */
export async function fuzzProcedures(
  procedures: Record<string, { _def: { type: string } }>,
  send: SendRaw,
  options: { extra?: Record<string, string>; omit?: string[]; concurrency?: number } = {},
): Promise<{ calls: number; failures: string[]; deepUnexplained: string[] }> {
  const inputs = Object.entries({ ...BAD_INPUTS, ...options.extra }).filter(
    ([label]) => !options.omit?.includes(label),
  );
  const calls = Object.entries(procedures).flatMap(([path, procedure]) =>
    inputs.map(([label, raw]) => ({ path, type: procedure._def.type, label, raw })),
  );
  const failures: string[] = [];
  const deepUnexplained: string[] = [];
  let next = 0;
  // `concurrency` callers, each taking the next call until none is left.
  const caller = async () => {
    for (let call = calls[next++]; call; call = calls[next++]) {
      const response = await send(call.path, call.type, call.raw);
      const text = await response.text();
      if (response.status >= 500) {
        failures.push(`${call.path} with ${call.label}: ${response.status} ${text.slice(0, 300)}`);
      }
      if (call.label === DEEPER_THAN_ALLOWED && !(response.status === 400 && text.includes("Nested too deeply"))) {
        deepUnexplained.push(`${call.path}: ${response.status} ${text.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, caller));
  return { calls: calls.length, failures: failures.sort(), deepUnexplained: deepUnexplained.sort() };
}
