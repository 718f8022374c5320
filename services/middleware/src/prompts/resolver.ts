import type { BedrockAgentClient } from "@aws-sdk/client-bedrock-agent";
import { partitionOf, serviceEndpoint, type PartitionId } from "@gw/partition";
import { parsePromptArn, type PromptArn } from "./arn";
import { PROMPT_ERROR_CODES, PromptError } from "./errors";
import { renderPrompt, templateFromPrompt, type PromptTemplate, type ResolvedPrompt } from "./template";

export interface PromptResolver {
  resolve(promptArn: string, variables: Record<string, string> | undefined): Promise<ResolvedPrompt>;
}

export interface PromptResolverOptions {
  /** How long a fetched prompt version is reused. Default 300 000 ms (5 min); 0: no reuse, but concurrent calls still share one GetPrompt. */
  ttlMs?: number;
  /** Replaces the regional bedrock-agent endpoint (BEDROCK_AGENT_ENDPOINT; tests point it at fake-llm). */
  endpointOverride?: string;
  /** AWS credentials or provider passed to the SDK. Default: the SDK's default chain (task/pod role). */
  credentials?: unknown;
  /** Bearer token sent instead of a SigV4 signature (Bedrock API key). */
  token?: string;
  /**
   * Region the gateway runs in. A prompt ARN of another partition (a China gateway using prompts of the global
   * partition) is fetched with `globalCredentials`, never with the default chain, whose role cannot sign there.
   * Default: every partition is treated alike.
   */
  homeRegion?: string;
  /** Static credentials of an account in the prompts' partition (GLOBAL_BEDROCK_*); without them such prompts get a 403. */
  globalCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Max cached prompt versions. Default 500. */
  maxEntries?: number;
  /** Connect timeout for GetPrompt. Default 5 000 ms. */
  connectTimeoutMs?: number;
  /** Whole-request timeout for GetPrompt. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** SDK attempts (retries throttling/5xx). Default 3. */
  maxAttempts?: number;
}

/** The partition the GLOBAL_BEDROCK_* credentials belong to. */
const GLOBAL_PARTITION: PartitionId = "aws";

/** Fake static credentials used with a bearer token: the signer still runs, its header is then replaced. */
const TOKEN_PLACEHOLDER_CREDENTIALS = { accessKeyId: "bearer-token", secretAccessKey: "bearer-token" };

const STATUS_BY_EXCEPTION: Readonly<Record<string, { status: 400 | 403 | 404; code: PromptError["code"] }>> = {
  ResourceNotFoundException: { status: 404, code: PROMPT_ERROR_CODES.notFound },
  AccessDeniedException: { status: 403, code: PROMPT_ERROR_CODES.accessDenied },
  ValidationException: { status: 400, code: PROMPT_ERROR_CODES.invalidRequest },
};

function mapSdkError(err: unknown, arn: string): PromptError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const known = e.name ? STATUS_BY_EXCEPTION[e.name] : undefined;
  const detail = e.message ? `: ${e.message}` : "";
  if (known) return new PromptError(`GetPrompt ${arn} failed with ${e.name}${detail}`, known.status, known.code);
  const status = e.$metadata?.httpStatusCode;
  if (status === 403 || status === 401) return new PromptError(`GetPrompt ${arn} was refused (${e.name ?? status})${detail}`, 403, PROMPT_ERROR_CODES.accessDenied);
  return new PromptError(`GetPrompt ${arn} failed (${e.name ?? "network error"})${detail}`, 502, PROMPT_ERROR_CODES.upstream);
}

interface CacheEntry {
  /** Undefined while the GetPrompt call is in flight; then the time the entry goes stale. */
  expiresAt?: number;
  readonly template: Promise<PromptTemplate>;
}

type AgentSdk = typeof import("@aws-sdk/client-bedrock-agent");
let agentSdk: Promise<AgentSdk> | undefined;
/** The AWS SDK is loaded on the first prompt ARN: gateways that never use managed prompts do not carry its memory. */
const loadAgentSdk = (): Promise<AgentSdk> => (agentSdk ??= import("@aws-sdk/client-bedrock-agent"));

