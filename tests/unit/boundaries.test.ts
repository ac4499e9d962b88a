/**
 * One core, two wings: core/ imports neither app/ nor workers/; workers/ imports no
 * app/; app/ imports workers/ only in its composition root; routes reach services only
 * through procedures; browser code imports server modules for types only, and app/lib/ not
 * even tRPC's types; core/ imports nothing under prisma/; app/server/ (services and what
 * they use) imports neither tRPC nor app/host/ or app/web/ above it; core/domain/ stays pure (no database,
 * network or filesystem); hand-written SQL only in core/db/queries/. Checked over the tree, and the ESLint rule that enforces each is
 * shown to fail on a deliberate violation.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import boundaries from "../../eslint.boundaries.js";
import { repoRoot } from "../support/test-database.ts";

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(ts|tsx|mjs|js)$/.test(file) && !file.includes("generated"))
    .map((file) => path.join(folder, file));
}

/** Every import specifier of a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1]!);
}

const reaches = (file: string, folder: string) =>
  importsOf(file).some(
    (spec) => (folder === "app" && spec.startsWith("~/")) || new RegExp(`(^|/)${folder}/`).test(spec),
  );

/**
 * The rules a snippet breaks, linted as if it were `file` (repository-relative), with the
 * boundary rules only (as in eslint.config.js).
 */
const boundaryLint = () => {
  const eslint = new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    overrideConfig: [{ files: ["**/*.{ts,tsx,js,mjs}"], languageOptions: { parser: tseslint.parser } }, ...boundaries],
  });
  return async (code: string, file: string) =>
    (await eslint.lintText(code, { filePath: path.join(repoRoot, file) }))[0]!.messages.map((m) => m.ruleId);
};

