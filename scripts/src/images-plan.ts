// Pure planning for `pnpm images:push`: settings + resolved ECR repository URLs + flags -> the ordered commands that
// put the LiteLLM, middleware (and optionally fake-llm) images into the base stack's ECR repositories. Nothing here
// runs a process; images-run.ts executes a plan with an injectable command runner, images.ts is the CLI.
import { EXAMPLE_ACCOUNT_ID, ecrRegistryHost, isAccountId } from "@gw/partition";
import type { CpuArchitecture, ResourceNames, Settings } from "@gw/config/types";

export type ImageName = "litellm" | "middleware" | "fake-llm";
export type CopyTool = "docker" | "crane" | "skopeo";

/** Published LiteLLM image repository (tag = LITELLM_VERSION). */
export const LITELLM_PUBLIC_IMAGE = "ghcr.io/berriai/litellm";
/** LiteLLM's git repository, built with BUILD_FROM_SOURCE=true (ref = the LITELLM_VERSION tag). */
export const LITELLM_GIT_REPOSITORY = "https://github.com/BerriAI/litellm.git";
/** OCI annotation carrying the source revision of images we build; compared before refusing an existing tag. */
export const REVISION_ANNOTATION = "org.opencontainers.image.revision";
/** Placeholder in a copy command's argv, replaced by the source digest resolved just before the copy. */
export const SOURCE_DIGEST_PLACEHOLDER = "{source-digest}";

export class ImagesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImagesError";
  }
}

/** One process to run. The ECR password only ever travels as stdin (`stdin: "ecr-password"`), never in argv. */
export interface PlannedCommand {
  readonly argv: readonly string[];
  /** Feed the password captured by the plan's `password` command to stdin. Default: no stdin. */
  readonly stdin?: "ecr-password";
  /** stdout is a secret: kept in memory for `stdin: "ecr-password"` consumers, never printed. Default false. */
  readonly secretOutput?: boolean;
  /** Long-running (build, copy): its output streams to the terminal instead of being captured. Default false. */
  readonly streamOutput?: boolean;
}

export type ImageSource =
  | {
      readonly kind: "copy";
      /** Source repository:tag, e.g. ghcr.io/berriai/litellm:<LITELLM_VERSION> or a mirror. */
      readonly image: string;
      /** Prints the digest of the source's manifest for the target platform (format: `digestFormat`). */
      readonly resolveDigest: PlannedCommand;
      readonly digestFormat: "imagetools-json" | "plain";
    }
  | {
      readonly kind: "build";
      /** What is built (Dockerfile path or git context), for messages. */
      readonly context: string;
      /** Value of REVISION_ANNOTATION written into the pushed manifest. */
      readonly revision: string;
      /** False when the revision cannot identify the sources (uncommitted changes, no git): an existing tag is then never reused. */
      readonly revisionIsExact: boolean;
      /** Prints the manifest the target tag points at (aws ecr batch-get-image JSON). */
      readonly readManifest: PlannedCommand;
    };

export interface ImageJob {
  readonly name: ImageName;
  /** ECR repository name (resourceNames(settings).ecrRepositories). */
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  readonly tag: string;
  /** `<repositoryUrl>:<tag>`. */
  readonly target: string;
  readonly platform: string;
  /** The setting that pins this image by digest, printed with the result. */
  readonly digestSetting: string;
  /** Digest already pinned in the settings, if any (a mismatch with the pushed image is reported). */
  readonly pinnedDigest?: string;
  readonly source: ImageSource;
  /** aws ecr describe-images for the target tag (found: JSON; missing: ImageNotFoundException). */
  readonly describe: PlannedCommand;
  /** Copies or builds and pushes `target`. */
  readonly push: PlannedCommand;
}

export interface ImagePlan {
  readonly region: string;
  readonly platform: string;
  /** aws ecr get-login-password (secret stdout). */
  readonly password: PlannedCommand;
  /** One login per registry host and tool, each reading the password from stdin. */
  readonly logins: readonly PlannedCommand[];
  readonly jobs: readonly ImageJob[];
  readonly warnings: readonly string[];
}

