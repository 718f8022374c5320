import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { settingsFor } from "@gw/constructs/testing";
import { buildApp } from "./app";

const ALL_STACKS = ["base", "bastion", "ecs", "eks", "fake-llm"];

/** The `terraform.backend` block of every stack of an app with all optional stacks on. */
function backends(env: Record<string, string>, localStateDir?: string): Record<string, Record<string, any>> {
  const loaded = settingsFor(env);
  const { stacks } = buildApp(loaded, { env: {}, fakeLlm: true, bastion: true, localStateDir });
  return Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, JSON.parse(Testing.synth(stack)).terraform.backend]));
}

describe("buildApp state", () => {
  it("keeps every stack's local state in the same directory, one file per stack", () => {
    const all = backends({ DEPLOYMENT_NAME: "gw-app-test" }, "/tmp/gw-app-state");
    expect(Object.keys(all).sort()).toEqual(ALL_STACKS);
    for (const [name, backend] of Object.entries(all)) {
      expect(backend, name).toEqual({ local: { path: `/tmp/gw-app-state/terraform.gw-app-test-${name}.tfstate` } });
    }
  });

  it("puts every stack in the state bucket under its own key when one is set", () => {
    const all = backends({ DEPLOYMENT_NAME: "gw-app-test", TERRAFORM_S3_BUCKET_NAME: "gw-state-bucket" }, "/tmp/gw-app-state");
    expect(Object.keys(all).sort()).toEqual(ALL_STACKS);
    for (const [name, backend] of Object.entries(all)) {
      expect(backend.local, name).toBeUndefined();
      expect(backend.s3, name).toMatchObject({ bucket: "gw-state-bucket", key: `gw-app-test/${name}.tfstate`, encrypt: true, use_lockfile: true });
    }
  });
});

describe("buildApp deployment order", () => {
  it("makes every other stack depend on base, so `cdktf deploy base ecs` applies base first", () => {
    const outdir = mkdtempSync(join(tmpdir(), "gw-app-deps-"));
    try {
      const { app } = buildApp(settingsFor({ DEPLOYMENT_NAME: "gw-app-test" }), { env: {}, fakeLlm: true, bastion: true, outdir, localStateDir: outdir });
      app.synth();
      const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies: string[] }> };
      expect(manifest.stacks.base!.dependencies).toEqual([]);
      for (const name of ALL_STACKS.filter((n) => n !== "base")) expect(manifest.stacks[name]!.dependencies, name).toEqual(["base"]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
