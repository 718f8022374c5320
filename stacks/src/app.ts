// Builds the cdktf app from validated settings. Used by main.ts (cdktf), synth-cli.ts, the tests and the benchmark.
import { App, type TerraformStack } from "cdktf";
import type { LoadedSettings } from "@gw/config/types";
import { TRUE_WORDS } from "@gw/config/env-reader";
import { BaseStack } from "./base-stack";
import { EcsStack } from "./ecs-stack";
import { EksStack } from "./eks-stack";
import { FakeLlmStack } from "./fake-llm-stack";
import { BastionStack } from "./bastion-stack";

export interface BuildAppOptions {
  /** Output directory. @default - cdktf's default (CDKTF_OUTDIR or "cdktf.out") */
  readonly outdir?: string;
  /** Add the fake-llm stack. @default - ENABLE_FAKE_LLM_STACK in `env` */
  readonly fakeLlm?: boolean;
  /** Add the bastion stack. @default - ENABLE_BASTION_STACK in `env` */
  readonly bastion?: boolean;
  /** Environment consulted for the optional stacks. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory of local state files when no state bucket is set. @default - the current working directory */
  readonly localStateDir?: string;
}

export interface GatewayApp {
  readonly app: App;
  /** Stacks by name: base, ecs, eks, and fake-llm / bastion when enabled. */
  readonly stacks: Readonly<Record<string, TerraformStack>>;
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  return TRUE_WORDS.has((env[name] ?? "").trim().toLowerCase());
}

export function buildApp(loaded: LoadedSettings, options: BuildAppOptions = {}): GatewayApp {
  const env = options.env ?? process.env;
  const app = new App({ outdir: options.outdir, skipValidation: false });
  // Every stack keeps its local state beside the others (same directory, one file per stack).
  const common = { loaded, localStateDir: options.localStateDir };
  const stacks: Record<string, TerraformStack> = {
    base: new BaseStack(app, "base", common),
    ecs: new EcsStack(app, "ecs", common),
    eks: new EksStack(app, "eks", common),
  };
  if (options.fakeLlm ?? flag(env, "ENABLE_FAKE_LLM_STACK")) stacks["fake-llm"] = new FakeLlmStack(app, "fake-llm", common);
  if (options.bastion ?? flag(env, "ENABLE_BASTION_STACK")) stacks.bastion = new BastionStack(app, "bastion", common);
  // The other stacks read what base writes (SSM hand-off), so `cdktf deploy base ecs` must apply base first. The
  // dependency only orders deployment: it adds no remote state and no cross-stack references.
  for (const [name, stack] of Object.entries(stacks)) if (name !== "base") stack.addDependency(stacks.base!);
  return { app, stacks };
}