export interface ImageFlags {
  /** Also push services/fake-llm (`--fake-llm`). Default false. */
  readonly fakeLlm?: boolean;
  /** fake-llm tag (FAKE_LLM_IMAGE_TAG, read like the fake-llm stack does) and optional pinned digest. */
  readonly fakeLlmTag?: string;
  readonly fakeLlmDigest?: string;
  /** `--source-registry <host[/path]>`: copy LiteLLM from `<value>/litellm:<LITELLM_VERSION>` (e.g. a China mirror). */
  readonly sourceRegistry?: string;
  /** `--source-image` / LITELLM_SOURCE_IMAGE: full source repository without tag; wins over sourceRegistry. */
  readonly sourceImage?: string;
  /** Tool for the LiteLLM copy. Default "docker" (buildx imagetools). */
  readonly copyTool?: CopyTool;
  /** Git revision of this repository (HEAD) for the images we build; `dirty` when there are uncommitted changes. */
  readonly revision?: { readonly commit: string; readonly dirty: boolean };
  /** Repository root: the build context of services/<name>/Dockerfile. Default ".". */
  readonly repoRoot?: string;
}

export type RepositoryUrls = Readonly<Record<ImageName, string>>;

/** linux/arm64 or linux/amd64 for CPU_ARCHITECTURE. */
export function dockerPlatform(architecture: CpuArchitecture): string {
  return architecture === "arm64" ? "linux/arm64" : "linux/amd64";
}

/**
 * Refuses tags that move: `latest` (any case, also `main-latest`) and tags without a version number — the same rule
 * the settings apply, re-checked here because fake-llm's tag and the flags do not pass through the settings.
 */
export function assertImmutableTag(tag: string, setting: string): void {
  if (/latest$/i.test(tag) || !/\d/.test(tag)) {
    throw new ImagesError(`${setting}: "${tag}" is a moving tag; ECR repositories here are immutable and services roll only on a new tag — use a version tag such as 0.1.0`);
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new ImagesError(`${setting}: "${tag}" is not a valid image tag (letters, digits, _ . -; up to 128)`);
  }
}

/** Splits an ECR repository URL `<host>/<name>` and checks the host is the ECR registry of `region`. */
export function parseRepositoryUrl(url: string, region: string, what: string): { readonly host: string; readonly name: string; readonly account: string } {
  const slash = url.indexOf("/");
  const host = slash < 0 ? url : url.slice(0, slash);
  const name = slash < 0 ? "" : url.slice(slash + 1);
  const account = host.split(".")[0] ?? "";
  if (!isAccountId(account) || name === "" || ecrRegistryHost(account, region) !== host) {
    throw new ImagesError(`${what}: "${url}" is not a repository of the ECR registry of ${region} (expected <account>.${ecrRegistryHost(EXAMPLE_ACCOUNT_ID, region).split(".").slice(1).join(".")}/<name>)`);
  }
  return { host, name, account };
}

/** Repository URLs for a registry host given with `--registry` or built from `--account` with ecrRegistryHost. */
export function repositoryUrlsFor(host: string, names: Pick<ResourceNames, "ecrRepositories">): RepositoryUrls {
  return {
    litellm: `${host}/${names.ecrRepositories.litellm}`,
    middleware: `${host}/${names.ecrRepositories.middleware}`,
    "fake-llm": `${host}/${names.ecrRepositories.fakeLlm}`,
  };
}

