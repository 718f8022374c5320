// Provider and backend wiring shared by every stack of the app.
import type { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import type { LoadedSettings } from "@gw/config/types";
import { configureStateBackend } from "./backend";

export interface GatewayStackSetupProps {
  readonly loaded: LoadedSettings;
  /** Stack name used in the state key. */
  readonly stackName: string;
  /** Also configure the random provider (stacks that generate passwords). @default false */
  readonly random?: boolean;
  /** Directory of local state files when no state bucket is set. @default - the current working directory */
  readonly localStateDir?: string;
}

export interface GatewayStackProviders {
  readonly aws: AwsProvider;
  readonly random?: RandomProvider;
}

/** AWS provider in the settings region with the settings tags as default_tags, plus the state backend. */
export function configureGatewayStack(stack: TerraformStack, props: GatewayStackSetupProps): GatewayStackProviders {
  const s = props.loaded.settings;
  const aws = new AwsProvider(stack, "aws", {
    region: s.region,
    defaultTags: [{ tags: { ...s.tags } }],
  });
  const random = props.random ? new RandomProvider(stack, "random") : undefined;
  configureStateBackend(stack, {
    deploymentName: s.deploymentName,
    stackName: props.stackName,
    bucket: s.stateBucket,
    bucketRegion: s.stateRegion,
    region: s.region,
    localDir: props.localStateDir,
  });
  return { aws, random };
}
