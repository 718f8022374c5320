// Bundles the CLI (and its workspace dependency @gw/partition) into one ESM file for the container image:
// the runtime image then needs no node_modules, no TypeScript loader and no package manager.
//   node services/fake-llm/scripts/bundle.mjs [outfile]
import { fileURLToPath } from "node:url";
import { bundleForNode } from "../../../scripts/src/bundle-node.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = process.argv[2] ?? `${root}dist/fake-llm.mjs`;

await bundleForNode({ packageRoot: root, entry: "src/cli.ts", outfile });
console.log(`bundled ${outfile}`);