describe("the layers", () => {
  it("core/ imports neither wing", () => {
    expect(sourceFiles("core").filter((file) => reaches(file, "app") || reaches(file, "workers"))).toEqual([]);
  });

  it("core/ imports nothing under prisma/ (schema and migrations are data, not code)", () => {
    expect(
      sourceFiles("core").filter((file) => importsOf(file).some((spec) => /(^|\.\.\/)prisma\//.test(spec))),
    ).toEqual([]);
  });

  it("app/server/ (services and what they use) imports nothing from tRPC", () => {
    expect(sourceFiles("app/server").filter((file) => importsOf(file).some((spec) => /trpc/.test(spec)))).toEqual([]);
  });

  it("workers/ imports no app/", () => {
    expect(sourceFiles("workers").filter((file) => reaches(file, "app"))).toEqual([]);
  });

  it("app/ imports workers/ only in the composition root", () => {
    expect(sourceFiles("app").filter((file) => reaches(file, "workers"))).toEqual(["app/main.server.ts"]);
  });

  it("ESLint fails a deliberate violation in each layer", async () => {
    const lint = boundaryLint();
    const violations: [string, string][] = [
      ["workers/engine/violation.ts", 'import { loadPublicStatusPage } from "../../app/server/services/x.server.ts";'],
      ["core/db/violation.ts", 'import { startRunner } from "../../workers/engine/runner.ts";'],
      ["core/violation.ts", 'import { trpc } from "~/trpc/client.ts";'],
      ["app/routes/violation.tsx", 'import { startRunner } from "../../workers/engine/runner.ts";'],
      [
        "app/routes/violation.tsx",
        'import { listMonitors } from "~/server/services/monitors/monitor-actions.server.ts";',
      ],
      ["app/components/violation.tsx", 'import { createCaller } from "~/trpc/caller.server.ts";'],
      // A route (or what resource routes share) telling refusals apart by TRPCError: one helper does it.
      ["app/routes/violation.tsx", 'import { TRPCError } from "@trpc/server";'],
      ["app/web/resources/violation.server.ts", 'import { TRPCError } from "@trpc/server";'],
      ["app/web/forms/violation.server.ts", 'import { TRPCError } from "@trpc/server";'],
      // core/ → prisma/: the folder holds data (schema, migrations), never code core runs.
      ["core/db/violation.ts", 'import { parse } from "../../prisma/engine/connection.mjs";'],
      ["core/violation.ts", 'import seed from "../prisma/seed.ts";'],
      // A service → tRPC: procedures call services, never the reverse (types included).
      ["app/server/services/monitors/violation.server.ts", 'import type { Caller } from "~/trpc/caller.server.ts";'],
      ["app/server/services/violation.server.ts", 'import { retryAfterSeconds } from "../../trpc/init.server.ts";'],
      ["app/server/services/auth/violation.server.ts", 'import { TRPCError } from "@trpc/server";'],
      // … nor anything else in app/server/: it all sits below tRPC.
      ["app/server/auth/violation.server.ts", 'import { TRPCError } from "@trpc/server";'],
      ["app/server/violation.server.ts", 'import { retryAfterSeconds } from "../trpc/retry-after.server.ts";'],
      // Nothing below tRPC (nor tRPC) imports the host or the routes' helpers above it.
      ["app/server/services/violation.server.ts", 'import { readForm } from "~/web/forms/read-form.server.ts";'],
      ["app/server/violation.server.ts", 'import type { HostContext } from "../host/load-context.server.ts";'],
      ["app/trpc/violation.server.ts", 'import { actionError } from "../web/forms/action-result.server.ts";'],
      // app/lib/ is below the API: not even tRPC's types (they live in app/trpc/).
      ["app/lib/violation.ts", 'import type { AppRouter } from "~/trpc/root.server.ts";'],
      ["app/lib/monitors/violation.ts", 'import type { Scope } from "../../server/services/scope.server.ts";'],
      // core/domain/ is pure: no filesystem, network, database or their clients.
      ["core/domain/violation.ts", 'import { readFile } from "node:fs/promises";'],
      ["core/domain/violation.ts", 'import { readFileSync } from "fs";'],
      ["core/domain/violation.ts", 'import { connect } from "node:net";'],
      ["core/domain/violation.ts", 'import { resolve4 } from "node:dns/promises";'],
      ["core/domain/violation.ts", 'import { request } from "node:https";'],
      ["core/domain/violation.ts", 'import pg from "pg";'],
      ["core/domain/violation.ts", 'import { fetch } from "undici";'],
      ["core/domain/violation.ts", 'import { PrismaClient } from "@prisma/client";'],
      ["core/domain/violation.ts", 'import type { Db } from "../db/client.ts";'],
      ["core/domain/violation.ts", 'import { PrismaClient } from "../db/generated/client.ts";'],
      ["core/domain/violation.ts", 'import { isBlockedAddress } from "../net/target-policy.ts";'],
      // … and still neither wing.
      ["core/domain/violation.ts", 'import { startRunner } from "../../workers/engine/runner.ts";'],
    ];
    for (const [file, code] of violations) expect(await lint(code, file), file).toEqual(["no-restricted-imports"]);
    const allowed: [string, string][] = [
      ["app/main.server.ts", 'import { startRunner } from "../../workers/engine/runner.ts";'],
      // Types of server modules are fine in browser code (nothing is bundled).
      ["app/components/allowed.tsx", 'import type { Caller } from "~/trpc/caller.server.ts";'],
      ["app/trpc/client.ts", 'import type { AppRouter } from "./root.server.ts";'],
      // The one helper that tells a procedure's refusal reads TRPCError.
      ["app/web/forms/action-result.server.ts", 'import { TRPCError } from "@trpc/server";'],
      // Pure rules may still use each other, core/text and pure libraries.
      [
        "core/domain/allowed.ts",
        'import { z } from "zod";\nimport { DAY_MS } from "./time.ts";\nimport { formatDuration } from "../text/format.ts";',
      ],
    ];
    for (const [file, code] of allowed) expect(await lint(code, file), file).toEqual([]);
  });

  it("ESLint refuses hand-written SQL outside core/db/queries/ (Prisma raw SQL, a pg pool or client's query)", async () => {
    const lint = boundaryLint();
    const refused: [string, string][] = [
      ["app/server/services/violation.server.ts", "await db.$queryRaw`SELECT 1`;"],
      ["app/server/services/violation.server.ts", 'await tx.$executeRawUnsafe("DELETE FROM x");'],
      ["app/trpc/violation.server.ts", 'await ctx.db.$queryRawUnsafe("SELECT 1");'],
      ["workers/engine/violation.ts", 'await pool.query("SELECT 1");'],
      ["workers/results/violation.ts", 'await client.query("SELECT 1", []);'],
      ["core/outbox/violation.ts", "await tx.$executeRaw`SELECT 1`;"],
    ];
    for (const [file, code] of refused) expect(await lint(code, file), file).toEqual(["no-restricted-properties"]);
    // Where statements live, and the infrastructure under them.
    expect(
      await lint('await sql.query("SELECT 1"); await pool.query("SELECT 1");', "core/db/queries/allowed.ts"),
    ).toEqual([]);
    expect(await lint('await client.query("BEGIN");', "core/db/pg-pool.ts")).toEqual([]);
    // A tRPC procedure's `.query(…)` is no SQL.
    expect(await lint("export const list = procedure.query(() => []);", "app/trpc/routers/allowed.server.ts")).toEqual(
      [],
    );
  });

  it("ESLint refuses `instanceof` of a service error class, which fails across the two server bundles", async () => {
    const lint = boundaryLint();
    expect(await lint("if (error instanceof RateLimitedError) retry();", "app/trpc/violation.server.ts")).toEqual([
      "no-restricted-syntax",
    ]);
    expect(await lint('if (isServiceError(error, "RATE_LIMITED")) retry();', "app/trpc/allowed.server.ts")).toEqual([]);
  });

  it("ESLint refuses request.formData() in app/ (it throws on a body that is no form: a 500), but not readForm", async () => {
    const lint = boundaryLint();
    expect(await lint("const form = await request.formData();", "app/routes/violation.tsx")).toEqual([
      "no-restricted-syntax",
    ]);
    expect(await lint("const form = await request.clone().formData();", "app/web/forms/x.server.ts")).toEqual([
      "no-restricted-syntax",
    ]);
    // The instanceof rule still holds in app/ beside it.
    expect(await lint("if (error instanceof RateLimitedError) retry();", "app/routes/violation.tsx")).toEqual([
      "no-restricted-syntax",
    ]);
    expect(await lint("const form = await readForm(request);", "app/routes/allowed.tsx")).toEqual([]);
    expect(await lint("return await request.formData();", "app/web/forms/read-form.server.ts")).toEqual([]);
  });
});
