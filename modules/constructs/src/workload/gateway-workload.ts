// The one platform-neutral description of the gateway's two containers (LiteLLM + middleware). The ecs stack turns
// it into an ECS task definition; the eks stack is meant to turn it into a pod spec when its workload lands, so neither
// restates ports, env, secrets or probes.
import { LOG_BUCKET_ENV, renderLiteLLMConfig } from "@gw/config/render";
import type { Settings } from "@gw/config/types";
import { regionFacts } from "@gw/partition";
import type { SecretLogicalName } from "../handoff";
import { callbackSecretKeys, GLOBAL_BEDROCK_SECRET_KEYS } from "../secrets";
import { imageReference } from "./image";

export type { SecretLogicalName };

export const SECRET_LOGICAL_NAMES: readonly SecretLogicalName[] = [
  "masterKey",
  "saltKey",
  "databaseUrl",
  "middlewareDatabaseUrl",
  "redisAuth",
  "providerKeys",
  "globalBedrockCredentials",
  "historyHashKey",
  "uiPassword",
];

/** An environment variable whose value comes from Secrets Manager. */
export interface SecretReference {
  /** Environment variable name inside the container. */
  readonly name: string;
  /** Which secret. */
  readonly secret: SecretLogicalName;
  /** JSON key inside the secret; undefined = the whole secret string. */
  readonly jsonKey?: string;
}

export interface HttpHealthCheck {
  readonly path: string;
  readonly port: number;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  /** Grace period after start before failures count. */
  readonly startPeriodSeconds: number;
  /** Exec-form probe command run inside the container (ECS container health check; EKS uses httpGet on path/port). */
  readonly command: readonly string[];
}

export interface ContainerDescription {
  /** Container name (ECS container name, Kubernetes container name). */
  readonly name: "litellm" | "middleware";
  readonly image: string;
  /** Command override; undefined = the image's default. */
  readonly command?: readonly string[];
  readonly port: number;
  /** "public": the load balancer sends traffic here. "loopback": only reachable from the other container. */
  readonly exposure: "public" | "loopback";
  /** Non-secret environment only. */
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly SecretReference[];
  readonly healthCheck: HttpHealthCheck;
  /** Health path the load balancer (or readiness probe) uses; undefined for loopback containers. */
  readonly readinessPath?: string;
  /** Containers that must be healthy before this one starts. */
  readonly dependsOnHealthy: readonly ("litellm" | "middleware")[];
  /** Log stream prefix / log group key in ResourceNames.logGroups. */
  readonly logGroup: "litellm" | "middleware";
}

export interface GatewayWorkload {
  readonly containers: readonly [ContainerDescription, ContainerDescription];
  /** The container and port the load balancer targets. */
  readonly publicContainer: "middleware";
  readonly publicPort: number;
  /** Secrets any container references (the execution role / secret store may read only these). */
  readonly secretsUsed: readonly SecretLogicalName[];
  /** Content hash of the LiteLLM config; part of the container env so that a config change rolls the workload. */
  readonly configHash: string;
}

/**
 * The middleware's HTTP contract (ports, health paths). Stacks pass the module services/middleware/src/routes.ts
 * itself (`import * as middlewareContract from "@gw/middleware/routes"`), so the values have one source.
 */
export interface MiddlewareContract {
  readonly MIDDLEWARE_PORT: number;
  readonly LITELLM_PORT: number;
  readonly HEALTH_PATHS: { readonly liveliness: string; readonly readiness: string };
}

export interface GatewayWorkloadProps {
  readonly settings: Settings;
  /** Ports and health paths from the middleware's route module. */
  readonly middleware: MiddlewareContract;
  /** ECR repository URLs (hand-off `ecr-litellm-url` / `ecr-middleware-url`); may be Terraform tokens. */
  readonly litellmRepositoryUrl: string;
  readonly middlewareRepositoryUrl: string;
  /** Config bucket name and the content-addressed object key (hand-off `config-bucket`, `config-object-key`). */
  readonly configBucket: string;
  readonly configObjectKey: string;
  /** sha256 of the rendered config (hand-off `config-hash`). */
  readonly configHash: string;
  /** Redis primary endpoint and port (hand-off `redis-endpoint`, `redis-port`). */
  readonly redisHost: string;
  readonly redisPort: string;
  /** Bucket of LiteLLM's S3 logging callback (hand-off `litellm-log-bucket`). */
  readonly litellmLogBucket: string;
}

