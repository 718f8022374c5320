import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serviceEndpoint, SUPPORTED_REGIONS } from "@gw/partition";
import { loadEndpointConfig, parseEndpointConfig, validateRouterConfig } from "./config";
import { RouterConfigError } from "./errors";
import { DEFAULT_SETTINGS } from "./types";

const dir = mkdtempSync(join(tmpdir(), "router-config-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RouterConfigError);
    return [...(e as RouterConfigError).problems];
  }
  throw new Error("expected a RouterConfigError");
}

describe("endpoint configuration", () => {
  it("loads YAML with settings, credentials, targets and a file store relative to the file", () => {
    const path = file(
      "router.yaml",
      `
homeRegion: cn-north-1
settings:
  maxAttempts: 4
  cooldownMs: 30000
  crossRegionInference: true
credentials:
  global: { type: env, prefix: GLOBAL_BEDROCK }
cooldownStore: { type: file, path: state/cooldowns.json }
targets:
  - { region: us-west-2, primary: true, weight: 2, profilePrefix: us, credentials: global }
  - { id: tokyo, region: ap-northeast-1, profilePrefix: "apac.", credentials: global }
`,
    );
    const config = loadEndpointConfig(path);
    expect(config.settings).toEqual({ ...DEFAULT_SETTINGS, maxAttempts: 4, cooldownMs: 30_000, crossRegionInference: true });
    expect(config.targets).toEqual([
      { id: "us-west-2", region: "us-west-2", partition: "aws", credentials: "global", profilePrefix: "us", primary: true, weight: 2, endpoint: serviceEndpoint("bedrock-runtime", "us-west-2") },
      { id: "tokyo", region: "ap-northeast-1", partition: "aws", credentials: "global", profilePrefix: "apac", primary: false, weight: 1, endpoint: serviceEndpoint("bedrock-runtime", "ap-northeast-1") },
    ]);
    expect(config.cooldownStore).toEqual({ type: "file", path: join(dir, "state/cooldowns.json") });
  });

  it("loads the seed's bedrock_endpoints.conf format with the same meaning", () => {
    const future = Math.floor(Date.now() / 1000) + 600;
    const path = file(
      "bedrock_endpoints.conf",
      JSON.stringify([
        { region: "us-west-2", next_available_time: 0, primary: true, region_profile_prefix: "us" },
        { region: "us-east-1", next_available_time: future, primary: true, region_profile_prefix: "us" },
        { region: "eu-west-3", next_available_time: 0, primary: false, region_profile_prefix: "eu" },
        { region: "ap-southeast-2", next_available_time: 0, primary: false, region_profile_prefix: "" },
      ]),
    );
    const config = loadEndpointConfig(path);
    expect(config.targets.map((t) => [t.id, t.primary, t.profilePrefix])).toEqual([
      ["us-west-2", true, "us"],
      ["us-east-1", true, "us"],
      ["eu-west-3", false, "eu"],
      ["ap-southeast-2", false, undefined],
    ]);
    expect(config.initialCooldowns).toEqual({ "us-east-1": future * 1000 });
  });

  it("reports every problem at once, each with its path", () => {
    const problems = problemsOf(() =>
      parseEndpointConfig(
        JSON.stringify({
          settings: { maxAttempts: 0, multiRegion: "yes", cooldownMs: -1, whenAllCoolingDown: "wait", bogus: 1 },
          credentials: { leaked: { type: "static", accessKeyId: "AKID", secretAccessKey: "shh" } },
          targets: [
            { region: "us-west-2", weight: 0, profilePrefix: "mars" },
            { region: "moon-base-1" },
            { region: "cn-north-1" },
            { region: "us-west-2", credentials: "missing" },
            { region: "eu-west-1", partition: "aws-cn", endpoint: "ftp://x" },
            { region: "us-gov-west-1", profilePrefix: "us" },
          ],
        }),
        { format: "json", source: "inline" },
      ),
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        "settings.maxAttempts",
        "settings.multiRegion",
        "settings.cooldownMs",
        "settings.whenAllCoolingDown",
        "settings.bogus",
        "credentials.leaked.type",
        "targets[0].weight",
        "targets[0].profilePrefix",
        "targets[1].region",
        "targets[2].region",
        "targets[3].credentials",
        "targets[3].id",
        "targets[4].partition",
        "targets[4].endpoint",
        "targets[5].profilePrefix",
      ].sort(),
    );
    expect(byPath["targets[1].region"]).toContain("moon-base-1");
    for (const region of ["us-east-1", "eu-west-3", "us-gov-west-1"]) expect(byPath["targets[1].region"]).toContain(region);
    expect(byPath["targets[2].region"]).toMatch(/no endpoint in cn-north-1/);
    expect(byPath["credentials.leaked.type"]).toMatch(/never hold secrets/);
    expect(byPath["targets[3].id"]).toMatch(/duplicate id "us-west-2"/);
  });

  it("error message lists every problem on its own line", () => {
    try {
      parseEndpointConfig("targets: [{region: nowhere-1}, {region: us-east-1, weight: -2}]", { source: "demo.yaml" });
      expect.unreachable();
    } catch (e) {
      const lines = (e as Error).message.split("\n");
      expect(lines[0]).toBe("invalid bedrock-router configuration (demo.yaml):");
      expect(lines.slice(1).map((l) => l.trim().split(":")[0])).toEqual(["targets[0].region", "targets[1].weight"]);
    }
  });

  it("names the supported regions when a region is unknown", () => {
    const problems = problemsOf(() => parseEndpointConfig("targets: [{region: xx-nowhere-9}]"));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(SUPPORTED_REGIONS.join(", "));
  });

  it("requires credentials for targets outside the home region's partition", () => {
    const problems = problemsOf(() => parseEndpointConfig("homeRegion: cn-northwest-1\ntargets: [{region: us-east-1}]"));
    expect(problems).toEqual([{ path: "targets[0].credentials", message: expect.stringMatching(/partition aws .*cn-northwest-1 \(aws-cn\)/) }]);
  });

  it("reports unreadable and unparsable files", () => {
    expect(problemsOf(() => loadEndpointConfig(join(dir, "absent.yaml")))[0]?.message).toMatch(/ENOENT/);
    expect(problemsOf(() => loadEndpointConfig(file("bad.json", "{ not json")))[0]?.message).toMatch(/cannot parse json/);
    expect(problemsOf(() => parseEndpointConfig("targets: []"))).toEqual([{ path: "targets", message: "required: a non-empty list of targets" }]);
  });

  it("loads the shipped examples", () => {
    const examples = join(import.meta.dirname, "..", "examples");
    expect(loadEndpointConfig(join(examples, "router.yaml")).targets).toHaveLength(4);
    const china = loadEndpointConfig(join(examples, "china.yaml"));
    expect(china.targets.every((t) => t.partition === "aws" && t.credentials === "global")).toBe(true);
    expect(china.cooldownStore).toEqual({ type: "redis", urlEnv: "REDIS_URL" });
    expect(loadEndpointConfig(join(examples, "bedrock_endpoints.conf")).targets.map((t) => t.region)).toEqual([
      "us-west-2",
      "us-east-1",
      "eu-west-3",
      "ap-southeast-2",
    ]);
  });

  it("accepts code-only credential kinds outside files", () => {
    const { problems } = validateRouterConfig({
      targets: [{ region: "us-east-1", credentials: "k" }],
      credentials: { k: { type: "static", accessKeyId: "AKIDX", secretAccessKey: "s" } },
    });
    expect(problems).toEqual([]);
  });
});
