import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yaml from "js-yaml";
import type { FakeLlm } from "@gw/fake-llm";
import { runCli } from "./cli";
import { closedPortUrl, MODEL_ID, startHealthyRegion, startThrottlingRegion, THROTTLE_ALL } from "./test-support/regions";
import { packageDir, runTsx } from "./test-support/processes";

let throttling: FakeLlm;
let healthy: FakeLlm;
let configPath: string;
const env = { DEMO_ACCESS_KEY_ID: "AKIDDEMO", DEMO_SECRET_ACCESS_KEY: "demo-secret" };

beforeAll(async () => {
  [throttling, healthy] = await Promise.all([startThrottlingRegion("us-west-2"), startHealthyRegion("eu-west-3")]);
  const dir = mkdtempSync(join(tmpdir(), "router-cli-"));
  configPath = join(dir, "router.yaml");
  writeFileSync(
    configPath,
    yaml.dump({
      credentials: { demo: { type: "env", prefix: "DEMO" } },
      targets: [
        { region: "us-west-2", endpoint: throttling.url, credentials: "demo", primary: true },
        { region: "us-east-1", endpoint: await closedPortUrl(), credentials: "demo" },
        { region: "eu-west-3", endpoint: healthy.url, credentials: "demo" },
      ],
    }),
  );
  Object.assign(process.env, env);
});

afterAll(async () => {
  for (const k of Object.keys(env)) delete process.env[k];
  await Promise.all([throttling?.close(), healthy?.close()]);
});

async function run(args: string[]) {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("demo CLI", () => {
  it.each(["converse", "converse-stream", "invoke", "invoke-stream"])("%s prints the answer, the serving target and the failed targets", async (api) => {
    const { code, out } = await run([api, "--config", configPath, "--model", MODEL_ID, "--prompt", "hello from the cli"]);
    expect(code).toBe(0);
    expect(out).toContain("fake reply from eu-west-3: hello from the cli");
    expect(out).toContain(`SERVED BY: eu-west-3 (region eu-west-3, partition aws, model ${MODEL_ID})`);
    expect(out).toMatch(/FAILED TARGETS: us-west-2 \(us-west-2\) ThrottlingException after \d+ ms; us-east-1 \(us-east-1\) ECONNREFUSED after \d+ ms/);
  });

  it("explains a non-retryable error and exits 1; bad usage and bad config exit 2", async () => {
    throttling.setOptions({ errors: [] });
    try {
      throttling.failNext("converse", 1, 400, "ValidationException");
      const failed = await run(["converse", "--config", configPath, "--model", MODEL_ID]);
      expect(failed.code).toBe(1);
      expect(failed.err).toMatch(/BR_ERR_NON_RETRYABLE: ValidationException from us-west-2/);
    } finally {
      throttling.setOptions({ errors: [THROTTLE_ALL] });
    }
    expect((await run(["chat", "--config", configPath, "--model", "m"])).code).toBe(2);
    const badConfig = join(packageDir, "does-not-exist.yaml");
    const bad = await run(["converse", "--config", badConfig, "--model", "m"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("cannot read file");
  });

  it("runs as a program", async () => {
    const res = await runTsx(join(packageDir, "src", "cli.ts"), ["converse", "--config", configPath, "--model", MODEL_ID, "--prompt", "as a process"], env);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("fake reply from eu-west-3: as a process");
  }, 30_000);
});
