// Bundles the server entry (and, later, the runner and check workers) with esbuild.
// Dependencies stay external (node_modules); our TypeScript, the generated Prisma
// client included, is compiled in. The Remix app itself is built by `remix build`.
import { build } from "esbuild";

await build({
  entryPoints: { "server/main": "app/server/main.server.ts" },
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
