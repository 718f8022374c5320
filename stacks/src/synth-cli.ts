// `pnpm synth`: validate settings, synthesize every stack into cdktf.out and print a per-stack summary.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "./app";
import { exitOnBuildError, loadSettingsOrExit } from "./settings-cli";
import { formatSummaries, summarizeStack } from "./summary";
import { stackWarnings } from "@gw/constructs/warnings";

const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
// Warnings are part of the summary printed below.
const loaded = loadSettingsOrExit(process.env, { printWarnings: false });
let built;
try {
  built = buildApp(loaded, { outdir });
} catch (err) {
  exitOnBuildError(err);
}
const started = Date.now();
built.app.synth();
const summaries = Object.keys(built.stacks).map((name) =>
  summarizeStack(name, JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"))),
);
const warnings = [...loaded.warnings, ...Object.values(built.stacks).flatMap((s) => stackWarnings(s))];
console.log(formatSummaries(summaries, warnings));
console.log(`\nsynthesized ${summaries.length} stacks into ${outdir}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