/** The LiteLLM source repository (without tag): --source-image / LITELLM_SOURCE_IMAGE, else --source-registry, else ghcr. */
export function litellmSourceRepository(flags: Pick<ImageFlags, "sourceImage" | "sourceRegistry">): string {
  if (flags.sourceImage !== undefined) {
    const image = flags.sourceImage.trim();
    // A tag or digest in it would silently diverge from LITELLM_VERSION, which is what the task definition pulls.
    if (image === "" || /@|:[^/]*$/.test(image)) {
      throw new ImagesError(`LITELLM_SOURCE_IMAGE / --source-image: "${flags.sourceImage}" must be a repository without tag or digest (the tag is always LITELLM_VERSION), e.g. registry.example.cn/mirror/berriai/litellm`);
    }
    return image;
  }
  if (flags.sourceRegistry !== undefined) {
    const registry = flags.sourceRegistry.trim().replace(/\/+$/, "");
    if (registry === "" || registry.includes("://") || /\s/.test(registry)) {
      throw new ImagesError(`--source-registry: "${flags.sourceRegistry}" must be a registry host with an optional path, e.g. registry.example.cn/berriai`);
    }
    return `${registry}/litellm`;
  }
  return LITELLM_PUBLIC_IMAGE;
}

function describeImages(region: string, repositoryName: string, tag: string): PlannedCommand {
  return {
    argv: ["aws", "ecr", "describe-images", "--region", region, "--repository-name", repositoryName, "--image-ids", `imageTag=${tag}`, "--output", "json"],
  };
}

function readManifest(region: string, repositoryName: string, tag: string): PlannedCommand {
  return {
    argv: [
      "aws", "ecr", "batch-get-image", "--region", region, "--repository-name", repositoryName, "--image-ids", `imageTag=${tag}`,
      "--accepted-media-types", "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
      "--output", "json",
    ],
  };
}

function buildCommand(target: string, platform: string, revision: string, context: string, dockerfile?: string): PlannedCommand {
  return {
    argv: [
      "docker", "buildx", "build", "--platform", platform,
      ...(dockerfile ? ["--file", dockerfile] : []),
      "--tag", target,
      "--label", `${REVISION_ANNOTATION}=${revision}`,
      "--annotation", `manifest:${REVISION_ANNOTATION}=${revision}`,
      // One plain manifest per tag (no attestation index), so the digest ECR reports is the image's own.
      "--provenance=false",
      "--output", "type=registry,oci-mediatypes=true",
      context,
    ],
    streamOutput: true,
  };
}

function copyCommands(tool: CopyTool, sourceRepo: string, tag: string, target: string, platform: string): { resolve: PlannedCommand; format: "imagetools-json" | "plain"; push: PlannedCommand } {
  const source = `${sourceRepo}:${tag}`;
  const pinned = `${sourceRepo}@${SOURCE_DIGEST_PLACEHOLDER}`;
  const [os, arch] = platform.split("/") as [string, string];
  switch (tool) {
    case "crane":
      return {
        resolve: { argv: ["crane", "digest", "--platform", platform, source] },
        format: "plain",
        push: { argv: ["crane", "copy", pinned, target], streamOutput: true },
      };
    case "skopeo":
      return {
        resolve: { argv: ["skopeo", "inspect", "--override-os", os, "--override-arch", arch, "--format", "{{.Digest}}", `docker://${source}`] },
        format: "plain",
        push: { argv: ["skopeo", "copy", "--preserve-digests", `docker://${pinned}`, `docker://${target}`], streamOutput: true },
      };
    case "docker":
      return {
        resolve: { argv: ["docker", "buildx", "imagetools", "inspect", source, "--format", "{{json .Manifest}}"] },
        format: "imagetools-json",
        // --prefer-index=false: copy the platform's manifest as it is, so the ECR digest equals the source digest.
        push: { argv: ["docker", "buildx", "imagetools", "create", "--prefer-index=false", "--tag", target, pinned], streamOutput: true },
      };
  }
}

function loginCommand(tool: CopyTool, host: string): PlannedCommand {
  switch (tool) {
    case "docker":
      return { argv: ["docker", "login", "--username", "AWS", "--password-stdin", host], stdin: "ecr-password" };
    case "crane":
      return { argv: ["crane", "auth", "login", host, "--username", "AWS", "--password-stdin"], stdin: "ecr-password" };
    case "skopeo":
      return { argv: ["skopeo", "login", "--username", "AWS", "--password-stdin", host], stdin: "ecr-password" };
  }
}

