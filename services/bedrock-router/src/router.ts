/**
 * BedrockRouter: Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream over an ordered list of
 * targets (region + partition + credentials + inference-profile prefix), with cooldowns, per-target retries, jittered
 * backoff, an overall deadline and failure classes. The SDK's own retries are off (maxAttempts 1) so every retry
 * decision is made here and shows up in the result.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClientConfig,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type ConverseStreamCommandInput,
  type ConverseStreamCommandOutput,
  type InvokeModelCommandInput,
  type InvokeModelCommandOutput,
  type InvokeModelWithResponseStreamCommandInput,
  type InvokeModelWithResponseStreamCommandOutput,
  type ResponseStream,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { setTimeout as sleep } from "node:timers/promises";
import { classifyError, errorNameOf, isRetryable } from "./classify";
import { loadEndpointConfig, resolveRouterConfig, type ResolvedRouterConfig } from "./config";
import { createCooldownStore, InMemoryCooldownStore, type CooldownStore } from "./cooldown";
import { clientAuthConfig, type CredentialRegistry } from "./credentials";
import {
  AllTargetsFailedError,
  DeadlineExceededError,
  NonRetryableError,
  RequestAbortedError,
  StreamInterruptedError,
} from "./errors";
import { resolveModelId } from "./model-id";
import { backoffDelayMs, planTargets } from "./plan";
import { primeStream, relayStream, type RelayHooks } from "./stream";
import type {
  CallOptions,
  FailedAttempt,
  FailureClass,
  RoutedResult,
  RouteTarget,
  RouterEvent,
  RouterSettings,
  ServedBy,
  TargetSpec,
} from "./types";

export interface BedrockRouterOptions {
  /** Ordered targets; validated with every problem reported at once (RouterConfigError). */
  readonly targets: readonly TargetSpec[];
  /** Overrides of DEFAULT_SETTINGS. */
  readonly settings?: Partial<RouterSettings>;
  /** Named credential sources that targets reference. Default: none (targets use the SDK default chain). */
  readonly credentials?: CredentialRegistry;
  /** Region the application runs in; enables the cross-partition credentials check. Default: unset. */
  readonly homeRegion?: string;
  /** Where cooldowns live. Default: a new InMemoryCooldownStore. */
  readonly cooldownStore?: CooldownStore;
  /** Close `cooldownStore` in close(). Default: false for a store passed in, true for one the router created. */
  readonly closeCooldownStore?: boolean;
  /** Cooldown ends (epoch ms) to record before the first call, e.g. from the seed's next_available_time. */
  readonly initialCooldowns?: Readonly<Record<string, number>>;
  /** Clock for cooldown decisions, read at each decision. Default Date.now. */
  readonly now?: () => number;
  /** Randomness for the primary spread and backoff jitter. Default Math.random. */
  readonly random?: () => number;
  /** Extra SDK client settings per target (logger, custom user agent ...). Applied last. */
  readonly clientConfig?: (target: RouteTarget) => Partial<BedrockRuntimeClientConfig>;
  /** Called once per created client, e.g. to add SDK middleware. */
  readonly configureClient?: (client: BedrockRuntimeClient, target: RouteTarget) => void;
  /** Observability hook; must not throw. */
  readonly onEvent?: (event: RouterEvent) => void;
  /** Environment for env-based credential sources. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

type Extras = Omit<BedrockRouterOptions, "targets" | "settings" | "homeRegion" | "initialCooldowns">;

interface AttemptContext {
  readonly client: BedrockRuntimeClient;
  readonly modelId: string;
  readonly signal: AbortSignal;
  readonly streamHooks: RelayHooks;
}

/** One attempt's abort signal: follows the call deadline until the call is served, and the caller's signal throughout. */
class AttemptSignal {
  private readonly controller = new AbortController();
  private readonly onDeadline = (): void => this.controller.abort(this.deadline.reason);
  private readonly onCaller = (): void => this.controller.abort(this.caller?.reason);
  constructor(
    private readonly deadline: AbortSignal,
    private readonly caller: AbortSignal | undefined,
  ) {
    deadline.addEventListener("abort", this.onDeadline, { once: true });
    caller?.addEventListener("abort", this.onCaller, { once: true });
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  detachDeadline(): void {
    this.deadline.removeEventListener("abort", this.onDeadline);
  }
  detachCaller(): void {
    this.caller?.removeEventListener("abort", this.onCaller);
  }
}

const MAX_MESSAGE = 300;

/** Anthropic's message_start chunk carries no content, so a failure right after it can still fail over. */
function isMessageStartChunk(event: ResponseStream): boolean {
  const bytes = event.chunk?.bytes;
  if (!bytes || bytes.length > 4_096) return false;
  try {
    return (JSON.parse(new TextDecoder().decode(bytes)) as { type?: unknown }).type === "message_start";
  } catch {
    return false;
  }
}

export class BedrockRouter {
  readonly targets: readonly RouteTarget[];
  readonly settings: RouterSettings;
  private readonly credentials: CredentialRegistry;
  private readonly store: CooldownStore;
  private readonly ownsStore: boolean;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly clients = new Map<string, BedrockRuntimeClient>();
  private readonly opts: BedrockRouterOptions;
  private ready: Promise<void> | undefined;

