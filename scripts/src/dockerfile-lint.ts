// Lints the project's Dockerfiles without a Docker engine: syntax through dockerfile-utils (the VS Code Dockerfile
// validator) plus the rules our images promise: pinned base images, a non-root runtime user, a health check and no
// secret-looking build-time environment.
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { validate, ValidationSeverity } from "dockerfile-utils";

export interface DockerfileProblem {
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|MASTER_KEY|PRIVATE_KEY)/i;

/** Global ARG defaults (ARGs before the first FROM), used to resolve `FROM ${NODE_IMAGE}`. */
function globalArgs(instructions: Instruction[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const i of instructions) {
    if (i.getKeyword() === "FROM") break;
    if (i.getKeyword() !== "ARG") continue;
    const [name, value] = i.getArgumentsContent()?.split("=", 2) ?? [];
    if (name && value !== undefined) args.set(name.trim(), value.trim().replace(/^"(.*)"$/, "$1"));
  }
  return args;
}

function resolveArgs(text: string, args: Map<string, string>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => args.get(name) ?? whole);
}

/** Every problem in one Dockerfile; an empty list means it passes. */
export function lintDockerfile(content: string): DockerfileProblem[] {
  const problems: DockerfileProblem[] = [];
  for (const d of validate(content)) {
    if (d.severity === ValidationSeverity.ERROR || d.severity === ValidationSeverity.WARNING) {
      problems.push({ line: d.range.start.line + 1, rule: "syntax", message: typeof d.message === "string" ? d.message : d.message.value });
    }
  }
  const dockerfile = DockerfileParser.parse(content);
  const instructions = dockerfile.getInstructions();
  const args = globalArgs(instructions);
  const stageNames = new Set<string>();
  for (const from of dockerfile.getFROMs()) {
    const line = from.getRange().start.line + 1;
    const image = resolveArgs(from.getImage() ?? "", args);
    const stage = from.getBuildStage();
    if (!stageNames.has(image)) {
      const tag = image.includes("@sha256:") ? "digest" : image.split("/").pop()!.split(":")[1];
      if (!tag) problems.push({ line, rule: "pinned-base", message: `base image ${image} has no tag: pin a version or digest` });
      else if (tag === "latest" || /^(lts|current|alpine|slim)$/.test(tag)) {
        problems.push({ line, rule: "pinned-base", message: `base image ${image} uses a moving tag: pin a version or digest` });
      }
    }
    if (stage) stageNames.add(stage);
  }
  const froms = dockerfile.getFROMs();
  const lastFrom = froms[froms.length - 1];
  const finalStage = lastFrom ? instructions.filter((i) => i.getRange().start.line > lastFrom.getRange().start.line) : [];
  const users = finalStage.filter((i) => i.getKeyword() === "USER");
  const finalUser = users[users.length - 1]?.getArgumentsContent()?.trim();
  if (!finalUser || /^(root|0)(:.*)?$/.test(finalUser)) {
    problems.push({ line: (users[users.length - 1]?.getRange().start.line ?? 0) + 1, rule: "non-root", message: "the runtime stage must end with USER set to an unprivileged user" });
  }
  if (!finalStage.some((i) => i.getKeyword() === "HEALTHCHECK")) {
    problems.push({ line: (lastFrom?.getRange().start.line ?? 0) + 1, rule: "healthcheck", message: "the runtime stage has no HEALTHCHECK" });
  }
  for (const i of instructions) {
    if (i.getKeyword() !== "ENV" && i.getKeyword() !== "ARG") continue;
    const names = (i.getArgumentsContent() ?? "").split(/\s+/).map((kv) => kv.split("=")[0]!);
    for (const name of names) {
      if (SECRET_NAME.test(name)) {
        problems.push({ line: i.getRange().start.line + 1, rule: "no-secrets", message: `${i.getKeyword()} ${name} looks like a secret: pass secrets at run time, never in the image` });
      }
    }
  }
  return problems;
}