/** Builds the plan; throws ImagesError for a moving tag, a foreign registry URL or an invalid source image. */
export function planImages(settings: Settings, urls: RepositoryUrls, names: Pick<ResourceNames, "ecrRepositories">, flags: ImageFlags = {}): ImagePlan {
  const region = settings.region;
  const platform = dockerPlatform(settings.architecture);
  const copyTool = flags.copyTool ?? "docker";
  const repoRoot = flags.repoRoot ?? ".";
  const warnings: string[] = [];
  const images = settings.images;
  assertImmutableTag(images.litellmTag, "LITELLM_VERSION");
  assertImmutableTag(images.middlewareTag, "MIDDLEWARE_IMAGE_TAG");
  const fakeLlmTag = flags.fakeLlmTag ?? "";
  if (flags.fakeLlm) assertImmutableTag(fakeLlmTag, "FAKE_LLM_IMAGE_TAG");

  const commit = flags.revision?.commit;
  const revision = commit ? `${commit}${flags.revision!.dirty ? "-dirty" : ""}` : "unknown";
  const revisionIsExact = commit !== undefined && !flags.revision!.dirty;
  if (!revisionIsExact) {
    warnings.push(commit
      ? "the working tree has uncommitted changes: built images are annotated as such and an existing tag will not be reused"
      : "no git revision: built images cannot be matched against existing tags");
  }

  const target = (name: ImageName, tag: string, expectedRepo: string) => {
    const parsed = parseRepositoryUrl(urls[name], region, `repository URL of ${name}`);
    if (parsed.name !== expectedRepo) {
      throw new ImagesError(`repository URL of ${name}: "${urls[name]}" names repository "${parsed.name}" but the base stack of this deployment creates "${expectedRepo}"`);
    }
    return { repositoryName: parsed.name, repositoryUrl: urls[name], host: parsed.host, target: `${urls[name]}:${tag}` };
  };

  const jobs: ImageJob[] = [];
  const hosts = new Set<string>();
  let usesDocker = false;
  let usesCopyTool = false;

  const lt = target("litellm", images.litellmTag, names.ecrRepositories.litellm);
  hosts.add(lt.host);
  if (images.buildFromSource) {
    const gitRef = `refs/tags/${images.litellmTag}`;
    const rev = `litellm@${gitRef}`;
    usesDocker = true;
    jobs.push({
      name: "litellm", repositoryName: lt.repositoryName, repositoryUrl: lt.repositoryUrl, tag: images.litellmTag, target: lt.target,
      platform, digestSetting: "LITELLM_IMAGE_DIGEST", pinnedDigest: images.litellmDigest,
      source: { kind: "build", context: `${LITELLM_GIT_REPOSITORY}#${gitRef}`, revision: rev, revisionIsExact: true, readManifest: readManifest(region, lt.repositoryName, images.litellmTag) },
      describe: describeImages(region, lt.repositoryName, images.litellmTag),
      // LiteLLM's own Dockerfile at the release tag; buildx fetches the git context itself.
      push: buildCommand(lt.target, platform, rev, `${LITELLM_GIT_REPOSITORY}#${gitRef}`),
    });
  } else {
    const sourceRepo = litellmSourceRepository(flags);
    if (settings.partition === "aws-cn" && sourceRepo === LITELLM_PUBLIC_IMAGE) {
      warnings.push("ghcr.io is often unreachable from the China regions; if the copy fails, copy from a mirror with --source-registry <host/path> or LITELLM_SOURCE_IMAGE=<repository>");
    }
    const copy = copyCommands(copyTool, sourceRepo, images.litellmTag, lt.target, platform);
    if (copyTool === "docker") usesDocker = true;
    else usesCopyTool = true;
    jobs.push({
      name: "litellm", repositoryName: lt.repositoryName, repositoryUrl: lt.repositoryUrl, tag: images.litellmTag, target: lt.target,
      platform, digestSetting: "LITELLM_IMAGE_DIGEST", pinnedDigest: images.litellmDigest,
      source: { kind: "copy", image: `${sourceRepo}:${images.litellmTag}`, resolveDigest: copy.resolve, digestFormat: copy.format },
      describe: describeImages(region, lt.repositoryName, images.litellmTag),
      push: copy.push,
    });
  }

  const built: { name: ImageName; tag: string; repo: string; setting: string; pinned?: string }[] = [
    { name: "middleware", tag: images.middlewareTag, repo: names.ecrRepositories.middleware, setting: "MIDDLEWARE_IMAGE_DIGEST", pinned: images.middlewareDigest },
  ];
  if (flags.fakeLlm) built.push({ name: "fake-llm", tag: fakeLlmTag, repo: names.ecrRepositories.fakeLlm, setting: "FAKE_LLM_IMAGE_DIGEST", pinned: flags.fakeLlmDigest });
  for (const b of built) {
    const t = target(b.name, b.tag, b.repo);
    hosts.add(t.host);
    usesDocker = true;
    const dockerfile = `${repoRoot.replace(/\/+$/, "")}/services/${b.name}/Dockerfile`;
    jobs.push({
      name: b.name, repositoryName: t.repositoryName, repositoryUrl: t.repositoryUrl, tag: b.tag, target: t.target,
      platform, digestSetting: b.setting, pinnedDigest: b.pinned,
      source: { kind: "build", context: dockerfile, revision, revisionIsExact, readManifest: readManifest(region, t.repositoryName, b.tag) },
      describe: describeImages(region, t.repositoryName, b.tag),
      push: buildCommand(t.target, platform, revision, repoRoot, dockerfile),
    });
  }

  const tools: CopyTool[] = [...(usesDocker ? ["docker" as const] : []), ...(usesCopyTool ? [copyTool] : [])];
  const logins = [...hosts].flatMap((host) => tools.map((tool) => loginCommand(tool, host)));
  return {
    region,
    platform,
    password: { argv: ["aws", "ecr", "get-login-password", "--region", region], secretOutput: true },
    logins,
    jobs,
    warnings,
  };
}