  constructor(opts: BedrockRouterOptions) {
    const config = resolveRouterConfig(
      { targets: opts.targets, ...(opts.settings ? { settings: opts.settings } : {}), ...(opts.credentials ? { credentials: opts.credentials } : {}), ...(opts.homeRegion ? { homeRegion: opts.homeRegion } : {}) },
      { source: "BedrockRouter options" },
    );
    this.opts = opts;
    this.targets = config.targets;
    this.settings = config.settings;
    this.credentials = config.credentials;
    this.store = opts.cooldownStore ?? new InMemoryCooldownStore();
    this.ownsStore = opts.closeCooldownStore ?? !opts.cooldownStore;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    if (opts.initialCooldowns && Object.keys(opts.initialCooldowns).length > 0) {
      const entries = Object.entries(opts.initialCooldowns);
      this.ready = Promise.all(entries.map(([id, until]) => (until > this.now() ? this.writeCooldown(id, until) : undefined))).then(() => undefined);
    }
  }

  /** A router from a loaded configuration; the cooldown store named there is opened and owned unless extras.cooldownStore is given. */
  static fromConfig(config: ResolvedRouterConfig, extras: Extras = {}): BedrockRouter {
    const store = extras.cooldownStore ?? createCooldownStore(config.cooldownStore, extras.env ?? process.env);
    return new BedrockRouter({
      ...extras,
      targets: config.targets,
      settings: config.settings,
      credentials: { ...config.credentials, ...extras.credentials },
      ...(config.homeRegion ? { homeRegion: config.homeRegion } : {}),
      cooldownStore: store,
      closeCooldownStore: extras.closeCooldownStore ?? !extras.cooldownStore,
      initialCooldowns: config.initialCooldowns,
    });
  }

  /** A router from an endpoint configuration file (JSON, YAML, or the seed's bedrock_endpoints.conf). */
  static fromFile(path: string, extras: Extras = {}): BedrockRouter {
    return BedrockRouter.fromConfig(loadEndpointConfig(path, { extraCredentialNames: Object.keys(extras.credentials ?? {}) }), extras);
  }

  converse(input: ConverseCommandInput, opts?: CallOptions): Promise<RoutedResult<ConverseCommandOutput>> {
    return this.route(input.modelId, opts, false, (a) =>
      a.client.send(new ConverseCommand({ ...input, modelId: a.modelId }), { abortSignal: a.signal }),
    );
  }

  /** The output's `stream` yields the served target's events; a failure after the first event throws StreamInterruptedError. */
  converseStream(input: ConverseStreamCommandInput, opts?: CallOptions): Promise<RoutedResult<ConverseStreamCommandOutput>> {
    return this.route(input.modelId, opts, true, async (a) => {
      const output = await a.client.send(new ConverseStreamCommand({ ...input, modelId: a.modelId }), { abortSignal: a.signal });
      const primed = await primeStream(output.stream, (event) => event.messageStart !== undefined);
      return { ...output, stream: relayStream(primed, a.streamHooks) };
    });
  }

