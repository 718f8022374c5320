import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatLeaks, isExcludedPath, scanText, type Leak } from "./leak-scan";
import { arn, servicePrincipal, vpcEndpointServiceName, albLogDelivery, cloudFrontHostedZoneId } from "./index";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAX_BYTES = 2 * 1024 * 1024;

function repositoryFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split("\0").filter((p) => p.length > 0))].sort();
}

describe("leak rules", () => {
  it("flag every kind of AWS name built by this package", () => {
    const samples = [
      arn("us-east-1", "iam", "role/x", { account: "123456789012" }),
      servicePrincipal("ecs-tasks", "us-east-1"),
      servicePrincipal("ec2", "cn-north-1"),
      vpcEndpointServiceName("ecr.api", "cn-north-1"),
      cloudFrontHostedZoneId("us-east-1")!,
    ];
    const elb = albLogDelivery("us-east-1");
    samples.push(elb.kind === "elb-account" ? `const id = "${elb.accountId}";` : elb.principal);
    samples.push(`{ "AWS": "210987654321" }`);
    samples.push(`const bucket = \`logs-\${region}-210987654321\`; // account suffix`);
    for (const s of samples) {
      const leaks = scanText("x.ts", `ok\n${s}\n`);
      expect(leaks.length, s).toBeGreaterThan(0);
      expect(leaks.map((l) => `${l.file}:${l.line}`), s).toEqual(leaks.map(() => "x.ts:2"));
    }
  });

  it("leave ordinary code alone", () => {
    const clean = [
      `import { arn } from "@gw/partition";`,
      `const ts = 1700000000000; // 13 digits`,
      `const bytes = 123456789012; // a plain number`,
      `const url = "https://example.com/aws/docs";`,
      `const region = "cn-north-1";`,
      `principal: servicePrincipal("ecs-tasks", region),`,
      `const certArn = acmArn(region, "11111111-2222-3333-4444-555555555555");`,
    ];
    expect(scanText("x.ts", clean.join("\n"))).toEqual([]);
  });

  it("skip the generated region table of the root README only", () => {
    const doc = ["# Title", "<!-- region-table:start -->", "| x | amazonaws.com |", "<!-- region-table:end -->", "arn:aws:s3:::b"].join("\n");
    expect(scanText("README.md", doc).map((l) => l.line)).toEqual([5]);
    expect(scanText("docs/README.md", doc).map((l) => l.line)).toEqual([3, 5]);
  });

  it("exclude the partition module, dependencies, generated output and lock files", () => {
    expect(isExcludedPath("modules/partition/src/index.ts")).toBe(true);
    expect(isExcludedPath("services/middleware/node_modules/x/index.js")).toBe(true);
    expect(isExcludedPath("stacks/cdktf.out/stacks/base/cdk.tf.json")).toBe(true);
    expect(isExcludedPath("pnpm-lock.yaml")).toBe(true);
    expect(isExcludedPath("modules/constructs/src/vpc.ts")).toBe(false);
    expect(isExcludedPath("README.md")).toBe(false);
  });
});

describe("repository", () => {
  it("has no AWS names outside modules/partition", () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(0);
    const leaks: Leak[] = [];
    for (const file of files) {
      if (isExcludedPath(file)) continue;
      const abs = join(repoRoot, file);
      if (!existsSync(abs) || !statSync(abs).isFile() || statSync(abs).size > MAX_BYTES) continue;
      const buf = readFileSync(abs);
      if (buf.includes(0)) continue; // binary
      leaks.push(...scanText(file, buf.toString("utf8")));
    }
    expect(leaks, `AWS names outside modules/partition (build them with @gw/partition):\n${formatLeaks(leaks)}`).toEqual([]);
  });
});
