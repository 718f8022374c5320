// `pnpm bench:synth`: synthesizes every stack for the five-region matrix in a child process and prints wall time
// and peak RSS against the targets (20 s, 1.5 GB), plus the ratio to a baseline child in the same run that loads
// the same modules and settings but synthesizes nothing.
//
// Worker mode (internal): `bench-synth.ts --worker <outdir> [--baseline]`.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { REGION_MATRIX } from "@gw/stacks/region-matrix";

const TARGET_SECONDS = 20;
const TARGET_BYTES = 1.5 * 1024 ** 3;

interface WorkerReport {
  readonly regions: number;
  readonly stacks: number;
  readonly maxRssBytes: number;
}

async function worker(outdir: string, baseline: boolean): Promise<void> {
  const [{ loadSettings }, { buildApp }] = await Promise.all([import("@gw/config"), import("@gw/stacks/app")]);
  let stacks = 0;
  for (const region of REGION_MATRIX) {
    const loaded = loadSettings({ env: { AWS_REGION: region }, envFile: false });
    if (baseline) continue;
    const { app } = buildApp(loaded, { outdir: join(outdir, region), env: {}, localStateDir: outdir });
    app.synth();
    stacks += readdirSync(join(outdir, region, "stacks")).length;
  }
  const report: WorkerReport = { regions: REGION_MATRIX.length, stacks, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function measure(baseline: boolean): Promise<WorkerReport & { seconds: number }> {
  const outdir = mkdtempSync(join(tmpdir(), "gw-bench-synth-"));
  const self = fileURLToPath(import.meta.url);
  const started = process.hrtime.bigint();
  try {
    // One node process (tsx as a loader, not the tsx CLI, which would add a parent process).
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", self, "--worker", outdir, ...(baseline ? ["--baseline"] : [])],
      { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const report = JSON.parse(stdout.trim().split("\n").pop()!) as WorkerReport;
    return { ...report, seconds };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const fmtMiB = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MiB`;
const verdict = (ratio: number) => (ratio < 1 ? "PASS" : "FAIL");

async function main(): Promise<void> {
  const base = await measure(true);
  const full = await measure(false);
  const timeRatio = full.seconds / TARGET_SECONDS;
  const memRatio = full.maxRssBytes / TARGET_BYTES;
  console.log(`bench:synth — ${full.regions} regions (${REGION_MATRIX.join(", ")}), ${full.stacks} stacks, one child process`);
  console.log(`  baseline (load modules + settings, no synth): ${base.seconds.toFixed(2)} s wall, peak RSS ${fmtMiB(base.maxRssBytes)}`);
  console.log(`  full matrix synth:                            ${full.seconds.toFixed(2)} s wall, peak RSS ${fmtMiB(full.maxRssBytes)}`);
  console.log(`  vs baseline: ${(full.seconds / base.seconds).toFixed(2)}x time, ${(full.maxRssBytes / base.maxRssBytes).toFixed(2)}x memory`);
  console.log(`  time   target < ${TARGET_SECONDS} s:   ratio ${timeRatio.toFixed(3)}  ${verdict(timeRatio)}`);
  console.log(`  memory target < 1.5 GB: ratio ${memRatio.toFixed(3)}  ${verdict(memRatio)}`);
  if (timeRatio >= 1 || memRatio >= 1) process.exitCode = 1;
}

const args = process.argv.slice(2);
if (args[0] === "--worker") {
  await worker(args[1]!, args.includes("--baseline"));
} else {
  await main();
}