/** The plan as the ordered list of commands with the condition each one runs under (for --dry-run and review). */
export function planSteps(plan: ImagePlan): { readonly when: string; readonly command: PlannedCommand }[] {
  const steps: { when: string; command: PlannedCommand }[] = [{ when: "always", command: plan.password }];
  for (const login of plan.logins) steps.push({ when: "always", command: login });
  for (const job of plan.jobs) {
    steps.push({ when: `${job.name}: does the tag exist?`, command: job.describe });
    if (job.source.kind === "copy") {
      steps.push({ when: `${job.name}: source digest for ${job.platform}`, command: job.source.resolveDigest });
      steps.push({ when: `${job.name}: tag missing (same digest: skip; other digest: refuse)`, command: job.push });
    } else {
      steps.push({ when: `${job.name}: tag exists (same revision: skip; other: refuse)`, command: job.source.readManifest });
      steps.push({ when: `${job.name}: tag missing`, command: job.push });
    }
    steps.push({ when: `${job.name}: after push (resulting digest)`, command: job.describe });
  }
  return steps;
}

/** Shell-quotes argv for display; the stdin source is shown as a redirection note, never a value. */
export function formatCommand(command: PlannedCommand): string {
  const quoted = command.argv.map((a) => (/^[A-Za-z0-9_@%+=:,./{}-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
  return command.stdin === "ecr-password" ? `${quoted}   # stdin: password from aws ecr get-login-password` : quoted;
}

// --- output parsers ------------------------------------------------------------------------------------------------

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** The digest and tags of `aws ecr describe-images` output, or undefined when it lists no image. */
export function parseDescribeImages(stdout: string): { readonly digest: string; readonly tags: readonly string[] } | undefined {
  let parsed: { imageDetails?: { imageDigest?: unknown; imageTags?: unknown }[] };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new ImagesError(`aws ecr describe-images printed something that is not JSON: ${stdout.slice(0, 200)}`);
  }
  const detail = parsed.imageDetails?.[0];
  if (!detail) return undefined;
  if (typeof detail.imageDigest !== "string" || !DIGEST_RE.test(detail.imageDigest)) {
    throw new ImagesError(`aws ecr describe-images returned no valid imageDigest: ${JSON.stringify(detail).slice(0, 200)}`);
  }
  const tags = Array.isArray(detail.imageTags) ? detail.imageTags.filter((t): t is string => typeof t === "string") : [];
  return { digest: detail.imageDigest, tags };
}

/** True when a failed describe-images / batch-get-image says the tag is not there (as opposed to any other error). */
export function isImageNotFound(stderr: string): boolean {
  return /ImageNotFoundException/.test(stderr);
}

/** Digest of the source image for `platform` from `imagetools inspect --format '{{json .Manifest}}'` or a plain digest line. */
export function parseSourceDigest(stdout: string, format: "imagetools-json" | "plain", platform: string, image: string): string {
  if (format === "plain") {
    const digest = stdout.trim();
    if (!DIGEST_RE.test(digest)) throw new ImagesError(`could not read the digest of ${image}: got "${digest.slice(0, 100)}"`);
    return digest;
  }
  let manifest: { digest?: unknown; manifests?: { digest?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown } }[] };
  try {
    manifest = JSON.parse(stdout);
  } catch {
    throw new ImagesError(`could not read the manifest of ${image}: not JSON`);
  }
  const [os, arch] = platform.split("/");
  if (Array.isArray(manifest.manifests)) {
    const match = manifest.manifests.find((m) => m.platform?.os === os && m.platform?.architecture === arch);
    if (!match || typeof match.digest !== "string" || !DIGEST_RE.test(match.digest)) {
      const offered = manifest.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).join(", ");
      throw new ImagesError(`${image} has no ${platform} image (it offers: ${offered}); pick another CPU_ARCHITECTURE or source`);
    }
    return match.digest;
  }
  if (typeof manifest.digest === "string" && DIGEST_RE.test(manifest.digest)) return manifest.digest;
  throw new ImagesError(`could not read the digest of ${image} from its manifest`);
}

