/**
 * Bad input is a 4xx on the BUILT server too, never a 5xx: every procedure over
 * /api/trpc (found by walking the router) with the inputs of tests/integration/fuzz.test.ts,
 * and every route's page and form actions over HTTP. From source there is one copy of
 * each module; built there are two (docs/decisions/006-errors-by-code.md), and what maps
 * an error in one may not know the other's.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../app/trpc/root.server.ts";
import {
  builtDb,
  builtUrl,
  credentialsOf,
  headersOf,
  postBody,
  postForm,
  rawTrpc,
  sessionCookieOf,
  type Identity,
} from "../support/built-client.ts";
import { createUser, createMonitorRow } from "../support/factories.ts";
import { FIELDS, FORM_PAYLOADS, fuzzProcedures, intentsOf } from "../support/fuzz-inputs.ts";
import { routeUrl } from "../support/route-url.ts";
import { repoRoot } from "../support/test-database.ts";

const db = builtDb();
let userId: string;
let token: string;
let monitorId: string;

beforeAll(async () => {
  userId = (await createUser(db)).id;
  token = (await credentialsOf(db, userId)).token;
  monitorId = (await createMonitorRow(db, userId)).id;
});
afterAll(() => db.$disconnect());

const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures;

describe("bad input to every procedure, on the built server", () => {
  it("answers 4xx, never 5xx, and says when input is nested too deeply", async () => {
    const { calls, failures, deepUnexplained } = await fuzzProcedures(
      procedures,
      (procedure, type, raw) => rawTrpc(procedure, type, raw, { token }),
      {
        extra: {
          "own monitor": JSON.stringify({ id: monitorId, name: "\u0000" }),
          // Instead of the 100,000-character strings, which the body limit stops (413) before
          // any procedure runs: these reach the procedures.
          "long strings": JSON.stringify(Object.fromEntries(FIELDS.map((field) => [field, "x".repeat(5_000)]))),
        },
        omit: ["huge strings"],
        // Four callers at once: one server start, a modest run.
        concurrency: 4,
      },
    );
    console.warn(`built fuzz: ${calls} procedure calls, ${failures.length} answered 5xx`);
    expect(failures).toEqual([]);
    expect(deepUnexplained).toEqual([]);
  });
});

const ROUTES = path.join(repoRoot, "app/routes");
const ROUTE_FILES = readdirSync(ROUTES).filter((name) => /\.tsx?$/.test(name));
const sourceOf = (file: string) => readFileSync(path.join(ROUTES, file), "utf8");
const hasAction = (source: string) => /export (async )?function action|export const action/.test(source);
/** Routes whose action takes a form: all but /api/trpc, whose body is JSON (fuzzed above). */
const FORM_ROUTES = ROUTE_FILES.filter(
  (file) => hasAction(sourceOf(file)) && !/handleTrpcRequest/.test(sourceOf(file)),
);

describe("bad input to every page and form, on the built server", () => {
  it("knows where each route lives", () => {
    const params = { id: "m1", slug: "s", serviceId: "v" };
    expect(routeUrl("_index.tsx", params)).toEqual({ url: "/", index: true });
    expect(routeUrl("monitors._index.tsx", params)).toEqual({ url: "/monitors", index: true });
    expect(routeUrl("monitors.$id_.edit.tsx", params).url).toBe("/monitors/m1/edit");
    expect(routeUrl("status.$slug_.badge.$serviceId.status[.svg].ts", params).url).toBe("/status/s/badge/v/status.svg");
    expect(routeUrl("account_.export[.json].ts", params).url).toBe("/account/export.json");
    expect(routeUrl("api.trpc.$.ts", params).url).toBe("/api/trpc/x");
  });

  it("answers 4xx (or a redirect), never 5xx", async () => {
    let calls = 0;
    const failures: string[] = [];
    const paramSets = [
      { id: "does-not-exist", slug: "nope", serviceId: "nope" },
      // Already in the URL's form: a NUL, and a lone surrogate's UTF-8 (not valid UTF-8).
      { id: monitorId, slug: "%00", serviceId: "%ED%A0%80" },
    ];
    // NULs, lone surrogates and impossible dates in every field (the long ones are the integration fuzz's).
    const payloads = [FORM_PAYLOADS[0]!, FORM_PAYLOADS[1]!, FORM_PAYLOADS[3]!];
    const query = `?redirectTo=${encodeURIComponent("/\t/evil.example")}&token=%00&range=x&days=-1`;
    for (const file of ROUTE_FILES) {
      const source = sourceOf(file);
      // A fresh session per route: a route may end it (log out, log out everywhere).
      const signedIn: Identity = { cookie: await sessionCookieOf(db, userId) };
      for (const who of [signedIn, {}]) {
        for (const params of paramSets) {
          const { url, index } = routeUrl(file, params);
          const page = await fetch(`${builtUrl()}${url}${query}`, { headers: headersOf(who), redirect: "manual" });
          await page.body?.cancel(); // a live event stream never ends
          calls += 1;
          if (page.status >= 500) failures.push(`GET ${url} (${file}): ${page.status}`);
          if (!hasAction(source)) continue;
          for (const payload of payloads) {
            for (const intent of intentsOf(source)) {
              const answer = await postForm(`${url}${index ? "?index" : ""}`, { ...payload, intent }, who, "data");
              calls += 1;
              if (answer.status >= 500) {
                failures.push(
                  `POST ${url} intent=${intent} (${file}): ${answer.status} ${answer.message.slice(0, 200)}`,
                );
              }
            }
          }
        }
      }
    }
    console.warn(`built fuzz: ${calls} page and form calls, ${failures.length} answered 5xx`);
    expect([...new Set(failures)]).toEqual([]);
  });
});