function pythonProbe(port: number, path: string): string[] {
  return ["CMD", "python3", "-c", `import urllib.request;urllib.request.urlopen('http://127.0.0.1:${port}${path}',timeout=4)`];
}

function nodeProbe(port: number, path: string): string[] {
  return [
    "CMD",
    "node",
    "-e",
    `fetch('http://127.0.0.1:${port}${path}',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
  ];
}

function flag(value: boolean): string {
  return value ? "True" : "False";
}

function optional(entries: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined && v !== "") out[k] = v;
  return out;
}

/**
 * OIDC self sign-up: the issuer/audience pair (the middleware wants both or neither) and the self-service policy, only
 * when an issuer is configured; without one the policy would be dead configuration on the task.
 */
function selfSignupEnvironment(m: Settings["middleware"]): Record<string, string> {
  if (!m.oidcIssuer) return {};
  return {
    OIDC_ISSUER: m.oidcIssuer,
    OIDC_AUDIENCE: m.oidcAudience,
    SIGNUP_ALLOWED_FIELDS: m.signup.allowedFields.join(","),
    ...optional({
      OIDC_ALGORITHMS: m.oidcAlgorithms?.join(","),
      SIGNUP_MAX_BUDGET: m.signup.maxBudget?.toString(),
      SIGNUP_ALLOWED_MODELS: m.signup.allowedModels?.join(","),
      SIGNUP_MAX_KEYS: m.signup.maxKeys?.toString(),
    }),
  };
}

/** Builds the shared two-container description from settings and hand-off values. */
export function describeGatewayWorkload(props: GatewayWorkloadProps): GatewayWorkload {
  const s = props.settings;
  const { MIDDLEWARE_PORT, LITELLM_PORT, HEALTH_PATHS } = props.middleware;
  const crossPartitionBedrock = regionFacts(s.region).bedrock.mode === "cross-partition";

  const litellmImage = imageReference({
    repositoryUrl: props.litellmRepositoryUrl,
    tag: s.images.litellmTag,
    digest: s.images.litellmDigest,
    tagSetting: "LITELLM_VERSION",
    digestSetting: "LITELLM_IMAGE_DIGEST",
  });
  const middlewareImage = imageReference({
    repositoryUrl: props.middlewareRepositoryUrl,
    tag: s.images.middlewareTag,
    digest: s.images.middlewareDigest,
    tagSetting: "MIDDLEWARE_IMAGE_TAG",
    digestSetting: "MIDDLEWARE_IMAGE_DIGEST",
  });

  const litellmSecrets: SecretReference[] = [
    { name: "LITELLM_MASTER_KEY", secret: "masterKey" },
    { name: "LITELLM_SALT_KEY", secret: "saltKey" },
    { name: "DATABASE_URL", secret: "databaseUrl" },
    { name: "REDIS_PASSWORD", secret: "redisAuth" },
    ...s.providerKeys.map((key): SecretReference => ({ name: key, secret: "providerKeys", jsonKey: key })),
  ];
  // Enabled callbacks' keys live in the provider-keys secret too.
  for (const key of callbackSecretKeys(s.observability.callbacks)) {
    if (!s.providerKeys.includes(key)) litellmSecrets.push({ name: key, secret: "providerKeys", jsonKey: key });
  }
  // China: LiteLLM calls Bedrock, and the middleware fetches managed prompts, in the global partition with these.
  const globalBedrockSecrets: SecretReference[] = crossPartitionBedrock
    ? GLOBAL_BEDROCK_SECRET_KEYS.map((key) => ({ name: key, secret: "globalBedrockCredentials", jsonKey: key }))
    : [];
  litellmSecrets.push(...globalBedrockSecrets);
  // The admin UI signs in with its own generated password, never with the master key (reference defect S11).
  if (!s.middleware.disableAdminUi) litellmSecrets.push({ name: "UI_PASSWORD", secret: "uiPassword" });

  // The rendered config decides which plain variables LiteLLM needs; every os.environ/ reference it makes must be
  // satisfied by this description, or the container would start with a config it cannot resolve.
  const rendered = renderLiteLLMConfig(s);
  const litellm: ContainerDescription = {
    name: "litellm",
    image: litellmImage,
    // Loopback only: every request reaches LiteLLM through the middleware in the same task/pod.
    command: ["--host", "127.0.0.1", "--port", String(LITELLM_PORT)],
    port: LITELLM_PORT,
    exposure: "loopback",
    environment: {
      AWS_REGION: s.region,
      LITELLM_CONFIG_BUCKET_NAME: props.configBucket,
      LITELLM_CONFIG_BUCKET_OBJECT_KEY: props.configObjectKey,
      LITELLM_CONFIG_HASH: props.configHash,
      LITELLM_LOG: "INFO",
      REDIS_HOST: props.redisHost,
      REDIS_PORT: props.redisPort,
      [LOG_BUCKET_ENV]: props.litellmLogBucket,
      NO_DOCS: flag(s.middleware.disableSwaggerPage),
      DISABLE_ADMIN_UI: flag(s.middleware.disableAdminUi),
      ...(s.middleware.disableAdminUi ? {} : { UI_USERNAME: s.middleware.adminUiUsername }),
      ...rendered.plainEnvironment,
      ...optional({
        LANGSMITH_PROJECT: s.observability.langsmithProject,
        LANGSMITH_DEFAULT_RUN_NAME: s.observability.langsmithDefaultRunName,
        LANGFUSE_PUBLIC_KEY: s.observability.langfusePublicKey,
        LANGFUSE_HOST: s.observability.langfuseHost,
      }),
    },
    secrets: litellmSecrets,
    healthCheck: {
      path: HEALTH_PATHS.liveliness,
      port: LITELLM_PORT,
      intervalSeconds: 15,
      timeoutSeconds: 5,
      retries: 3,
      // LiteLLM downloads its config and migrates its schema before it answers.
      startPeriodSeconds: 120,
      command: pythonProbe(LITELLM_PORT, HEALTH_PATHS.liveliness),
    },
    dependsOnHealthy: [],
    logGroup: "litellm",
  };

  const provided = new Set([...Object.keys(litellm.environment), ...litellm.secrets.map((r) => r.name)]);
  const unresolved = rendered.envReferences.filter((name) => !provided.has(name));
  if (unresolved.length > 0) {
    throw new Error(`LiteLLM config references ${unresolved.join(", ")}, which the LiteLLM container does not receive`);
  }

  const middleware: ContainerDescription = {
    name: "middleware",
    image: middlewareImage,
    port: MIDDLEWARE_PORT,
    exposure: "public",
    environment: {
      AWS_REGION: s.region,
      PORT: String(MIDDLEWARE_PORT),
      LITELLM_URL: `http://127.0.0.1:${LITELLM_PORT}`,
      CHAT_HISTORY_RETENTION_DAYS: String(s.middleware.historyRetentionDays),
      HISTORY_MAX_MESSAGES: String(s.middleware.historyMaxMessages),
      LOG_LEVEL: "info",
      ...selfSignupEnvironment(s.middleware),
    },
    secrets: [
      // The middleware uses the master key only to create users and keys for OIDC self sign-up.
      ...(s.middleware.oidcIssuer ? [{ name: "LITELLM_MASTER_KEY", secret: "masterKey" } as const] : []),
      { name: "DATABASE_MIDDLEWARE_URL", secret: "middlewareDatabaseUrl" },
      { name: "HISTORY_HASH_KEY", secret: "historyHashKey" },
      ...globalBedrockSecrets,
    ],
    healthCheck: {
      path: HEALTH_PATHS.liveliness,
      port: MIDDLEWARE_PORT,
      intervalSeconds: 15,
      timeoutSeconds: 5,
      retries: 3,
      startPeriodSeconds: 30,
      command: nodeProbe(MIDDLEWARE_PORT, HEALTH_PATHS.liveliness),
    },
    readinessPath: HEALTH_PATHS.readiness,
    dependsOnHealthy: ["litellm"],
    logGroup: "middleware",
  };

  const secretsUsed = SECRET_LOGICAL_NAMES.filter((n) =>
    [...litellm.secrets, ...middleware.secrets].some((r) => r.secret === n),
  );
  return {
    containers: [litellm, middleware],
    publicContainer: "middleware",
    publicPort: MIDDLEWARE_PORT,
    secretsUsed,
    configHash: props.configHash,
  };
}
