// Executes an image plan (images-plan.ts) through an injectable command runner: logs in to ECR with the password on
// stdin only, refuses to overwrite an existing immutable tag unless it already holds the same source, pushes, and
// reports the resulting digests. Also resolves the repository URLs from the base stack's SSM hand-off parameters.
import { spawn } from "node:child_process";
import type { ResourceNames } from "@gw/config/types";
import {
  ImagesError,
  SOURCE_DIGEST_PLACEHOLDER,
  formatCommand,
  isImageNotFound,
  parseDescribeImages,
  parseManifestRevision,
  parseSourceDigest,
  type CopyTool,
  type ImageJob,
  type ImagePlan,
  type ImageResult,
  type ImageName,
  type PlannedCommand,
  type RepositoryUrls,
} from "./images-plan";

export interface RunOptions {
  /** Written to the process's stdin, then closed. */
  readonly stdin?: string;
  /** Stream stdout/stderr to the terminal instead of capturing them. */
  readonly streamOutput?: boolean;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type CommandRunner = (argv: readonly string[], opts?: RunOptions) => Promise<RunResult>;

/** Runs a process without a shell; a missing executable yields code 127 rather than an exception. */
export const spawnRunner: CommandRunner = (argv, opts = {}) =>
  new Promise((resolve) => {
    const [cmd, ...args] = argv;
    const stream = opts.streamOutput ?? false;
    const child = spawn(cmd!, args, {
      stdio: [opts.stdin !== undefined ? "pipe" : "ignore", stream ? "inherit" : "pipe", stream ? "inherit" : "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (err: NodeJS.ErrnoException) => {
      resolve({ code: 127, stdout: "", stderr: err.code === "ENOENT" ? `${cmd}: command not found` : err.message });
    });
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  });

/** SSM hand-off keys written by the base stack for each repository. */
const HANDOFF_KEY: Readonly<Record<ImageName, string>> = {
  litellm: "ecr-litellm-url",
  middleware: "ecr-middleware-url",
  "fake-llm": "ecr-fake-llm-url",
};

/** `aws ssm get-parameter` for one hand-off key (`<ssmPrefix><key>`, the contract of @gw/constructs/handoff). */
export function handoffLookup(names: Pick<ResourceNames, "ssmPrefix">, region: string, name: ImageName): PlannedCommand {
  return {
    argv: ["aws", "ssm", "get-parameter", "--region", region, "--name", `${names.ssmPrefix}${HANDOFF_KEY[name]}`, "--query", "Parameter.Value", "--output", "text"],
  };
}

/** Reads the repository URLs the base stack published; a missing parameter means base is not deployed yet. */
export async function resolveRepositoryUrls(
  runner: CommandRunner,
  names: Pick<ResourceNames, "ssmPrefix">,
  region: string,
  wanted: readonly ImageName[],
): Promise<RepositoryUrls> {
  const urls: Partial<Record<ImageName, string>> = {};
  for (const name of wanted) {
    const parameter = `${names.ssmPrefix}${HANDOFF_KEY[name]}`;
    const r = await runner(handoffLookup(names, region, name).argv);
    if (r.code !== 0) {
      const hint = /ParameterNotFound/.test(r.stderr)
        ? "deploy the base stack first (cdktf deploy base), or give the registry with --registry <host> / --account <id>"
        : r.stderr.trim();
      throw new ImagesError(`could not read ${parameter} in ${region}: ${hint}`);
    }
    urls[name] = r.stdout.trim();
  }
  // Repositories not asked for keep a value that the plan never uses.
  return { litellm: urls.litellm ?? "", middleware: urls.middleware ?? "", "fake-llm": urls["fake-llm"] ?? "" };
}

/** The first of crane, skopeo that answers, else docker (buildx imagetools). */
export async function detectCopyTool(runner: CommandRunner): Promise<CopyTool> {
  if ((await runner(["crane", "version"])).code === 0) return "crane";
  if ((await runner(["skopeo", "--version"])).code === 0) return "skopeo";
  return "docker";
}

type Log = (line: string) => void;

async function runChecked(runner: CommandRunner, command: PlannedCommand, log: Log, opts: RunOptions = {}): Promise<RunResult> {
  if (!command.secretOutput) log(`$ ${formatCommand(command)}`);
  const r = await runner(command.argv, { ...opts, streamOutput: command.streamOutput });
  if (r.code !== 0) {
    // stderr only: stdout of a secret-bearing command is never shown.
    throw new ImagesError(`${command.argv.slice(0, 3).join(" ")} failed (exit ${r.code})${r.stderr.trim() ? `: ${r.stderr.trim()}` : ""}`);
  }
  return r;
}

/** describe-images: the digest at the tag, or undefined when the tag does not exist. */
async function existingDigest(runner: CommandRunner, job: ImageJob, log: Log): Promise<string | undefined> {
  log(`$ ${formatCommand(job.describe)}`);
  const r = await runner(job.describe.argv);
  if (r.code !== 0) {
    if (isImageNotFound(r.stderr)) return undefined;
    if (/RepositoryNotFoundException/.test(r.stderr)) {
      throw new ImagesError(`ECR repository ${job.repositoryName} does not exist in ${job.repositoryUrl.split("/")[0]}; deploy the base stack first`);
    }
    throw new ImagesError(`aws ecr describe-images failed for ${job.target} (exit ${r.code}): ${r.stderr.trim()}`);
  }
  const found = parseDescribeImages(r.stdout);
  return found?.digest;
}

async function runJob(runner: CommandRunner, job: ImageJob, log: Log): Promise<ImageResult> {
  const result = (digest: string, action: ImageResult["action"]): ImageResult => ({
    name: job.name, target: job.target, digest, digestSetting: job.digestSetting, action, pinnedDigest: job.pinnedDigest,
  });
  const existing = await existingDigest(runner, job, log);
  let push = job.push;
  if (job.source.kind === "copy") {
    const resolved = await runChecked(runner, job.source.resolveDigest, log);
    const sourceDigest = parseSourceDigest(resolved.stdout, job.source.digestFormat, job.platform, job.source.image);
    if (existing !== undefined) {
      if (existing === sourceDigest) {
        log(`${job.target} already holds ${job.source.image} (${job.platform}, ${sourceDigest}); skipped`);
        return result(existing, "already present");
      }
      throw new ImagesError(
        `${job.target} already exists with digest ${existing}, but ${job.source.image} for ${job.platform} is ${sourceDigest}; ` +
          "the repository's tags are immutable: use a new LITELLM_VERSION, or check that the source (mirror) serves the image you expect",
      );
    }
    push = { ...push, argv: push.argv.map((a) => a.replace(SOURCE_DIGEST_PLACEHOLDER, sourceDigest)) };
  } else if (existing !== undefined) {
    const manifest = await runChecked(runner, job.source.readManifest, log);
    const revision = parseManifestRevision(manifest.stdout);
    if (job.source.revisionIsExact && revision === job.source.revision) {
      log(`${job.target} was already built from ${revision}; skipped`);
      return result(existing, "already present");
    }
    const setting = job.name === "litellm" ? "LITELLM_VERSION" : job.name === "middleware" ? "MIDDLEWARE_IMAGE_TAG" : "FAKE_LLM_IMAGE_TAG";
    throw new ImagesError(
      `${job.target} already exists (${existing}, built from ${revision ?? "an unknown revision"}) and this build is from ${job.source.revision}; ` +
        `tags are immutable: set a new ${setting}${job.source.revisionIsExact ? "" : " (and commit your changes)"}`,
    );
  }
  await runChecked(runner, push, log);
  const after = await existingDigest(runner, job, log);
  if (after === undefined) throw new ImagesError(`${job.target} was pushed but aws ecr describe-images does not list it`);
  return result(after, "pushed");
}

/**
 * Runs the plan in order and returns one result per image. The ECR password is captured from the `password`
 * command, handed to each login on stdin, and never logged or put into an argv.
 */
export async function executeImagePlan(plan: ImagePlan, runner: CommandRunner, log: Log = (l) => console.log(l)): Promise<ImageResult[]> {
  log(`$ ${formatCommand(plan.password)}   # output kept in memory, never printed`);
  const password = (await runChecked(runner, plan.password, log)).stdout.trim();
  if (password === "") throw new ImagesError("aws ecr get-login-password returned nothing");
  for (const login of plan.logins) await runChecked(runner, login, log, { stdin: password });
  const results: ImageResult[] = [];
  for (const job of plan.jobs) results.push(await runJob(runner, job, log));
  return results;
}
