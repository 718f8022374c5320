/**
 * Types of the router's model: targets, settings, credential references and call results. Dependency-free apart from
 * type imports, so infrastructure code may import the endpoint-config types.
 */
import type { BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import type { PartitionId } from "@gw/partition";

/** One place a call can be served: a region of a partition, reached with some credentials. */
export interface TargetSpec {
  /** Unique name used in results, logs and the cooldown store. Default: the region. */
  readonly id?: string;
  /** AWS region of the Bedrock runtime endpoint, e.g. "us-west-2". Validated with @gw/partition. */
  readonly region: string;
  /** Partition of `region`. Default: derived from the region; when given it must match. */
  readonly partition?: PartitionId;
  /**
   * Name of an entry of the credential registry. Default: the SDK's default provider chain. A target in another
   * partition than the application's home region needs one (China reaches global regions with a global account).
   */
  readonly credentials?: string;
  /** Inference-profile geography prefix ("us", "eu", "apac", "global", ...), applied when crossRegionInference is on. Default: none. */
  readonly profilePrefix?: string;
  /** Primary targets are tried before the others. Default: false. */
  readonly primary?: boolean;
  /** Relative share of first attempts among primaries when spreadPrimaries is on. Default: 1. */
  readonly weight?: number;
  /** Endpoint URL override (tests, VPC endpoints, proxies). Default: @gw/partition serviceEndpoint("bedrock-runtime", region). */
  readonly endpoint?: string;
}

/** A validated target with every default filled in. */
export interface RouteTarget {
  readonly id: string;
  readonly region: string;
  readonly partition: PartitionId;
  readonly credentials?: string;
  readonly profilePrefix?: string;
  readonly primary: boolean;
  readonly weight: number;
  readonly endpoint: string;
}

export type WhenAllCoolingDown = "try-soonest" | "fail";

export interface RouterSettings {
  /** Total attempts per call across all targets; the first call counts (seed MAX_RETRY_TIME). Default 5. */
  readonly maxAttempts: number;
  /** Fail over to other targets (seed MULTI_REGION_RETRY). When false every attempt goes to the first target of the plan. Default true. */
  readonly multiRegion: boolean;
  /** Spread first attempts over primaries by weight (seed PRIMARY_REGION_RANDOM_DISTRIBUTION). When false primaries keep list order. Default true. */
  readonly spreadPrimaries: boolean;
  /** Attempts on one target before moving on (seed MAX_RETRY_TIMES_FOR_EACH_REGION). Default 1. */
  readonly attemptsPerTarget: number;
  /** How long a failed target is skipped (seed NEXT_RETRY_TIME_WINDOW, 3600 s there). Default 60 000 ms. */
  readonly cooldownMs: number;
  /** Call inference-profile ids (prefix + "." + model) on targets with a profilePrefix (seed ENABLE_CROSS_REGION_INFERENCE). Default false. */
  readonly crossRegionInference: boolean;
  /** Overall budget for a call until it is served (for streams: until the first event). Default 120 000 ms. */
  readonly deadlineMs: number;
  /** First backoff step between attempts on the same target; full jitter. Default 100 ms. */
  readonly backoffBaseMs: number;
  /** Upper bound of one backoff sleep. Default 2 000 ms. */
  readonly backoffMaxMs: number;
  /** TCP/TLS connect timeout per attempt. Default 3 000 ms. */
  readonly connectTimeoutMs: number;
  /** Time until response headers per attempt (for Converse/InvokeModel: the whole generation). Default 110 000 ms. */
  readonly responseTimeoutMs: number;
  /** Socket inactivity limit, including gaps between stream events. Default 60 000 ms. */
  readonly idleTimeoutMs: number;
  /** When every target is cooling down: try them anyway, soonest cooldown end first (within maxAttempts), or fail at once. Default "try-soonest". */
  readonly whenAllCoolingDown: WhenAllCoolingDown;
}

export const DEFAULT_SETTINGS: RouterSettings = Object.freeze({
  maxAttempts: 5,
  multiRegion: true,
  spreadPrimaries: true,
  attemptsPerTarget: 1,
  cooldownMs: 60_000,
  crossRegionInference: false,
  deadlineMs: 120_000,
  backoffBaseMs: 100,
  backoffMaxMs: 2_000,
  connectTimeoutMs: 3_000,
  responseTimeoutMs: 110_000,
  idleTimeoutMs: 60_000,
  whenAllCoolingDown: "try-soonest",
});

/**
 * Where a target's credentials come from. Files may only use the kinds that hold no secret (default, profile, env,
 * bearer-env); static keys and providers are for code (tests, custom secret fetchers).
 */
export type CredentialSource =
  | { readonly type: "default" }
  /** A named profile of the shared config/credentials files. */
  | { readonly type: "profile"; readonly profile: string }
  /** <PREFIX>_ACCESS_KEY_ID, <PREFIX>_SECRET_ACCESS_KEY and optional <PREFIX>_SESSION_TOKEN, read at call time. */
  | { readonly type: "env"; readonly prefix: string }
  /** A Bedrock API key (bearer token) read from an environment variable at call time. */
  | { readonly type: "bearer-env"; readonly variable: string }
  | { readonly type: "static"; readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string }
  | { readonly type: "provider"; readonly provider: NonNullable<BedrockRuntimeClientConfig["credentials"]> }
  | { readonly type: "bearer"; readonly token: string };

/** The target that served a call. */
export interface ServedBy {
  readonly targetId: string;
  readonly region: string;
  readonly partition: PartitionId;
  /** The model id actually sent (after the inference-profile prefix was applied). */
  readonly modelId: string;
}

export type FailureClass = "throttling" | "server" | "timeout" | "connection" | "client" | "local" | "deadline" | "aborted";

/** One failed attempt of a call. */
export interface FailedAttempt {
  readonly targetId: string;
  readonly region: string;
  /** `name` of the error, e.g. "ThrottlingException", "TimeoutError", "ECONNREFUSED". */
  readonly errorName: string;
  readonly failureClass: FailureClass;
  readonly message: string;
  readonly durationMs: number;
}

/** A served call: the SDK's own output plus which target served it and what failed before. */
export interface RoutedResult<O> {
  readonly output: O;
  readonly servedBy: ServedBy;
  readonly attempts: readonly FailedAttempt[];
}

export interface CallOptions {
  /** Caller cancellation; also cancels a stream being read. */
  readonly abortSignal?: AbortSignal;
  /** Overrides settings.deadlineMs for this call. */
  readonly deadlineMs?: number;
}

/** Observability hook: every attempt outcome and cooldown change. Must not throw. */
export type RouterEvent =
  | { readonly type: "attempt-failed"; readonly attempt: FailedAttempt }
  | { readonly type: "served"; readonly servedBy: ServedBy; readonly failedAttempts: number }
  | { readonly type: "cooled-down"; readonly targetId: string; readonly untilMs: number }
  | { readonly type: "cooldown-cleared"; readonly targetId: string }
  | { readonly type: "store-error"; readonly operation: string; readonly error: unknown };