/**
 * Bodies a script (or an attacker) sends to a form route: not a form at all (415), or a
 * multipart form that cannot be parsed (400). `request.formData()` throws on each, and
 * an action that let it through answered 500.
 */
const NOT_FORMS: { name: string; contentType: string | undefined; body: string; status: 400 | 415; says: string }[] = [
  {
    name: "JSON",
    contentType: "application/json",
    body: '{"intent":"delete"}',
    status: 415,
    says: "Send this form as",
  },
  { name: "plain text", contentType: "text/plain", body: "intent=delete", status: 415, says: "Send this form as" },
  { name: "no Content-Type", contentType: undefined, body: "intent=delete", status: 415, says: "Send this form as" },
  { name: "XML", contentType: "application/xml; charset=utf-8", body: "<a/>", status: 415, says: "application/xml" },
  {
    name: "multipart without a boundary",
    contentType: "multipart/form-data",
    body: "x",
    status: 400,
    says: "could not be read",
  },
  {
    name: "multipart with another boundary",
    contentType: "multipart/form-data; boundary=xyz",
    body: '--abc\r\nContent-Disposition: form-data; name="intent"\r\n\r\ndelete\r\n--abc--\r\n',
    status: 400,
    says: "could not be read",
  },
  {
    name: "multipart cut short",
    contentType: "multipart/form-data; boundary=xyz",
    body: '--xyz\r\nContent-Disposition: form-data; name="intent"\r\n\r\ndel',
    status: 400,
    says: "could not be read",
  },
];

describe("a body that is not a form, at every form route, on the built server", () => {
  it("finds the form routes by walking app/routes", () => {
    // A new route with an action is in this list by itself; these prove the walk works.
    expect(FORM_ROUTES).toEqual(
      expect.arrayContaining(["logout.tsx", "monitors.new.tsx", "status.$slug.tsx", "theme.ts"]),
    );
    expect(FORM_ROUTES).not.toContain("api.trpc.$.ts");
    expect(FORM_ROUTES.length).toBeGreaterThanOrEqual(20);
  });

  it("answers 415 for a body that is not a form and 400 for a malformed one, each saying so, never 5xx", async () => {
    const wrong: string[] = [];
    const params = { id: monitorId, slug: "nope", serviceId: "nope" };
    for (const file of FORM_ROUTES) {
      const { url, index } = routeUrl(file, params);
      const route = `${url}${index ? "?index" : ""}`;
      // Signed in, every form route reads the body first (after its guard): the exact refusal.
      const signedIn: Identity = { cookie: await sessionCookieOf(db, userId) };
      for (const bad of NOT_FORMS) {
        for (const mode of ["document", "data"] as const) {
          const answer = await postBody(route, bad, signedIn, mode);
          if (answer.status !== bad.status || !answer.message.includes(bad.says)) {
            wrong.push(`${bad.name} to ${route} (${file}, ${mode}): ${answer.status} ${answer.message.slice(0, 120)}`);
          }
        }
        // Signed out, a guarded route may send to the login page first; never a 5xx.
        const anonymous = await postBody(route, bad, {}, "data");
        if (anonymous.status >= 500) wrong.push(`${bad.name} to ${route} (${file}, signed out): ${anonymous.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
