// `pnpm images:push`: puts the images the ecs/eks task definitions pull into the ECR repositories the base stack
// created — LiteLLM copied from ghcr.io (or a mirror) at LITELLM_VERSION, the middleware (and with --fake-llm the
// fake LLM) built from this repository — for CPU_ARCHITECTURE, then prints the digests to pin. See scripts/README.md.
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { resourceNames } from "@gw/config";
import { ecrRegistryHost, isAccountId } from "@gw/partition";
import { loadSettingsOrExit } from "@gw/stacks/settings-cli";
import { ImagesError, formatCommand, planImages, planSteps, repositoryUrlsFor, resultLines, type CopyTool, type ImageName } from "./images-plan";
import { detectCopyTool, executeImagePlan, handoffLookup, resolveRepositoryUrls, spawnRunner, type CommandRunner } from "./images-run";

const USAGE = `Usage: pnpm images:push [options]
  --dry-run                 print the plan (looks up the hand-off parameters unless --registry/--account is given)
  --fake-llm                also build and push services/fake-llm (tag FAKE_LLM_IMAGE_TAG, default 0.1.0)
  --registry <host>         ECR registry host instead of the base stack's SSM hand-off parameters
  --account <id>            same, with the host built for the deployment region from the account id
  --source-registry <host[/path]>  copy LiteLLM from <host[/path]>/litellm:<LITELLM_VERSION> (a mirror, e.g. for China)
  --source-image <repo>     copy LiteLLM from <repo>:<LITELLM_VERSION> (also the LITELLM_SOURCE_IMAGE setting)
  --copy-tool docker|crane|skopeo   tool for the LiteLLM copy (default: crane, else skopeo, else docker buildx)`;

async function gitRevision(runner: CommandRunner, cwd: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  const head = await runner(["git", "-C", cwd, "rev-parse", "HEAD"]);
  if (head.code !== 0) return undefined;
  const status = await runner(["git", "-C", cwd, "status", "--porcelain"]);
  return { commit: head.stdout.trim(), dirty: status.code !== 0 || status.stdout.trim() !== "" };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "dry-run": { type: "boolean", default: false },
      "fake-llm": { type: "boolean", default: false },
      registry: { type: "string" },
      account: { type: "string" },
      "source-registry": { type: "string" },
      "source-image": { type: "string" },
      "copy-tool": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.registry !== undefined && values.account !== undefined) throw new ImagesError("give either --registry or --account, not both");
  if (values["copy-tool"] !== undefined && !["docker", "crane", "skopeo"].includes(values["copy-tool"])) {
    throw new ImagesError(`--copy-tool: "${values["copy-tool"]}" must be docker, crane or skopeo`);
  }

  const { settings } = loadSettingsOrExit(process.env, { printWarnings: false });
  const names = resourceNames(settings);
  const wanted: ImageName[] = ["litellm", "middleware", ...(values["fake-llm"] ? (["fake-llm"] as const) : [])];
  const runner = spawnRunner;

  let urls;
  if (values.account !== undefined) {
    if (!isAccountId(values.account)) throw new ImagesError(`--account: "${values.account}" is not a 12-digit account id`);
    urls = repositoryUrlsFor(ecrRegistryHost(values.account, settings.region), names);
  } else if (values.registry !== undefined) {
    urls = repositoryUrlsFor(values.registry.trim().replace(/\/+$/, ""), names);
  } else {
    for (const name of wanted) console.log(`$ ${formatCommand(handoffLookup(names, settings.region, name))}`);
    urls = await resolveRepositoryUrls(runner, names, settings.region, wanted);
  }

  const repoRootAbs = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const repoRoot = relative(process.cwd(), repoRootAbs) || ".";
  let fakeLlm: { tag?: string; digest?: string } = {};
  if (values["fake-llm"]) {
    // The fake-llm stack's own reader, so the pushed tag is the one that stack deploys.
    const { fakeLlmOptionsFromEnv } = await import("@gw/stacks/fake-llm-stack");
    const options = fakeLlmOptionsFromEnv(process.env);
    fakeLlm = { tag: options.imageTag, digest: options.imageDigest };
  }
  const copyTool: CopyTool | undefined = settings.images.buildFromSource
    ? undefined
    : ((values["copy-tool"] as CopyTool | undefined) ?? (await detectCopyTool(runner)));

  const plan = planImages(settings, urls, names, {
    fakeLlm: values["fake-llm"],
    fakeLlmTag: fakeLlm.tag,
    fakeLlmDigest: fakeLlm.digest,
    sourceRegistry: values["source-registry"],
    sourceImage: values["source-image"] ?? settings.images.litellmSourceImage,
    copyTool,
    revision: await gitRevision(runner, repoRootAbs),
    repoRoot,
  });
  for (const w of plan.warnings) console.warn(`warning: ${w}`);

  if (values["dry-run"]) {
    console.log(`Plan for ${settings.deploymentName} in ${settings.region} (${plan.platform}):`);
    for (const step of planSteps(plan)) console.log(`  [${step.when}]\n    ${formatCommand(step.command)}`);
    return;
  }
  const results = await executeImagePlan(plan, runner);
  console.log("");
  for (const line of resultLines(results)) console.log(line);
}

main().catch((err: unknown) => {
  if (err instanceof ImagesError) {
    console.error(`images:push: ${err.message}`);
    process.exit(1);
  }
  throw err;
});
