import { describe, expect, it } from "vitest";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { logRetention } from "./log-retention";
import { synthConstructs } from "@gw/constructs/testing";
import { runPolicies } from "./index";
import { synthApp } from "../test-support";

describe("log-retention", () => {
  it("passes on the synthesized eu-central-2 stacks, which have log groups", () => {
    const { stacks } = synthApp("eu-central-2");
    expect(Object.values(stacks).some((tf) => Object.keys(tf.resource?.aws_cloudwatch_log_group ?? {}).length > 0)).toBe(true);
    expect(runPolicies(stacks, [logRetention])).toEqual([]);
  });

  it("catches log groups that never expire", () => {
    const tf = synthConstructs((s) => {
      new CloudwatchLogGroup(s, "forever", { name: "/forever" });
      new CloudwatchLogGroup(s, "zero", { name: "/zero", retentionInDays: 0 });
      new CloudwatchLogGroup(s, "ok", { name: "/ok", retentionInDays: 14 });
    });
    expect(logRetention.check("crafted", tf).map((v) => v.address).sort()).toEqual(["aws_cloudwatch_log_group.forever", "aws_cloudwatch_log_group.zero"]);
  });
});
