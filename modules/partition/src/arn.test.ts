import { describe, expect, it } from "vitest";
import {
  EXAMPLE_ACCOUNT_ID,
  SUPPORTED_REGIONS,
  UnknownRegionError,
  accountRootArn,
  arn,
  arnInAnyRegion,
  arnPrefix,
  eksAccessPolicyArn,
  isAccountId,
  isPartitionArn,
  managedPolicyArn,
  parseArn,
  partitionFacts,
  partitionOf,
} from "./index";

const acct = EXAMPLE_ACCOUNT_ID;

describe("arnPrefix", () => {
  it("follows the region's partition", () => {
    expect(arnPrefix("eu-west-1")).toBe("arn:aws");
    expect(arnPrefix("cn-northwest-1")).toBe("arn:aws-cn");
    expect(arnPrefix("us-gov-east-1")).toBe("arn:aws-us-gov");
    for (const r of SUPPORTED_REGIONS) expect(arnPrefix(r)).toBe(partitionFacts(partitionOf(r)).arnPrefix);
    expect(() => arnPrefix("nowhere-1")).toThrow(UnknownRegionError);
  });
});

describe("arn", () => {
  it("builds regional ARNs with an account", () => {
    expect(arn("cn-north-1", "secretsmanager", "secret:gw-master-key", { account: acct })).toBe(
      `arn:aws-cn:secretsmanager:cn-north-1:${acct}:secret:gw-master-key`,
    );
    expect(arn("us-gov-west-1", "bedrock", "foundation-model/anthropic.claude")).toBe(
      "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude",
    );
  });

  it("leaves the region out for global services, unless told otherwise", () => {
    expect(arn("us-west-2", "s3", "my-bucket/*")).toBe("arn:aws:s3:::my-bucket/*");
    expect(arn("cn-north-1", "iam", "role/x", { account: acct })).toBe(`arn:aws-cn:iam::${acct}:role/x`);
    expect(arn("us-east-1", "iam", "role/x", { account: acct, regionless: false })).toBe(`arn:aws:iam:us-east-1:${acct}:role/x`);
    expect(arn("us-east-1", "ecr", "repository/x", { regionless: true })).toBe("arn:aws:ecr:::repository/x");
  });

  it("accepts unresolved tokens as account and rejects malformed input", () => {
    expect(arn("us-east-1", "iam", "root", { account: "${TfToken[TOKEN.1]}" })).toBe("arn:aws:iam::${TfToken[TOKEN.1]}:root");
    expect(() => arn("us-east-1", "iam", "root", { account: "12345" })).toThrow(/12-digit/);
    expect(() => arn("us-east-1", "S3", "b")).toThrow(/invalid service/);
    expect(() => arn("us-east-1", "s3", "")).toThrow(/resource/);
    expect(() => arn("xx-1", "s3", "b")).toThrow(UnknownRegionError);
  });

  it("round-trips through parseArn in every region", () => {
    for (const r of SUPPORTED_REGIONS) {
      const value = arn(r, "logs", "log-group:/gw/app:*", { account: acct });
      expect(parseArn(value)).toEqual({ partition: partitionOf(r), service: "logs", region: r, account: acct, resource: "log-group:/gw/app:*" });
    }
  });
});

