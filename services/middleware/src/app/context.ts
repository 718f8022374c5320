import type { MiddlewareConfig } from "../config";
import type { HistoryStore } from "../history/index";
import type { PromptResolver } from "../prompts/index";
import type { Upstream } from "../proxy/upstream";
import type { KeyVerifier } from "./key-verifier";
import type { TurnHistoryDeps } from "./turn-history";

/** What route modules need; built once by buildServer. */
export interface AppContext {
  readonly config: MiddlewareConfig;
  readonly upstream: Upstream;
  readonly store: HistoryStore;
  readonly prompts: PromptResolver;
  readonly keyVerifier: KeyVerifier;
  readonly turns: TurnHistoryDeps;
  readonly state: { draining: boolean };
}
