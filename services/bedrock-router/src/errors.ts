/**
 * Central catalogue of the router's errors. Every error has a stable `code` (BR_ERR_*) so callers can branch without
 * `instanceof` across package copies, and carries the attempts made so far: a failure never comes back as `false`.
 */
import type { FailedAttempt, ServedBy } from "./types";

export const ERROR_CODES = {
  ALL_TARGETS_FAILED: "BR_ERR_ALL_TARGETS_FAILED",
  NON_RETRYABLE: "BR_ERR_NON_RETRYABLE",
  DEADLINE_EXCEEDED: "BR_ERR_DEADLINE_EXCEEDED",
  ABORTED: "BR_ERR_ABORTED",
  STREAM_INTERRUPTED: "BR_ERR_STREAM_INTERRUPTED",
  CONFIG: "BR_ERR_CONFIG",
  COOLDOWN_STORE: "BR_ERR_COOLDOWN_STORE",
} as const;
export type RouterErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export abstract class BedrockRouterError extends Error {
  abstract readonly code: RouterErrorCode;
}

function describeAttempts(attempts: readonly FailedAttempt[]): string {
  if (attempts.length === 0) return "no attempt was made";
  return attempts.map((a) => `${a.targetId}: ${a.errorName} (${a.durationMs} ms)`).join("; ");
}

/** Every eligible target failed with a retryable error, or the attempt budget ran out. */
export class AllTargetsFailedError extends BedrockRouterError {
  readonly code = ERROR_CODES.ALL_TARGETS_FAILED;
  override readonly name = "AllTargetsFailedError";
  constructor(
    readonly attempts: readonly FailedAttempt[],
    readonly reason: "exhausted" | "all-cooling-down" = "exhausted",
    options?: { cause?: unknown },
  ) {
    super(
      reason === "all-cooling-down"
        ? "every target is cooling down and whenAllCoolingDown is 'fail'"
        : `all targets failed: ${describeAttempts(attempts)}`,
      options,
    );
  }
}

/** The service rejected the request itself (validation, access denied, not found ...): retrying elsewhere cannot help. */
export class NonRetryableError extends BedrockRouterError {
  readonly code = ERROR_CODES.NON_RETRYABLE;
  override readonly name = "NonRetryableError";
  /** `name` of the wrapped error, e.g. "ValidationException". */
  readonly errorName: string;
  constructor(
    override readonly cause: unknown,
    readonly target: ServedBy,
    readonly attempts: readonly FailedAttempt[],
  ) {
    const inner = cause instanceof Error ? cause : new Error(String(cause));
    super(`${inner.name} from ${target.targetId} (${target.region}): ${inner.message}`, { cause });
    this.errorName = inner.name;
  }
}

/** The overall deadline (settings.deadlineMs) passed before any target served the call. */
export class DeadlineExceededError extends BedrockRouterError {
  readonly code = ERROR_CODES.DEADLINE_EXCEEDED;
  override readonly name = "DeadlineExceededError";
  constructor(
    readonly deadlineMs: number,
    readonly attempts: readonly FailedAttempt[],
  ) {
    super(`deadline of ${deadlineMs} ms exceeded after ${attempts.length} attempt(s): ${describeAttempts(attempts)}`);
  }
}

/** The caller's own AbortSignal fired. */
export class RequestAbortedError extends BedrockRouterError {
  readonly code = ERROR_CODES.ABORTED;
  override readonly name = "RequestAbortedError";
  constructor(
    readonly attempts: readonly FailedAttempt[],
    options?: { cause?: unknown },
  ) {
    super("request aborted by the caller", options);
  }
}

/**
 * A stream failed after events had been delivered to the caller. The text received so far is incomplete; the router
 * never switches regions mid-stream because the caller has already consumed part of one region's answer.
 */
export class StreamInterruptedError extends BedrockRouterError {
  readonly code = ERROR_CODES.STREAM_INTERRUPTED;
  override readonly name = "StreamInterruptedError";
  readonly errorName: string;
  constructor(
    readonly target: ServedBy,
    readonly eventsDelivered: number,
    override readonly cause: unknown,
  ) {
    const inner = cause instanceof Error ? cause : new Error(String(cause));
    super(`stream from ${target.targetId} (${target.region}) failed after ${eventsDelivered} event(s): ${inner.name}: ${inner.message}`, {
      cause,
    });
    this.errorName = inner.name;
  }
}

export interface ConfigProblem {
  /** Where the problem is, e.g. "targets[2].region" or "settings.maxAttempts". */
  readonly path: string;
  readonly message: string;
}

/** Invalid router options or endpoint configuration file; lists every problem, one per line. */
export class RouterConfigError extends BedrockRouterError {
  readonly code = ERROR_CODES.CONFIG;
  override readonly name = "RouterConfigError";
  constructor(
    readonly problems: readonly ConfigProblem[],
    source?: string,
  ) {
    super(
      `invalid bedrock-router configuration${source ? ` (${source})` : ""}:\n` +
        problems.map((p) => `  ${p.path}: ${p.message}`).join("\n"),
    );
  }
}

/** A cooldown store could not complete an operation (lock timeout, unreadable file, Redis error). */
export class CooldownStoreError extends BedrockRouterError {
  readonly code = ERROR_CODES.COOLDOWN_STORE;
  override readonly name = "CooldownStoreError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
