// Bundles the CLI (and its workspace dependency @gw/partition) into one ESM file for the container image:
// the runtime image then needs no node_modules, no TypeScript loader and no package manager.
// esbuild is not a direct dependency: it is resolved through tsx, which ships it.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(createRequire(import.meta.url).resolve("tsx"));
const esbuild = require("esbuild");
const outfile = process.argv[2] ?? `${root}dist/fake-llm.mjs`;

await esbuild.build({
  entryPoints: [`${root}src/cli.ts`],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: false,
  sourcemap: false,
  legalComments: "none",
  // Some CommonJS dependencies call require() on Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
});
console.log(`bundled ${outfile}`);