export function createPromptResolver(opts: PromptResolverOptions = {}): PromptResolver {
  const ttlMs = opts.ttlMs ?? 300_000;
  const maxEntries = opts.maxEntries ?? 500;
  const clients = new Map<string, BedrockAgentClient>();
  const cache = new Map<string, CacheEntry>();

  const homePartition: PartitionId | undefined = opts.homeRegion ? partitionOf(opts.homeRegion) : undefined;

  function clientFor({ BedrockAgentClient }: AgentSdk, region: string, crossPartition: boolean): BedrockAgentClient {
    const endpoint = opts.endpointOverride ?? serviceEndpoint("bedrock-agent", region);
    const key = `${region} ${endpoint} ${crossPartition ? "global" : "home"}`;
    let client = clients.get(key);
    if (!client) {
      const useToken = !crossPartition && opts.token !== undefined;
      client = new BedrockAgentClient({
        region,
        endpoint,
        maxAttempts: opts.maxAttempts ?? 3,
        requestHandler: { connectionTimeout: opts.connectTimeoutMs ?? 5_000, requestTimeout: opts.requestTimeoutMs ?? 10_000 },
        ...(crossPartition
          ? { credentials: { ...opts.globalCredentials! } }
          : useToken
            ? { credentials: TOKEN_PLACEHOLDER_CREDENTIALS }
            : opts.credentials
              ? { credentials: opts.credentials as BedrockAgentClient["config"]["credentials"] }
              : {}),
      });
      if (useToken) {
        const bearer = `Bearer ${opts.token}`;
        const replaceSignature = (next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
          const request = args.request as { headers?: Record<string, string> };
          if (request.headers) {
            for (const h of Object.keys(request.headers)) if (/^(authorization|x-amz-date|x-amz-security-token|x-amz-content-sha256)$/i.test(h)) delete request.headers[h];
            request.headers.authorization = bearer;
          }
          return next(args);
        };
        client.middlewareStack.addRelativeTo(
          replaceSignature as unknown as Parameters<typeof client.middlewareStack.addRelativeTo>[0],
          { relation: "after", toMiddleware: "httpSigningMiddleware", name: "gwBearerToken", override: true },
        );
      }
      clients.set(key, client);
    }
    return client;
  }

  async function fetchTemplate(parsed: PromptArn): Promise<PromptTemplate> {
    try {
      partitionOf(parsed.region);
    } catch (err) {
      throw new PromptError(`prompt ARN ${parsed.arn} names an unknown region: ${(err as Error).message}`, 400, PROMPT_ERROR_CODES.invalidArn);
    }
    if (partitionOf(parsed.region) !== parsed.partition) {
      throw new PromptError(`prompt ARN ${parsed.arn}: region ${parsed.region} is not in partition ${parsed.partition}`, 400, PROMPT_ERROR_CODES.invalidArn);
    }
    const crossPartition = homePartition !== undefined && parsed.partition !== homePartition;
    // The global credentials belong to the global (commercial) partition: they cannot sign for any other one.
    if (crossPartition && (!opts.globalCredentials || parsed.partition !== GLOBAL_PARTITION)) {
      const need = parsed.partition === GLOBAL_PARTITION ? "the global credentials (GLOBAL_BEDROCK_ACCESS_KEY_ID and GLOBAL_BEDROCK_SECRET_ACCESS_KEY)" : `credentials of partition ${parsed.partition}, which this gateway cannot hold`;
      throw new PromptError(`prompt ARN ${parsed.arn} is in partition ${parsed.partition} but this gateway runs in ${homePartition}: cross-partition prompts need ${need}`, 403, PROMPT_ERROR_CODES.crossPartition);
    }
    let response;
    try {
      const sdk = await loadAgentSdk();
      response = await clientFor(sdk, parsed.region, crossPartition).send(new sdk.GetPromptCommand({ promptIdentifier: parsed.promptId, promptVersion: parsed.version }));
    } catch (err) {
      throw mapSdkError(err, parsed.arn);
    }
    return templateFromPrompt(response, parsed.arn);
  }

  function cachedTemplate(parsed: PromptArn): Promise<PromptTemplate> {
    const key = `${parsed.partition}|${parsed.region}|${parsed.account}|${parsed.promptId}|${parsed.version ?? ""}`;
    const hit = cache.get(key);
    if (hit && (hit.expiresAt === undefined || hit.expiresAt > Date.now())) return hit.template;
    if (hit) cache.delete(key);
    // Stored while in flight too, so concurrent requests for one prompt share a single GetPrompt call.
    const entry: CacheEntry = { template: fetchTemplate(parsed) };
    cache.set(key, entry);
    entry.template.then(
      () => {
        if (cache.get(key) !== entry) return;
        if (ttlMs > 0) entry.expiresAt = Date.now() + ttlMs;
        else cache.delete(key);
      },
      () => {
        if (cache.get(key) === entry) cache.delete(key); // failures are not cached
      },
    );
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    return entry.template;
  }

  return {
    async resolve(promptArn, variables) {
      const parsed = parsePromptArn(promptArn);
      if (!parsed) throw new PromptError(`"${promptArn}" is not a Bedrock prompt ARN`, 400, PROMPT_ERROR_CODES.invalidArn);
      return renderPrompt(await cachedTemplate(parsed), variables);
    },
  };
}
