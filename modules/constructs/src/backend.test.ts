import { describe, expect, it } from "vitest";
import { TerraformStack } from "cdktf";
import { configureStateBackend, stateKey } from "./backend";
import { synthStack } from "./testing";

function synth(props: Parameters<typeof configureStateBackend>[1]) {
  const { json } = synthStack((app) => {
    const stack = new TerraformStack(app, props.stackName);
    configureStateBackend(stack, props);
    return stack;
  });
  return json.terraform!.backend;
}

describe("configureStateBackend", () => {
  it("uses S3 with native lock file and encryption when a bucket is set", () => {
    const backend = synth({ deploymentName: "gw", stackName: "base", bucket: "state-bucket", region: "cn-north-1" });
    expect(backend.s3).toMatchObject({ bucket: "state-bucket", key: "gw/base.tfstate", region: "cn-north-1", encrypt: true, use_lockfile: true });
    expect(backend.local).toBeUndefined();
  });
  it("prefers the bucket region over the deployment region", () => {
    const backend = synth({ deploymentName: "gw", stackName: "ecs", bucket: "b", bucketRegion: "us-west-2", region: "us-east-1" });
    expect(backend.s3.region).toBe("us-west-2");
  });
  it("falls back to a local state file per deployment and stack", () => {
    const backend = synth({ deploymentName: "gw", stackName: "eks", localDir: "/tmp/state" });
    expect(backend.local.path).toBe("/tmp/state/terraform.gw-eks.tfstate");
  });
  it("names the missing prop", () => {
    expect(() => synth({ deploymentName: "gw", stackName: "base", bucket: "b" })).toThrow(/region/);
    expect(stateKey("a", "b")).toBe("a/b.tfstate");
  });
});
