import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEFAULT_LITELLM_TAG, DEFAULT_MIDDLEWARE_TAG, loadSettings, resourceNames, SettingsError } from "@gw/config";
import { EXAMPLE_ACCOUNT_ID, ecrRegistryHost } from "@gw/partition";
import {
  ImagesError,
  LITELLM_PUBLIC_IMAGE,
  REVISION_ANNOTATION,
  assertImmutableTag,
  formatCommand,
  parseDescribeImages,
  parseManifestRevision,
  parseSourceDigest,
  planImages,
  planSteps,
  repositoryUrlsFor,
  resultLines,
  type ImageFlags,
} from "./images-plan";
import { executeImagePlan, resolveRepositoryUrls, type CommandRunner, type RunOptions } from "./images-run";

const digest = (): string => `sha256:${randomBytes(32).toString("hex")}`;
const COMMIT = "0123456789abcdef0123456789abcdef01234567";

function setup(env: Record<string, string>, flags: ImageFlags = {}) {
  const { settings } = loadSettings({ env, envFile: false });
  const names = resourceNames(settings);
  const host = ecrRegistryHost(EXAMPLE_ACCOUNT_ID, settings.region);
  const urls = repositoryUrlsFor(host, names);
  const plan = planImages(settings, urls, names, { revision: { commit: COMMIT, dirty: false }, ...flags });
  return { settings, names, host, urls, plan };
}

const argvs = (plan: ReturnType<typeof setup>["plan"]) => planSteps(plan).map((s) => s.command.argv);

