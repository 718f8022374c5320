// Terraform state: S3 with native lock files (no DynamoDB table) when a state bucket is configured, local otherwise.
import * as path from "node:path";
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";

export interface StateBackendProps {
  /** Deployment name; part of the state key so deployments never share state. */
  readonly deploymentName: string;
  /** Stack name ("base", "ecs" ...); part of the state key. */
  readonly stackName: string;
  /** S3 bucket for state. @default - local state file `terraform.<deployment>-<stack>.tfstate` in `localDir` */
  readonly bucket?: string;
  /** Region of the state bucket. @default - `region` */
  readonly bucketRegion?: string;
  /** Deployment region; used for the bucket region when `bucketRegion` is not given. Required with `bucket`. */
  readonly region?: string;
  /** Directory of local state files. @default - the current working directory */
  readonly localDir?: string;
}

/** The S3 state key of a stack: `<deployment>/<stack>.tfstate`. */
export function stateKey(deploymentName: string, stackName: string): string {
  return `${deploymentName}/${stackName}.tfstate`;
}

/** Configures the backend of `stack`; returns the backend construct. */
export function configureStateBackend(stack: TerraformStack, props: StateBackendProps): S3Backend | LocalBackend {
  if (!props.deploymentName) throw new Error("configureStateBackend: deploymentName must not be empty");
  if (!props.stackName) throw new Error("configureStateBackend: stackName must not be empty");
  if (props.bucket) {
    const region = props.bucketRegion ?? props.region;
    if (!region) throw new Error("configureStateBackend: region (or bucketRegion) is required when bucket is set");
    const backend = new S3Backend(stack, {
      bucket: props.bucket,
      key: stateKey(props.deploymentName, props.stackName),
      region,
      encrypt: true,
    });
    // cdktf 0.21 predates the S3 backend's native locking option; add it as a raw override.
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
    return backend;
  }
  return new LocalBackend(stack, {
    path: path.join(props.localDir ?? process.cwd(), `terraform.${props.deploymentName}-${props.stackName}.tfstate`),
  });
}
