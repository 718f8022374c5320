// ECS task definitions keep secrets in `secrets` (Secrets Manager / SSM references), never in `environment`:
// environment values are readable by anyone who can describe the task definition (upstream-infra S9).
import { policyRule } from "./rule";
import { resourcesOf } from "./terraform-json";

/** Variable names that say "secret". PUBLIC_KEY-style names are not secrets and do not match. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|MASTER_KEY|SALT_KEY|HASH_KEY|ACCESS_KEY|CREDENTIAL)/i;

/** Values that look like secret material, or references to generated secret values. */
const SECRET_VALUES: readonly RegExp[] = [
  /^sk-[A-Za-z0-9_-]{8,}/, // LiteLLM / OpenAI-style keys
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /:\/\/[^/\s:@]+:[^@\s]+@/, // URL with embedded password
  /\$\{random_password\./,
  /\$\{aws_secretsmanager_secret_version\.[^}]*secret_string/,
  /\$\{data\.aws_secretsmanager_secret_version\./,
];

interface ContainerEnv {
  name?: string;
  environment?: { name?: string; value?: string }[];
}

/** Problems in one container-definitions JSON string (exported for tests of other task producers). */
export function secretsInEnvironment(containerDefinitions: string): string[] {
  let containers: ContainerEnv[];
  try {
    containers = JSON.parse(containerDefinitions) as ContainerEnv[];
  } catch {
    return ["container_definitions is not JSON the rule can read"];
  }
  const problems: string[] = [];
  for (const c of containers) {
    for (const e of c.environment ?? []) {
      const name = e.name ?? "";
      const value = e.value ?? "";
      if (SECRET_NAME.test(name)) problems.push(`container ${c.name}: environment variable ${name} looks like a secret; use "secrets"`);
      else if (SECRET_VALUES.some((re) => re.test(value))) problems.push(`container ${c.name}: environment variable ${name} holds a secret-looking value`);
    }
  }
  return problems;
}

export const noSecretsInTaskEnv = policyRule(
  "no-secrets-in-task-env",
  "ECS task definitions carry no secret-looking names or values in container environment variables",
  (tf, report) => {
    for (const t of resourcesOf(tf, "aws_ecs_task_definition")) {
      const defs = t.config.container_definitions;
      if (typeof defs !== "string") continue;
      for (const message of secretsInEnvironment(defs)) report(t.address, message);
    }
  },
);
