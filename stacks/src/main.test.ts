// The command-line entry points in child processes: invalid settings stop everything; valid ones synthesize.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, "..", "..", "node_modules", ".bin", "tsx");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function run(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "gw-main-"));
  dirs.push(cwd);
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [join(here, script)], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr, cwd };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "", cwd };
  }
}

describe("main.ts with invalid settings", () => {
  it("exits 1, lists every problem and writes nothing", async () => {
    const r = await run("main.ts", {
      AWS_REGION: "mars-east-1",
      MIN_CAPACITY: "5",
      DESIRED_CAPACITY: "2",
      REDIS_NUM_CACHE_CLUSTERS: "1",
      REDIS_AUTOMATIC_FAILOVER: "true",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/3 problem\(s\); nothing was synthesized/);
    const problemLines = r.stderr.split("\n").filter((l) => l.startsWith("  - "));
    expect(problemLines).toHaveLength(3);
    expect(r.stderr).toMatch(/- AWS_REGION: .*mars-east-1/);
    expect(r.stderr).toMatch(/- MIN_CAPACITY.*DESIRED_CAPACITY/);
    expect(r.stderr).toMatch(/- REDIS_NUM_CACHE_CLUSTERS: /);
    expect(existsSync(join(r.cwd, "cdktf.out"))).toBe(false);
    expect(r.stdout).toBe("");
  });
});

describe("synth-cli.ts with default settings", () => {
  it("synthesizes every stack and prints a per-stack summary", async () => {
    const r = await run("synth-cli.ts", { AWS_REGION: "cn-northwest-1" });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    for (const stack of ["base", "ecs", "eks"]) {
      expect(r.stdout).toMatch(new RegExp(`^stack ${stack}: \\d+ resources, \\d+ data sources, backend local, cn-northwest-1 \\(aws-cn\\)$`, "m"));
      const json = JSON.parse(readFileSync(join(r.cwd, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(json.provider.aws[0].region).toBe("cn-northwest-1");
    }
    expect(r.stdout).toMatch(/^ {2}aws_db_instance +1$/m);
    expect(r.stdout).toMatch(/^caveats and warnings:\n {2}- /m);
  });
});
