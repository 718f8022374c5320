// Bundles the middleware (src/main.ts and every dependency except PGlite) into one ESM file for the container image,
// and copies PGlite (WebAssembly + data files it loads from disk) beside it as the only node_modules entry.
//   node services/middleware/scripts/bundle.mjs <outdir>
import { cpSync, mkdirSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleForNode } from "../../../scripts/src/bundle-node.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = process.argv[2] ?? `${root}dist`;

await bundleForNode({
  packageRoot: root,
  entry: "src/main.ts",
  outfile: `${outdir}/main.mjs`,
  // PGlite resolves its .wasm/.data files relative to its own module; pg-native is an optional pg add-on we do not use.
  external: ["@electric-sql/pglite", "pg-native"],
});

const pglite = realpathSync(`${root}node_modules/@electric-sql/pglite`);
mkdirSync(`${outdir}/node_modules/@electric-sql`, { recursive: true });
cpSync(pglite, `${outdir}/node_modules/@electric-sql/pglite`, { recursive: true, dereference: true });
console.log(`bundled ${outdir}/main.mjs (+ node_modules/@electric-sql/pglite)`);