  invokeModel(input: InvokeModelCommandInput, opts?: CallOptions): Promise<RoutedResult<InvokeModelCommandOutput>> {
    return this.route(input.modelId, opts, false, (a) =>
      a.client.send(new InvokeModelCommand({ ...input, modelId: a.modelId }), { abortSignal: a.signal }),
    );
  }

  /** The output's `body` yields the served target's chunks; a failure after the first chunk throws StreamInterruptedError. */
  invokeModelWithResponseStream(
    input: InvokeModelWithResponseStreamCommandInput,
    opts?: CallOptions,
  ): Promise<RoutedResult<InvokeModelWithResponseStreamCommandOutput>> {
    return this.route(input.modelId, opts, true, async (a) => {
      const output = await a.client.send(new InvokeModelWithResponseStreamCommand({ ...input, modelId: a.modelId }), { abortSignal: a.signal });
      const primed = await primeStream(output.body, isMessageStartChunk);
      return { ...output, body: relayStream(primed, a.streamHooks) };
    });
  }

  /** Current cooldown ends (epoch ms) of targets that are cooling down at this instant. */
  async cooldowns(): Promise<ReadonlyMap<string, number>> {
    await this.ready;
    const ends = await this.store.get(this.targets.map((t) => t.id));
    const now = this.now();
    return new Map([...ends].filter(([, end]) => end > now));
  }

  /** Destroys the SDK clients and closes the cooldown store if the router opened it. */
  async close(): Promise<void> {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    if (this.ownsStore) await this.store.close();
  }

  private client(target: RouteTarget): BedrockRuntimeClient {
    let client = this.clients.get(target.id);
    if (!client) {
      const s = this.settings;
      client = new BedrockRuntimeClient({
        region: target.region,
        endpoint: target.endpoint,
        maxAttempts: 1,
        requestHandler: new NodeHttpHandler({
          connectionTimeout: s.connectTimeoutMs,
          requestTimeout: s.responseTimeoutMs,
          throwOnRequestTimeout: true,
          socketTimeout: s.idleTimeoutMs,
        }),
        ...clientAuthConfig(target.credentials ? this.credentials[target.credentials] : undefined, this.opts.env ?? process.env),
        ...this.opts.clientConfig?.(target),
      });
      this.opts.configureClient?.(client, target);
      this.clients.set(target.id, client);
    }
    return client;
  }

  private emit(event: RouterEvent): void {
    try {
      this.opts.onEvent?.(event);
    } catch {
      // an observer's bug must not change routing
    }
  }

  /** Store reads fail open: without cooldown data every target counts as available. */
  private async readCooldowns(ids: readonly string[]): Promise<ReadonlyMap<string, number>> {
    try {
      return await this.store.get(ids);
    } catch (error) {
      this.emit({ type: "store-error", operation: "get", error });
      return new Map();
    }
  }

  private async writeCooldown(targetId: string, untilMs: number): Promise<void> {
    try {
      await this.store.coolDown(targetId, untilMs, this.now());
      this.emit({ type: "cooled-down", targetId, untilMs });
    } catch (error) {
      this.emit({ type: "store-error", operation: "coolDown", error });
    }
  }

  private async coolDown(targetId: string): Promise<void> {
    if (this.settings.cooldownMs > 0) await this.writeCooldown(targetId, this.now() + this.settings.cooldownMs);
  }

  private async clearCooldown(targetId: string): Promise<void> {
    try {
      await this.store.clear(targetId);
      this.emit({ type: "cooldown-cleared", targetId });
    } catch (error) {
      this.emit({ type: "store-error", operation: "clear", error });
    }
  }

  private streamHooks(servedBy: ServedBy, signal: AttemptSignal, caller: AbortSignal | undefined): RelayHooks {
    return {
      onError: async (error, delivered) => {
        if (caller?.aborted) return new RequestAbortedError([], { cause: error });
        const cls = classifyError(error);
        if (isRetryable(cls)) await this.coolDown(servedBy.targetId);
        return new StreamInterruptedError(servedBy, delivered, error);
      },
      onFinish: () => signal.detachCaller(),
    };
  }

