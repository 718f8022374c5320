// Errors that carry every problem at once, so an operator fixes a configuration in one pass.
import type { SettingsProblem } from "./types";

function formatProblems(title: string, problems: readonly SettingsProblem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  return [`${title} (${problems.length} ${noun}):`, ...problems.map((p) => `${p.variable}: ${p.message}`)].join("\n");
}

/** Invalid deployment settings. The message lists every problem, one per line: "VARIABLE: message". */
export class SettingsError extends Error {
  readonly problems: readonly SettingsProblem[];
  constructor(problems: readonly SettingsProblem[]) {
    super(formatProblems("Invalid deployment settings", problems));
    this.name = "SettingsError";
    this.problems = Object.freeze([...problems]);
  }
}

/** Where in the LiteLLM config a problem is ("model_list[3] (us-east-1.yaml)", "router_settings.fallbacks", ...). */
export interface ConfigProblem {
  readonly where: string;
  readonly message: string;
}

/** The LiteLLM config cannot be rendered. The message lists every problem, one per line: "WHERE: message". */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems("Invalid LiteLLM configuration", problems.map((p) => ({ variable: p.where, message: p.message }))));
    this.name = "ConfigError";
    this.problems = Object.freeze([...problems]);
  }
}
