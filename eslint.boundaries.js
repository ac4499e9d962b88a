// The layers, enforced: core/ is shared and imports neither wing; the engine (workers/)
// imports core/ only; the web app (app/) imports core/, and workers/ only in the
// composition root that starts a runner inside `npm start`. Inside the web app, app/server/
// (services and what they use) sits below tRPC and imports neither it nor what stands above
// it (app/host/, app/web/); routes reach the rules only through procedures (their caller);
// browser code (components, lib, the typed client) imports nothing server-only but types,
// and app/lib/, below the API, not even tRPC's types. Below them: core/ imports nothing under
// prisma/ (data: schema and migrations), core/domain/ is pure rules (no database, network or
// files), and routes tell a procedure's refusal through one helper
// (app/web/forms/action-result.server.ts). See docs/architecture.md.
const APP = { regex: "(^~/|(^|/)app/)", message: "Only app/ may import app/ (move what is shared to core/)." };
const WORKERS = {
  regex: "(^|/)workers/",
  message: "The web app reaches the engine only through its composition root (app/main.server.ts).",
};

/** Our service errors: the built server and the Remix bundle each hold a copy of their classes. */
const SERVICE_ERROR_CLASSES =
  "ServiceError|NotFoundError|ValidationError|RateLimitedError|ForbiddenError|AuthenticationError|PageLockedError|PasswordWorkBusyError";

const SERVICES = {
  regex: "server/services/(?!errors\\.server)",
  message:
    "Routes reach services through procedures: requireCaller / optionalCaller / publicCaller (app/trpc/caller.server.ts).",
};
const PRISMA_FOLDER = {
  regex: "(^|\\.\\./)prisma/",
  message:
    "prisma/ holds the schema and migrations, never code run by core/ (connection parsing, the engine: core/db/).",
};
const TRPC = {
  regex: "(^~/trpc/|(^|/)app/trpc/|^(\\.\\./)+trpc/|^@trpc/)",
  message:
    "app/server/ sits below tRPC: procedures call services, never the reverse (map errors in app/trpc/init.server.ts).",
};
/** What stands above tRPC: the Express host and the helpers routes share. */
const ABOVE_TRPC = {
  regex: "(^~/(host|web)/|(^|/)app/(host|web)/|^(\\.\\./)+(host|web)/)",
  message: "app/host/ and app/web/ stand above tRPC: app/server/ and app/trpc/ never import them.",
};
/** app/lib/ is below the API (services and procedures import it): tRPC's types live in app/trpc/. */
const LIB_BELOW_API = {
  regex: "(^~/(trpc|server)/|(^|/)app/(trpc|server)/|^(\\.\\./)+(trpc|server)/)",
  message:
    "app/lib/ is below the API: what is typed from the procedures lives in app/trpc/ (client.ts, router-types.ts).",
};
/** A procedure's refusal becomes a form error or an HTTP answer in one place. */
const TRPC_ERRORS = {
  regex: "^@trpc/server",
  message:
    "Tell a procedure's refusal by refusalCode / actionError / orHttpError (app/web/forms/action-result.server.ts), not by TRPCError here.",
};
/** Pure rules take what they judge as arguments: no database, network or files. */
const IMPURE_MODULES = ["fs", "fs/promises", "net", "dns", "dns/promises", "http", "https", "http2", "tls", "dgram"];
const IMPURE = {
  paths: [
    ...IMPURE_MODULES.flatMap((name) => [name, `node:${name}`]),
    "pg",
    "undici",
    "@prisma/client",
    "@prisma/adapter-pg",
  ].map((name) => ({
    name,
    message: "core/domain/ is pure rules: pass data in, do the I/O in core/db, core/net or the wings.",
  })),
  pattern: {
    regex: "(^|/)(db|net)/|generated/client",
    message: "core/domain/ is pure rules: it imports neither core/db/ nor core/net/ (pass data in).",
  },
};
const SERVER_ONLY = {
  regex: "\\.server(\\.tsx?)?$",
  allowTypeImports: true,
  message: "Browser code imports server modules for their types only (import type).",
};

/** `instanceof` fails for an error made by the other bundle's copy of the class (a spent
 * rate limit answered 500 on the built server): recognise them by their code
 * (docs/decisions/006-errors-by-code.md). */