describe("planImages", () => {
  it("aws, arm64 (default): copies LiteLLM from ghcr and builds the middleware for linux/arm64", () => {
    const { plan, host, names } = setup({ AWS_REGION: "us-east-1" });
    expect(plan.platform).toBe("linux/arm64");
    expect(plan.jobs.map((j) => j.name)).toEqual(["litellm", "middleware"]);
    const [litellm, middleware] = plan.jobs;
    expect(litellm!.target).toBe(`${host}/${names.ecrRepositories.litellm}:${DEFAULT_LITELLM_TAG}`);
    expect(litellm!.source).toMatchObject({ kind: "copy", image: `${LITELLM_PUBLIC_IMAGE}:${DEFAULT_LITELLM_TAG}` });
    expect(litellm!.push.argv).toEqual([
      "docker", "buildx", "imagetools", "create", "--prefer-index=false", "--tag", litellm!.target, `${LITELLM_PUBLIC_IMAGE}@{source-digest}`,
    ]);
    expect(middleware!.target).toBe(`${host}/${names.ecrRepositories.middleware}:${DEFAULT_MIDDLEWARE_TAG}`);
    expect(middleware!.push.argv).toEqual([
      "docker", "buildx", "build", "--platform", "linux/arm64", "--file", "./services/middleware/Dockerfile", "--tag", middleware!.target,
      "--label", `${REVISION_ANNOTATION}=${COMMIT}`, "--annotation", `manifest:${REVISION_ANNOTATION}=${COMMIT}`,
      "--provenance=false", "--output", "type=registry,oci-mediatypes=true", ".",
    ]);
    expect(middleware!.describe.argv).toEqual([
      "aws", "ecr", "describe-images", "--region", "us-east-1", "--repository-name", names.ecrRepositories.middleware,
      "--image-ids", `imageTag=${DEFAULT_MIDDLEWARE_TAG}`, "--output", "json",
    ]);
    expect(plan.password.argv).toEqual(["aws", "ecr", "get-login-password", "--region", "us-east-1"]);
    expect(plan.logins).toEqual([{ argv: ["docker", "login", "--username", "AWS", "--password-stdin", host], stdin: "ecr-password" }]);
    expect(plan.warnings).toEqual([]);
    // Order: password, logins, then per image check -> source -> push -> digest.
    expect(argvs(plan)[0]).toEqual(plan.password.argv);
    expect(argvs(plan)[1]).toEqual(plan.logins[0]!.argv);
  });

  it("x86_64: every platform argument is linux/amd64; crane and skopeo copies ask for the same platform", () => {
    const { plan } = setup({ AWS_REGION: "eu-central-1", CPU_ARCHITECTURE: "x86" }, { copyTool: "crane", fakeLlm: true, fakeLlmTag: "0.2.0" });
    expect(plan.platform).toBe("linux/amd64");
    expect(plan.jobs.map((j) => j.name)).toEqual(["litellm", "middleware", "fake-llm"]);
    const platforms = argvs(plan).flatMap((a) => a.flatMap((v, i) => (a[i - 1] === "--platform" ? [v] : [])));
    expect(platforms).toEqual(["linux/amd64", "linux/amd64", "linux/amd64"]);
    expect(plan.jobs[0]!.source).toMatchObject({ resolveDigest: { argv: ["crane", "digest", "--platform", "linux/amd64", `${LITELLM_PUBLIC_IMAGE}:${DEFAULT_LITELLM_TAG}`] } });
    expect(plan.jobs[2]!.push.argv).toContain("./services/fake-llm/Dockerfile");
    expect(plan.jobs[2]!.target.endsWith("/genai-gateway/fake-llm:0.2.0")).toBe(true);
    expect(plan.logins.map((l) => l.argv[0])).toEqual(["docker", "crane"]);

    const skopeo = setup({ AWS_REGION: "eu-central-1", CPU_ARCHITECTURE: "amd64" }, { copyTool: "skopeo" }).plan.jobs[0]!;
    expect(skopeo.source).toMatchObject({ resolveDigest: { argv: expect.arrayContaining(["--override-os", "linux", "--override-arch", "amd64"]) } });
  });

  it("aws-cn: warns that ghcr may be unreachable, and copies from a mirror given by --source-registry or LITELLM_SOURCE_IMAGE", () => {
    const direct = setup({ AWS_REGION: "cn-north-1" });
    expect(direct.plan.warnings.join("\n")).toMatch(/ghcr\.io.*China.*--source-registry/);
    expect(direct.host).toBe(ecrRegistryHost(EXAMPLE_ACCOUNT_ID, "cn-north-1"));
    expect(direct.plan.jobs[0]!.target.startsWith(`${direct.host}/`)).toBe(true);

    const mirror = setup({ AWS_REGION: "cn-northwest-1" }, { sourceRegistry: "registry.example.cn/berriai/" });
    expect(mirror.plan.warnings).toEqual([]);
    expect(mirror.plan.jobs[0]!.source).toMatchObject({ kind: "copy", image: `registry.example.cn/berriai/litellm:${DEFAULT_LITELLM_TAG}` });
    expect(mirror.plan.jobs[0]!.push.argv.at(-1)).toBe("registry.example.cn/berriai/litellm@{source-digest}");
    expect(mirror.plan.password.argv).toContain("cn-northwest-1");

    const image = setup({ AWS_REGION: "cn-north-1" }, { sourceImage: "mirror.example.cn:5000/ai/litellm", sourceRegistry: "ignored.example.cn" });
    expect(image.plan.jobs[0]!.source).toMatchObject({ image: `mirror.example.cn:5000/ai/litellm:${DEFAULT_LITELLM_TAG}` });
    expect(() => setup({ AWS_REGION: "cn-north-1" }, { sourceImage: "mirror.example.cn/ai/litellm:v1" })).toThrow(/without tag or digest/);
    expect(() => setup({ AWS_REGION: "cn-north-1" }, { sourceRegistry: "https://mirror.example.cn" })).toThrow(/--source-registry/);
  });

  it("us-gov: uses the GovCloud registry host and refuses a repository of another partition or region", () => {
    const { plan, host, settings, names } = setup({ AWS_REGION: "us-gov-west-1" });
    expect(host).toBe(ecrRegistryHost(EXAMPLE_ACCOUNT_ID, "us-gov-west-1"));
    expect(plan.jobs.every((j) => j.target.startsWith(`${host}/`))).toBe(true);
    expect(plan.logins[0]!.argv.at(-1)).toBe(host);
    const commercial = repositoryUrlsFor(ecrRegistryHost(EXAMPLE_ACCOUNT_ID, "us-east-1"), names);
    expect(() => planImages(settings, commercial, names)).toThrow(/not a repository of the ECR registry of us-gov-west-1/);
    const otherDeployment = { ...repositoryUrlsFor(host, names), middleware: `${host}/other/middleware` };
    expect(() => planImages(settings, otherDeployment, names)).toThrow(/names repository "other\/middleware" but .* creates "genai-gateway\/middleware"/);
  });

  it("BUILD_FROM_SOURCE=true builds LiteLLM from its git tag instead of copying", () => {
    const { plan } = setup({ AWS_REGION: "us-east-1", BUILD_FROM_SOURCE: "true", LITELLM_VERSION: "v1.80.0" });
    const litellm = plan.jobs[0]!;
    expect(litellm.source).toMatchObject({ kind: "build", revision: "litellm@refs/tags/v1.80.0", revisionIsExact: true });
    expect(litellm.push.argv.at(-1)).toBe("https://github.com/BerriAI/litellm.git#refs/tags/v1.80.0");
    expect(plan.logins.map((l) => l.argv[0])).toEqual(["docker"]);
  });

  it("refuses latest and other moving tags", () => {
    for (const tag of ["latest", "LATEST", "main-latest", "stable"]) expect(() => assertImmutableTag(tag, "X_TAG")).toThrow(ImagesError);
    expect(() => assertImmutableTag("0.1.0", "X_TAG")).not.toThrow();
    expect(() => setup({ AWS_REGION: "us-east-1" }, { fakeLlm: true, fakeLlmTag: "latest" })).toThrow(/FAKE_LLM_IMAGE_TAG: "latest" is a moving tag/);
    // The settings already refuse it for the LiteLLM and middleware tags, naming the variable.
    expect(() => loadSettings({ env: { MIDDLEWARE_IMAGE_TAG: "latest" }, envFile: false })).toThrow(SettingsError);
  });

  it("never puts a secret into argv: logins read the password from stdin", () => {
    const { plan } = setup({ AWS_REGION: "us-east-1" }, { copyTool: "skopeo", fakeLlm: true, fakeLlmTag: "1.0.0" });
    expect(plan.password.secretOutput).toBe(true);
    for (const login of plan.logins) {
      expect(login.stdin).toBe("ecr-password");
      expect(login.argv).toContain("--password-stdin");
      expect(login.argv.some((a) => a === "-p" || a.startsWith("--password="))).toBe(false);
    }
    expect(formatCommand(plan.logins[0]!)).toMatch(/# stdin: password from aws ecr get-login-password$/);
  });

  it("marks builds from a dirty tree as inexact and warns", () => {
    const { plan } = setup({ AWS_REGION: "us-east-1" }, { revision: { commit: COMMIT, dirty: true } });
    expect(plan.jobs[1]!.source).toMatchObject({ revision: `${COMMIT}-dirty`, revisionIsExact: false });
    expect(plan.warnings.join()).toMatch(/uncommitted/);
  });
});

describe("output parsers", () => {
  it("reads describe-images, source manifests and revisions", () => {
    const d = digest();
    expect(parseDescribeImages(JSON.stringify({ imageDetails: [{ imageDigest: d, imageTags: ["0.1.0"] }] }))).toEqual({ digest: d, tags: ["0.1.0"] });
    expect(parseDescribeImages(JSON.stringify({ imageDetails: [] }))).toBeUndefined();
    expect(() => parseDescribeImages("oops")).toThrow(/not JSON/);
    expect(() => parseDescribeImages(JSON.stringify({ imageDetails: [{ imageDigest: "sha256:short" }] }))).toThrow(/imageDigest/);

    const arm = digest();
    const amd = digest();
    const index = JSON.stringify({
      digest: digest(),
      manifests: [
        { digest: amd, platform: { os: "linux", architecture: "amd64" } },
        { digest: arm, platform: { os: "linux", architecture: "arm64" } },
      ],
    });
    expect(parseSourceDigest(index, "imagetools-json", "linux/arm64", "src")).toBe(arm);
    expect(parseSourceDigest(index, "imagetools-json", "linux/amd64", "src")).toBe(amd);
    expect(() => parseSourceDigest(index, "imagetools-json", "linux/s390x", "src")).toThrow(/no linux\/s390x image \(it offers: linux\/amd64, linux\/arm64\)/);
    expect(parseSourceDigest(`${arm}\n`, "plain", "linux/arm64", "src")).toBe(arm);
    expect(() => parseSourceDigest("Error: unauthorized", "plain", "linux/arm64", "src")).toThrow(/could not read the digest/);

    const manifest = JSON.stringify({ schemaVersion: 2, annotations: { [REVISION_ANNOTATION]: COMMIT } });
    expect(parseManifestRevision(JSON.stringify({ images: [{ imageManifest: manifest }] }))).toBe(COMMIT);
    expect(parseManifestRevision(JSON.stringify({ images: [{ imageManifest: "{}" }] }))).toBeUndefined();
  });

  it("prints the exact digest lines to pin, and flags a pinned digest that differs", () => {
    const a = digest();
    const b = digest();
    const c = digest();
    const lines = resultLines([
      { name: "litellm", target: "r/litellm:1", digest: a, digestSetting: "LITELLM_IMAGE_DIGEST", action: "pushed" },
      { name: "middleware", target: "r/middleware:1", digest: b, digestSetting: "MIDDLEWARE_IMAGE_DIGEST", action: "already present", pinnedDigest: c },
      { name: "fake-llm", target: "r/fake-llm:1", digest: c, digestSetting: "FAKE_LLM_IMAGE_DIGEST", action: "pushed" },
    ]);
    expect(lines).toContain(`LITELLM_IMAGE_DIGEST=${a}`);
    expect(lines).toContain(`MIDDLEWARE_IMAGE_DIGEST=${b}`);
    expect(lines).toContain(`export FAKE_LLM_IMAGE_DIGEST=${c}`);
    expect(lines.find((l) => l.startsWith("litellm"))).toContain(`r/litellm:1@${a}`);
    expect(lines.join("\n")).toMatch(new RegExp(`warning: MIDDLEWARE_IMAGE_DIGEST is set to ${c}, but r/middleware:1 is ${b}`));
  });
});

/**
 * A fake AWS CLI + docker/crane + registry: ECR repositories as tag -> {digest, revision}, a source index with one
 * digest per platform. It checks that logins get the password on stdin and records every call.
 */
class FakeTools {
  readonly password = `eyJ${randomBytes(24).toString("base64url")}`;
  readonly calls: { argv: readonly string[]; opts: RunOptions }[] = [];
  readonly ecr = new Map<string, { digest: string; revision?: string }>();
  readonly source = { "linux/arm64": digest(), "linux/amd64": digest() };
  failLogin = false;

  readonly run: CommandRunner = async (argv, opts = {}) => {
    this.calls.push({ argv, opts });
    const ok = (stdout = "") => ({ code: 0, stdout, stderr: "" });
    const arg = (flag: string) => argv[argv.indexOf(flag) + 1]!;
    const key = () => `${arg("--repository-name")}:${arg("--image-ids").replace("imageTag=", "")}`;
    const notFound = { code: 254, stdout: "", stderr: "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: not found" };
    const cmd = argv.slice(0, 3).join(" ");
    if (cmd === "aws ecr get-login-password") return ok(`${this.password}\n`);
    if (argv.includes("login")) {
      if (opts.stdin !== this.password) return { code: 1, stdout: "", stderr: "Error: Cannot perform an interactive login" };
      return this.failLogin ? { code: 1, stdout: "", stderr: "Error response from daemon: login attempt failed" } : ok("Login Succeeded");
    }
    if (cmd === "aws ecr describe-images") {
      const image = this.ecr.get(key());
      return image ? ok(JSON.stringify({ imageDetails: [{ imageDigest: image.digest, imageTags: [key().split(":")[1]] }] })) : notFound;
    }
    if (cmd === "aws ecr batch-get-image") {
      const image = this.ecr.get(key());
      const manifest = JSON.stringify({ schemaVersion: 2, annotations: image?.revision ? { [REVISION_ANNOTATION]: image.revision } : undefined });
      return ok(JSON.stringify({ images: image ? [{ imageManifest: manifest }] : [] }));
    }
    if (cmd === "docker buildx imagetools" && argv[3] === "inspect") {
      return ok(JSON.stringify({ digest: digest(), manifests: Object.entries(this.source).map(([p, d]) => ({ digest: d, platform: { os: "linux", architecture: p.split("/")[1] } })) }));
    }
    const store = (target: string, value: { digest: string; revision?: string }) => {
      const [url, tag] = [target.slice(0, target.lastIndexOf(":")), target.slice(target.lastIndexOf(":") + 1)];
      const k = `${url.slice(url.indexOf("/") + 1)}:${tag}`;
      if (this.ecr.has(k)) return { code: 1, stdout: "", stderr: "tag invalid: The image tag already exists and cannot be overwritten because the repository is immutable." };
      this.ecr.set(k, value);
      return ok();
    };
    if (cmd === "docker buildx imagetools" && argv[3] === "create") {
      return store(arg("--tag"), { digest: argv.at(-1)!.split("@")[1]! });
    }
    if (cmd === "docker buildx build") {
      return store(arg("--tag"), { digest: digest(), revision: arg("--annotation").split("=")[1] });
    }
    return { code: 127, stdout: "", stderr: `${argv[0]}: command not found` };
  };

  pushes(): string[] {
    return this.calls.filter((c) => c.argv.includes("create") || c.argv.includes("build")).map((c) => c.argv[2]!);
  }
}

describe("executeImagePlan (fake runner)", () => {
  it("pushes into empty repositories, reports digests, and skips on a second run with the same sources", async () => {
    const tools = new FakeTools();
    const { plan, names } = setup({ AWS_REGION: "us-east-1" }, { fakeLlm: true, fakeLlmTag: "0.3.0" });
    const logs: string[] = [];
    const first = await executeImagePlan(plan, tools.run, (l) => logs.push(l));
    expect(first.map((r) => [r.name, r.action])).toEqual([["litellm", "pushed"], ["middleware", "pushed"], ["fake-llm", "pushed"]]);
    expect(first[0]!.digest).toBe(tools.source["linux/arm64"]);
    expect(first[1]!.digest).toBe(tools.ecr.get(`${names.ecrRepositories.middleware}:${DEFAULT_MIDDLEWARE_TAG}`)!.digest);
    // The copy used the digest resolved for the platform, not the moving source tag.
    expect(tools.calls.find((c) => c.argv[3] === "create")!.argv.at(-1)).toBe(`${LITELLM_PUBLIC_IMAGE}@${tools.source["linux/arm64"]}`);
    expect(tools.pushes()).toEqual(["imagetools", "build", "build"]);

    const before = tools.calls.length;
    const second = await executeImagePlan(plan, tools.run, (l) => logs.push(l));
    expect(second.map((r) => r.action)).toEqual(["already present", "already present", "already present"]);
    expect(second.map((r) => r.digest)).toEqual(first.map((r) => r.digest));
    expect(tools.calls.slice(before).some((c) => c.argv.includes("create") || c.argv.includes("build"))).toBe(false);
    expect(logs.filter((l) => l.endsWith("skipped"))).toHaveLength(3);
  });

  it("refuses to overwrite a tag that holds another image", async () => {
    const tools = new FakeTools();
    const { plan, names } = setup({ AWS_REGION: "us-east-1", CPU_ARCHITECTURE: "x86_64" });
    const foreign = digest();
    tools.ecr.set(`${names.ecrRepositories.litellm}:${DEFAULT_LITELLM_TAG}`, { digest: foreign });
    await expect(executeImagePlan(plan, tools.run, () => {})).rejects.toThrow(
      new RegExp(`already exists with digest ${foreign}, but .* for linux/amd64 is ${tools.source["linux/amd64"]}.*new LITELLM_VERSION`),
    );
    expect(tools.pushes()).toEqual([]);

    const tools2 = new FakeTools();
    tools2.ecr.set(`${names.ecrRepositories.middleware}:${DEFAULT_MIDDLEWARE_TAG}`, { digest: digest(), revision: "f".repeat(40) });
    await expect(executeImagePlan(plan, tools2.run, () => {})).rejects.toThrow(/built from f{40}\) and this build is from 0123.*set a new MIDDLEWARE_IMAGE_TAG/);
    expect(tools2.pushes()).toEqual(["imagetools"]);
  });

  it("never reuses a tag for a build from uncommitted changes", async () => {
    const tools = new FakeTools();
    const { plan, names } = setup({ AWS_REGION: "us-east-1" }, { revision: { commit: COMMIT, dirty: true } });
    tools.ecr.set(`${names.ecrRepositories.middleware}:${DEFAULT_MIDDLEWARE_TAG}`, { digest: digest(), revision: `${COMMIT}-dirty` });
    await expect(executeImagePlan(plan, tools.run, () => {})).rejects.toThrow(/and commit your changes/);
  });

  it("keeps the ECR password out of every argv and every log line, also when a login fails", async () => {
    const tools = new FakeTools();
    const { plan } = setup({ AWS_REGION: "eu-west-1" });
    const logs: string[] = [];
    await executeImagePlan(plan, tools.run, (l) => logs.push(l));
    const logins = tools.calls.filter((c) => c.argv.includes("login"));
    expect(logins).toHaveLength(1);
    expect(logins[0]!.opts.stdin).toBe(tools.password);
    for (const c of tools.calls) expect(c.argv.join(" ")).not.toContain(tools.password);
    expect(tools.calls.filter((c) => c.opts.stdin !== undefined)).toEqual(logins);
    expect(logs.join("\n")).not.toContain(tools.password);
    expect(logs.join("\n")).toMatch(/docker login --username AWS --password-stdin .*# stdin: password/);

    const failing = new FakeTools();
    failing.failLogin = true;
    const err = await executeImagePlan(plan, failing.run, () => {}).then(() => new Error("no error"), (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(ImagesError);
    expect(err.message).toMatch(/docker login --username failed \(exit 1\): Error response from daemon/);
    expect(err.message).not.toContain(failing.password);
  });

  it("resolves the repository URLs from the base stack's SSM hand-off parameters", async () => {
    const { settings, names, urls } = setup({ AWS_REGION: "us-gov-east-1", DEPLOYMENT_NAME: "gw-test" });
    const calls: (readonly string[])[] = [];
    const runner: CommandRunner = async (argv) => {
      calls.push(argv);
      const name = argv[argv.indexOf("--name") + 1]!;
      const key = name.split("/").at(-1)!;
      const map: Record<string, string> = { "ecr-litellm-url": urls.litellm, "ecr-middleware-url": urls.middleware };
      return map[key] ? { code: 0, stdout: `${map[key]}\n`, stderr: "" } : { code: 254, stdout: "", stderr: "An error occurred (ParameterNotFound) when calling the GetParameter operation" };
    };
    const resolved = await resolveRepositoryUrls(runner, names, settings.region, ["litellm", "middleware"]);
    expect(resolved.litellm).toBe(urls.litellm);
    expect(resolved.middleware).toBe(urls.middleware);
    expect(calls[0]).toEqual(["aws", "ssm", "get-parameter", "--region", "us-gov-east-1", "--name", "/gw-test/ecr-litellm-url", "--query", "Parameter.Value", "--output", "text"]);
    expect(planImages(settings, resolved, names).jobs[1]!.target).toBe(`${urls.middleware}:${DEFAULT_MIDDLEWARE_TAG}`);
    await expect(resolveRepositoryUrls(runner, names, settings.region, ["fake-llm"])).rejects.toThrow(/\/gw-test\/ecr-fake-llm-url .*deploy the base stack first/);
  });
});
