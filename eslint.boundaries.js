// The layers, enforced: core/ is shared and imports neither wing; the engine (workers/)
// imports core/ only; the web app (app/) imports core/, and workers/ only in the
// composition root that starts a runner inside `npm start`. See docs/architecture.md.
const APP = { regex: "(^~/|(^|/)app/)", message: "Only app/ may import app/ (move what is shared to core/)." };
const WORKERS = {
  regex: "(^|/)workers/",
  message: "The web app reaches the engine only through its composition root (app/server/main.server.ts).",
};

/** @type {import("eslint").Linter.Config[]} */
export default [
  {
    files: ["core/**/*.{ts,tsx,js,mjs}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [APP, { ...WORKERS, message: "core/ is shared: it imports neither app/ nor workers/." }] },
      ],
    },
  },
  {
    files: ["workers/**/*.{ts,tsx,js,mjs}"],
    rules: { "no-restricted-imports": ["error", { patterns: [APP] }] },
  },
  {
    files: ["app/**/*.{ts,tsx,js,mjs}"],
    ignores: ["app/server/main.server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [WORKERS] }] },
  },
];
