/// <reference types="vite/client" />
/**
 * Bad input is a 4xx, never a 5xx: every procedure (over /api/trpc, found by walking the
 * router) and every route's loader and form action get NULs, lone surrogates, huge
 * strings, deep JSON and wrong types, as a signed-in user. The counts are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { createApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
import { createSession } from "../../app/server/services/auth/sessions.server.ts";
import { handleTrpcRequest } from "../../app/trpc/http.server.ts";
import { appRouter } from "../../app/trpc/root.server.ts";
import { ownerScope, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, createWebsite } from "../support/factories.ts";

const db = testDb();
let token: string;
let cookie: string;
let monitorId: string;

beforeAll(async () => {
  const user = await createUser(db);
  token = (await createApiToken(ownerScope(db, user.id), { name: "fuzz" })).token;
  const session = (await createSession({ db }, { userId: user.id, userAgent: "fuzz" })).token;
  cookie = (await sessionCookie(session, testContext(db).env)).split(";")[0]!;
  monitorId = (await createWebsite(db, user.id)).id;
});
afterAll(() => db.$disconnect());

const FIELDS = [
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

const DEEP = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;

/** Each a raw JSON text, as a client could send it. */
const BAD_INPUTS: Record<string, string> = {
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

const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures;

describe("bad input to every procedure", () => {
  it("answers 4xx, never 5xx", async () => {
    let calls = 0;
    const failures: string[] = [];
    for (const [path, procedure] of Object.entries(procedures)) {
      for (const [label, raw] of Object.entries({
        ...BAD_INPUTS,
        "own monitor": JSON.stringify({ id: monitorId, name: "\u0000" }),
      })) {
        const isQuery = procedure._def.type === "query";
        const url = `http://127.0.0.1:3000/api/trpc/${path}${isQuery ? `?input=${encodeURIComponent(raw)}` : ""}`;
        const request = new Request(url, {
          method: isQuery ? "GET" : "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: isQuery ? undefined : raw,
        });
        const response = await handleTrpcRequest(request, testContext(db));
        calls += 1;
        if (response.status >= 500) failures.push(`${path} with ${label}: ${response.status} ${await response.text()}`);
      }
    }
    console.warn(`fuzz: ${calls} procedure calls, ${failures.length} answered 5xx`);
    expect(failures).toEqual([]);
  }, 120_000);
});

type RouteModule = {
  loader?: (args: unknown) => unknown;
  action?: (args: unknown) => unknown;
};
const routes = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}", { eager: true });
const sources = import.meta.glob<string>("../../app/routes/*.{ts,tsx}", {
  eager: true,
  query: "?raw",
  import: "default",
});

/** The `intent` values a route's action tells its forms apart by (from its source), plus none. */
function intentsOf(file: string): string[] {
  const found = [...(sources[file] ?? "").matchAll(/case "([A-Za-z]+)"/g)].map((match) => match[1]!);
  return ["", ...new Set(found)];
}

function formOf(values: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) form.append(name, value);
  return form;
}

describe("bad input to every form action and loader", () => {
  it("answers 4xx (or a redirect), never 5xx", async () => {
    let calls = 0;
    const failures: string[] = [];
    const payloads: Record<string, string>[] = [
      Object.fromEntries(FIELDS.map((field) => [field, "a\u0000b"])),
      Object.fromEntries(FIELDS.map((field) => [field, "\uD800"])),
      Object.fromEntries(FIELDS.map((field) => [field, "x".repeat(20_000)])),
      Object.fromEntries(FIELDS.map((field) => [field, "-000100-01-01T00:00"])),
      { redirectTo: "/\n/evil.example", email: "a@example.test", password: "x" },
      {},
    ];
    const params = [
      { id: "does-not-exist", slug: "nope", serviceId: "nope", token: "nope" },
      { id: monitorId, slug: "\u0000", token: "\u0000\uD800" },
    ];
    const headerSets: Record<string, string>[] = [
      { cookie },
      { cookie, authorization: "Basic dXNlcjpwYXNz" },
      { authorization: "Bearer nope" },
    ];
    for (const [file, module] of Object.entries<RouteModule>(routes)) {
      for (const headers of headerSets) {
        for (const routeParams of params) {
          const base = `http://127.0.0.1:3000/anything?redirectTo=${encodeURIComponent("/\t/evil.example")}&token=%00&range=x&days=-1`;
          const attempts: [string, () => unknown][] = [];
          if (module.loader) {
            attempts.push([
              "loader",
              () =>
                module.loader!({
                  request: new Request(base, { headers }),
                  params: routeParams,
                  context: testContext(db),
                }),
            ]);
          }
          if (module.action) {
            for (const payload of payloads) {
              for (const intent of intentsOf(file)) {
                attempts.push([
                  `action ${intent}`,
                  () =>
                    module.action!({
                      request: new Request(base, {
                        method: "POST",
                        headers: { ...headers, origin: "http://127.0.0.1:3000" },
                        body: formOf({ ...payload, intent }),
                      }),
                      params: routeParams,
                      context: testContext(db),
                    }),
                ]);
              }
            }
          }
          for (const [what, attempt] of attempts) {
            calls += 1;
            const status = await Promise.resolve()
              .then(attempt)
              .then(
                (result) => (result instanceof Response ? result.status : 200),
                (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500),
              )
              .catch(() => 500);
            if (status >= 500) failures.push(`${file} ${what} (${JSON.stringify(routeParams)}): ${status}`);
          }
        }
      }
    }
    console.warn(`fuzz: ${calls} loader and action calls, ${failures.length} answered 5xx`);
    expect([...new Set(failures)]).toEqual([]);
  }, 300_000);
});