/** REVISION_ANNOTATION of the manifest in `aws ecr batch-get-image` output, or undefined when it has none. */
export function parseManifestRevision(stdout: string): string | undefined {
  let parsed: { images?: { imageManifest?: unknown }[] };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new ImagesError("aws ecr batch-get-image printed something that is not JSON");
  }
  const raw = parsed.images?.[0]?.imageManifest;
  if (typeof raw !== "string") return undefined;
  try {
    const manifest = JSON.parse(raw) as { annotations?: Record<string, unknown> };
    const value = manifest.annotations?.[REVISION_ANNOTATION];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

export interface ImageResult {
  readonly name: ImageName;
  readonly target: string;
  readonly digest: string;
  readonly digestSetting: string;
  readonly action: "pushed" | "already present";
  readonly pinnedDigest?: string;
}

/** The lines to print after a run: the digests, `SETTING=sha256:...` lines to pin by digest, and pin mismatches. */
export function resultLines(results: readonly ImageResult[]): string[] {
  const lines = results.map((r) => `${r.name.padEnd(10)} ${r.action.padEnd(15)} ${r.target}@${r.digest}`);
  const settingsPins = results.filter((r) => r.digestSetting !== "FAKE_LLM_IMAGE_DIGEST");
  const fake = results.find((r) => r.digestSetting === "FAKE_LLM_IMAGE_DIGEST");
  if (settingsPins.length > 0) {
    lines.push("", "To pin by digest, put these lines into .env (optional; the tags are immutable already):");
    for (const r of settingsPins) lines.push(`${r.digestSetting}=${r.digest}`);
  }
  if (fake) lines.push("", "The fake-llm stack reads its digest from the environment:", `export FAKE_LLM_IMAGE_DIGEST=${fake.digest}`);
  for (const r of results) {
    if (r.pinnedDigest !== undefined && r.pinnedDigest !== r.digest) {
      lines.push("", `warning: ${r.digestSetting} is set to ${r.pinnedDigest}, but ${r.target} is ${r.digest}; the deployment pulls the pinned digest`);
    }
  }
  return lines;
}