describe("arnInAnyRegion", () => {
  it("wildcards only the region and keeps the deployment's partition", () => {
    expect(arnInAnyRegion("us-east-1", "bedrock", "prompt/*", { account: acct })).toBe(`arn:aws:bedrock:*:${acct}:prompt/*`);
    expect(arnInAnyRegion("cn-northwest-1", "bedrock", "prompt/*", { account: acct })).toBe(`arn:aws-cn:bedrock:*:${acct}:prompt/*`);
    expect(arnInAnyRegion("us-gov-west-1", "bedrock", "foundation-model/*")).toBe("arn:aws-us-gov:bedrock:*::foundation-model/*");
    // parseArn's region field admits no "*": the value is an IAM pattern, never a concrete ARN.
    expect(parseArn(arnInAnyRegion("us-east-1", "bedrock", "prompt/*", { account: acct }))).toBeUndefined();
  });

  it("validates like arn()", () => {
    expect(() => arnInAnyRegion("us-east-1", "bedrock", "prompt/*", { account: "12345" })).toThrow(/12-digit/);
    expect(() => arnInAnyRegion("us-east-1", "Bedrock", "x")).toThrow(/invalid service/);
    expect(() => arnInAnyRegion("us-east-1", "bedrock", "")).toThrow(/resource/);
    expect(() => arnInAnyRegion("xx-1", "bedrock", "x")).toThrow(UnknownRegionError);
  });
});

describe("accountRootArn / managedPolicyArn / eksAccessPolicyArn", () => {
  it("build partition-correct IAM ARNs", () => {
    expect(accountRootArn(acct, "cn-north-1")).toBe(`arn:aws-cn:iam::${acct}:root`);
    expect(managedPolicyArn("AmazonEKSClusterPolicy", "us-east-1")).toBe("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
    expect(managedPolicyArn("service-role/AmazonECSTaskExecutionRolePolicy", "cn-northwest-1")).toBe(
      "arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    );
    expect(managedPolicyArn("AmazonSSMManagedInstanceCore", "us-gov-west-1")).toBe("arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore");
    expect(eksAccessPolicyArn("AmazonEKSClusterAdminPolicy", "cn-north-1")).toBe(
      "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
    );
  });

  it("reject names that are not policy names", () => {
    expect(() => managedPolicyArn("arn:aws:iam::aws:policy/X", "us-east-1")).toThrow(/not a policy name/);
    expect(() => managedPolicyArn("/leading", "us-east-1")).toThrow(/not a policy name/);
    expect(() => managedPolicyArn("", "us-east-1")).toThrow(/not a policy name/);
    expect(() => eksAccessPolicyArn("a/b", "us-east-1")).toThrow(/invalid policy name/);
  });
});

describe("isPartitionArn / parseArn", () => {
  it("recognise ARNs of the three partitions only", () => {
    expect(isPartitionArn("arn:aws:s3:::bucket")).toBe(true);
    expect(isPartitionArn(`arn:aws-cn:iam::${acct}:role/a`)).toBe(true);
    expect(isPartitionArn("arn:aws-us-gov:iam::aws:policy/P")).toBe(true);
    expect(isPartitionArn("arn:aws-iso:s3:::bucket")).toBe(false);
    expect(isPartitionArn("arn:aws:s3")).toBe(false);
    expect(isPartitionArn("anthropic.claude-3-haiku")).toBe(false);
    expect(isPartitionArn(`xarn:aws:iam::${acct}:root`)).toBe(false);
    expect(isPartitionArn(`arn:aws:iam::1234:root`)).toBe(false);
  });

  it("parse fields, keeping colons and slashes inside the resource", () => {
    expect(parseArn(`arn:aws:bedrock:us-west-2:${acct}:prompt/ABC:3`)).toEqual({
      partition: "aws", service: "bedrock", region: "us-west-2", account: acct, resource: "prompt/ABC:3",
    });
    expect(parseArn("arn:aws-cn:iam::aws:policy/P")).toEqual({ partition: "aws-cn", service: "iam", region: "", account: "aws", resource: "policy/P" });
    expect(parseArn("arn:aws:s3:::b")?.account).toBe("");
    expect(parseArn("nope")).toBeUndefined();
  });

  it("isAccountId accepts exactly 12 digits", () => {
    expect(isAccountId(acct)).toBe(true);
    expect(isAccountId("12345678901")).toBe(false);
    expect(isAccountId("1234567890123")).toBe(false);
    expect(isAccountId("12345678901a")).toBe(false);
  });
});
