// What every stack of the app shares: settings, derived names, the AWS provider and state backend (same backend rule
// for every stack: S3 key or local file named after the stack id), and reads of the base stack's hand-off parameters.
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { resourceNames } from "@gw/config/names";
import type { LoadedSettings, ResourceNames, Settings } from "@gw/config/types";
import { readHandoff, type HandoffKey } from "@gw/constructs/handoff";
import { configureGatewayStack } from "@gw/constructs/stack-setup";

/** Props every stack of the app takes. */
export interface GatewayStackProps {
  readonly loaded: LoadedSettings;
  /** Directory of local state files when no state bucket is set. @default - the current working directory */
  readonly localStateDir?: string;
}

export abstract class GatewayStack extends TerraformStack {
  readonly settings: Settings;
  readonly names: ResourceNames;

  /** `random`: also configure the random provider (stacks that generate passwords). */
  protected constructor(scope: Construct, id: string, props: GatewayStackProps, setup: { readonly random?: boolean } = {}) {
    super(scope, id);
    this.settings = props.loaded.settings;
    this.names = resourceNames(this.settings);
    configureGatewayStack(this, { loaded: props.loaded, stackName: id, random: setup.random, localStateDir: props.localStateDir });
  }

  /** Value (a token) of the base stack's hand-off parameter `key`; one data source per key. */
  protected handoff(key: HandoffKey): string {
    return readHandoff(this, this.names, key);
  }
}
