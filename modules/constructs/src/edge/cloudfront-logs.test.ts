import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { describe, expect, it } from "vitest";
import { single, synthConstructs } from "../testing";
import { CLOUDFRONT_ACCESS_LOG_TYPE, DistributionAccessLogs, type DistributionAccessLogsProps } from "./cloudfront-logs";

const synth = (props: Partial<DistributionAccessLogsProps> = {}) =>
  synthConstructs((s) => {
    const provider = new AwsProvider(s, "control", { alias: "control", region: "us-east-1" });
    new DistributionAccessLogs(s, "L", { distributionArn: "dist-arn", name: "gw-cloudfront", provider, kmsKeyArn: "key-arn", ...props });
  });

describe("DistributionAccessLogs", () => {
  const tf = synth({ retentionDays: 60 });
  const id = (type: string) => Object.keys(tf.resource![type]!)[0];

  it("delivers the distribution's access logs to an encrypted log group with retention", () => {
    expect(single(tf, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/vendedlogs/cloudfront/gw-cloudfront",
      retention_in_days: 60,
      kms_key_id: "key-arn",
    });
    expect(single(tf, "aws_cloudwatch_log_delivery_source")).toMatchObject({
      name: "gw-cloudfront",
      log_type: CLOUDFRONT_ACCESS_LOG_TYPE,
      resource_arn: "dist-arn",
    });
    expect(single(tf, "aws_cloudwatch_log_delivery_destination").delivery_destination_configuration).toEqual([
      { destination_resource_arn: `\${aws_cloudwatch_log_group.${id("aws_cloudwatch_log_group")}.arn}` },
    ]);
    expect(single(tf, "aws_cloudwatch_log_delivery")).toMatchObject({
      delivery_source_name: `\${aws_cloudwatch_log_delivery_source.${id("aws_cloudwatch_log_delivery_source")}.name}`,
      delivery_destination_arn: `\${aws_cloudwatch_log_delivery_destination.${id("aws_cloudwatch_log_delivery_destination")}.arn}`,
    });
  });

  it("creates everything through the control-region provider", () => {
    for (const type of ["aws_cloudwatch_log_group", "aws_cloudwatch_log_delivery_source", "aws_cloudwatch_log_delivery_destination", "aws_cloudwatch_log_delivery"]) {
      expect(single(tf, type).provider, type).toBe("aws.control");
    }
  });

  it("names the offending prop", () => {
    expect(() => synth({ name: "a b" })).toThrow(/name must be 1-60/);
    expect(() => synth({ retentionDays: 0 })).toThrow(/retentionDays/);
  });
});
