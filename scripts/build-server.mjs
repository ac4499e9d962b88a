// Bundles the server entry, the runner entry and the check worker with esbuild, side by
// side in build/server (the check pool finds check.worker.js next to itself).
// Dependencies stay external (node_modules); our TypeScript, the generated Prisma
// client included, is compiled in. The Remix app itself is built by `remix build`.
import { build } from "esbuild";

await build({
  entryPoints: {
    "server/main": "app/main.server.ts",
    "server/runner": "workers/runner.ts",
    "server/check.worker": "workers/engine/check.worker.ts",
    // Operations commands, runnable where tsx is not installed (the Docker image).
    "server/db-backup": "scripts/db-backup.ts",
    "server/db-restore": "scripts/db-restore.ts",
  },
  outdir: "build",
  outExtension: { ".js": ".js" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