const NO_SERVICE_ERROR_INSTANCEOF = {
  selector: `BinaryExpression[operator='instanceof'][right.name=/^(${SERVICE_ERROR_CLASSES})$/]`,
  message: "Recognise service errors by their code: isServiceError(error, code) (services/errors.server.ts).",
};
/** `formData()` throws on a body that is not a form, and an action letting it through answers 500. */
const NO_DIRECT_FORM_DATA = {
  selector: "CallExpression[callee.property.name='formData']",
  message: "Read a form with readForm(request) (app/web/forms/read-form.server.ts): 415/400, never 500.",
};

/** Hand-written SQL lives in core/db/queries/<area>.ts behind `Sql` (docs/decisions/008-sql-and-the-model-api.md). */
const SQL_HOME = "Hand-written SQL lives in core/db/queries/<area>.ts, as a function taking Sql (core/db/sql.ts).";
const NO_SQL_OUTSIDE_QUERIES = [
  ...["$queryRaw", "$queryRawUnsafe", "$executeRaw", "$executeRawUnsafe"].map((property) => ({
    property,
    message: SQL_HOME,
  })),
  // node-postgres, by the names its pools and clients go by here.
  ...["pool", "client"].map((object) => ({ object, property: "query", message: SQL_HOME })),
];

/** @type {import("eslint").Linter.Config[]} */
export default [
  {
    files: ["core/**/*.{ts,tsx,js,mjs}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            APP,
            { ...WORKERS, message: "core/ is shared: it imports neither app/ nor workers/." },
            PRISMA_FOLDER,
          ],
        },
      ],
    },
  },
  {
    // Later entries replace the rule's options for their files: each repeats its folder's patterns.
    files: ["core/domain/**/*.{ts,tsx,js,mjs}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: IMPURE.paths,
          patterns: [
            APP,
            { ...WORKERS, message: "core/ is shared: it imports neither app/ nor workers/." },
            PRISMA_FOLDER,
            IMPURE.pattern,
          ],
        },
      ],
    },
  },
  {
    files: ["workers/**/*.{ts,tsx,js,mjs}"],
    rules: { "no-restricted-imports": ["error", { patterns: [APP] }] },
  },
  {
    files: ["app/**/*.{ts,tsx,js,mjs}"],
    ignores: ["app/main.server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS] }] },
  },
  {
    files: ["app/server/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS, TRPC, ABOVE_TRPC] }] },
  },
  {
    files: ["app/trpc/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS, ABOVE_TRPC] }] },
  },
  {
    files: ["app/routes/**/*.{ts,tsx}", "app/root.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS, SERVICES, TRPC_ERRORS] }] },
  },
  {
    files: ["app/web/**/*.{ts,tsx}"],
    ignores: ["app/web/forms/action-result.server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS, TRPC_ERRORS] }] },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS, SERVER_ONLY] }] },
  },
  {
    // The browser's face of the API (the typed client, procedures' outputs): browser code too.
    files: ["app/trpc/*.{ts,tsx}"],
    ignores: ["app/trpc/*.server.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS, ABOVE_TRPC, SERVER_ONLY] }] },
  },
  {
    files: ["app/lib/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS, SERVER_ONLY, LIB_BELOW_API] }] },
  },
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    rules: { "no-restricted-syntax": ["error", NO_SERVICE_ERROR_INSTANCEOF] },
  },
  {
    // A later entry replaces the rule's options for its files: both selectors here.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/web/forms/read-form.server.ts"],
    rules: { "no-restricted-syntax": ["error", NO_SERVICE_ERROR_INSTANCEOF, NO_DIRECT_FORM_DATA] },
  },
  {
    files: ["core/**/*.{ts,tsx,js,mjs}", "workers/**/*.{ts,tsx,js,mjs}", "app/**/*.{ts,tsx,js,mjs}"],
    ignores: [
      "core/db/queries/**",
      // The infrastructure under the statements: the Sql implementations, transactions,
      // LISTEN, making a database; and the operations tooling (migrations, backup, the
      // embedded server and its engine), which speak to PostgreSQL as operators do.
      "core/db/sql.ts",
      "core/db/pg-pool.ts",
      "core/db/listener.ts",
      "core/db/database.ts",
      "core/ops/**",
      "core/db/generated/**",
    ],
    rules: { "no-restricted-properties": ["error", ...NO_SQL_OUTSIDE_QUERIES] },
  },
];
