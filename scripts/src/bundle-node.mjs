// The one esbuild set-up behind every service's container bundle (services/*/scripts/bundle.mjs): a service entry
// point and its workspace dependencies in one ESM file for Node, so the runtime image needs no TypeScript loader and
// no package manager.
import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * esbuild as the service package sees it: its own dependency when it declares one, otherwise the copy tsx ships
 * (the root project's tsx), so a service need not depend on esbuild directly.
 */
function esbuildFor(packageRoot) {
  const require = createRequire(join(packageRoot, "package.json"));
  try {
    return require("esbuild");
  } catch {
    return createRequire(require.resolve("tsx"))("esbuild");
  }
}

/**
 * Bundles `entry` (relative to `packageRoot`) into the ESM file `outfile`.
 * `external`: packages left out of the bundle (default none), for the caller to ship beside it.
 */
export async function bundleForNode({ packageRoot, entry, outfile, external = [] }) {
  await esbuildFor(packageRoot).build({
    entryPoints: [join(packageRoot, entry)],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: false,
    sourcemap: false,
    legalComments: "none",
    external,
    // Some CommonJS dependencies call require() on Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
}