  private record(target: RouteTarget, error: unknown, failureClass: FailureClass, startedAt: number, attempts: FailedAttempt[]): void {
    const message = error instanceof Error ? error.message : String(error);
    const attempt: FailedAttempt = {
      targetId: target.id,
      region: target.region,
      errorName: failureClass === "deadline" ? "DeadlineExceeded" : errorNameOf(error),
      failureClass,
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}...` : message,
      durationMs: Math.round(performance.now() - startedAt),
    };
    attempts.push(attempt);
    this.emit({ type: "attempt-failed", attempt });
  }

  private async route<O>(
    requestedModelId: string | undefined,
    opts: CallOptions = {},
    streaming: boolean,
    run: (a: AttemptContext) => Promise<O>,
  ): Promise<RoutedResult<O>> {
    if (!requestedModelId) throw new TypeError("modelId is required");
    await this.ready;
    const s = this.settings;
    const deadlineMs = opts.deadlineMs ?? s.deadlineMs;
    const caller = opts.abortSignal;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), deadlineMs);
    const attempts: FailedAttempt[] = [];
    const stopIfDone = (cause?: unknown): void => {
      if (caller?.aborted) throw new RequestAbortedError(attempts, { cause });
      if (deadline.signal.aborted) throw new DeadlineExceededError(deadlineMs, attempts);
    };
    try {
      stopIfDone();
      const ends = await this.readCooldowns(this.targets.map((t) => t.id));
      const plan = planTargets(this.targets, ends, this.now(), s, this.random);
      if (plan.order.length === 0) throw new AllTargetsFailedError(attempts, "all-cooling-down");
      const perTarget = s.multiRegion ? s.attemptsPerTarget : s.maxAttempts;
      let total = 0;
      for (const [index, target] of plan.order.entries()) {
        if (total >= s.maxAttempts) break;
        if (index > 0 && !plan.fromCooldown) {
          // Another process may have cooled this target since the plan was made.
          const fresh = await this.readCooldowns([target.id]);
          if ((fresh.get(target.id) ?? 0) > this.now()) continue;
        }
        const modelId = resolveModelId(requestedModelId, target, s.crossRegionInference);
        const servedBy: ServedBy = { targetId: target.id, region: target.region, partition: target.partition, modelId };
        let failedHere = false;
        for (let k = 0; k < perTarget && total < s.maxAttempts; k++) {
          if (k > 0) {
            try {
              const signals = caller ? [deadline.signal, caller] : [deadline.signal];
              await sleep(backoffDelayMs(k, s.backoffBaseMs, s.backoffMaxMs, this.random), undefined, { signal: AbortSignal.any(signals) });
            } catch (e) {
              stopIfDone(e);
              throw e;
            }
          }
          stopIfDone();
          total++;
          const startedAt = performance.now();
          const signal = new AttemptSignal(deadline.signal, caller);
          let output: O;
          try {
            output = await run({
              client: this.client(target),
              modelId,
              signal: signal.signal,
              streamHooks: this.streamHooks(servedBy, signal, caller),
            });
          } catch (error) {
            signal.detachDeadline();
            signal.detachCaller();
            if (caller?.aborted) {
              this.record(target, error, "aborted", startedAt, attempts);
              throw new RequestAbortedError(attempts, { cause: error });
            }
            if (deadline.signal.aborted) {
              this.record(target, error, "deadline", startedAt, attempts);
              throw new DeadlineExceededError(deadlineMs, attempts);
            }
            const failureClass = classifyError(error);
            this.record(target, error, failureClass, startedAt, attempts);
            if (!isRetryable(failureClass)) throw new NonRetryableError(error, servedBy, attempts);
            failedHere = true;
            continue;
          }
          signal.detachDeadline();
          if (!streaming) signal.detachCaller();
          if (plan.fromCooldown) await this.clearCooldown(target.id);
          this.emit({ type: "served", servedBy, failedAttempts: attempts.length });
          return { output, servedBy, attempts };
        }
        if (failedHere) await this.coolDown(target.id);
      }
      throw new AllTargetsFailedError(attempts);
    } finally {
      clearTimeout(timer);
    }
  }
}
