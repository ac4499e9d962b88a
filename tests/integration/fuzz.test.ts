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
import { createUser, createMonitorRow } from "../support/factories.ts";
import { FORM_PAYLOADS, fuzzProcedures, intentsOf } from "../support/fuzz-inputs.ts";

const db = testDb();
let token: string;
let cookie: string;
let monitorId: string;

beforeAll(async () => {
  const user = await createUser(db);
  token = (await createApiToken(ownerScope(db, user.id), { name: "fuzz" })).token;
  const session = (await createSession({ db }, { userId: user.id, userAgent: "fuzz" })).token;
  cookie = (await sessionCookie(session, testContext(db).env)).split(";")[0]!;
  monitorId = (await createMonitorRow(db, user.id)).id;
});
afterAll(() => db.$disconnect());

const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures;

describe("bad input to every procedure", () => {
  it("answers 4xx, never 5xx, and says when input is nested too deeply", async () => {
    const { calls, failures, deepUnexplained } = await fuzzProcedures(
      procedures,
      (path, type, raw) => {
        const isQuery = type === "query";
        const url = `http://127.0.0.1:3000/api/trpc/${path}${isQuery ? `?input=${encodeURIComponent(raw)}` : ""}`;
        const request = new Request(url, {
          method: isQuery ? "GET" : "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: isQuery ? undefined : raw,
        });
        return handleTrpcRequest(request, testContext(db));
      },
      { extra: { "own monitor": JSON.stringify({ id: monitorId, name: "\u0000" }) } },
    );
    console.warn(`fuzz: ${calls} procedure calls, ${failures.length} answered 5xx`);
    expect(failures).toEqual([]);
    expect(deepUnexplained).toEqual([]);
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

function formOf(values: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) form.append(name, value);
  return form;
}

describe("bad input to every form action and loader", () => {
  it("answers 4xx (or a redirect), never 5xx", async () => {
    let calls = 0;
    const failures: string[] = [];
    const payloads = FORM_PAYLOADS;
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
              for (const intent of intentsOf(sources[file] ?? "")) {
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
