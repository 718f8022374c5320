import { describe, expect, it } from "vitest";
import { SERVICE_PRINCIPAL_NAMES, SUPPORTED_REGIONS, UnknownRegionError, dnsSuffix, eksOidcAudience, partitionOf, servicePrincipal } from "./index";

describe("servicePrincipal", () => {
  it("uses the China suffix only for the aws-cn exceptions (anchors §B.2)", () => {
    expect(servicePrincipal("ec2", "cn-north-1")).toBe("ec2.amazonaws.com.cn");
    expect(servicePrincipal("s3", "cn-northwest-1")).toBe("s3.amazonaws.com.cn");
    expect(servicePrincipal("logs", "cn-north-1")).toBe("logs.amazonaws.com.cn");
    expect(servicePrincipal("codedeploy", "cn-north-1")).toBe("codedeploy.amazonaws.com.cn");
    expect(servicePrincipal("elasticmapreduce", "cn-north-1")).toBe("elasticmapreduce.amazonaws.com.cn");
    // The China-suffixed form is invalid for these.
    expect(servicePrincipal("ecs-tasks", "cn-north-1")).toBe("ecs-tasks.amazonaws.com");
    expect(servicePrincipal("ecs", "cn-north-1")).toBe("ecs.amazonaws.com");
    expect(servicePrincipal("eks", "cn-north-1")).toBe("eks.amazonaws.com");
    expect(servicePrincipal("eks-pods", "cn-northwest-1")).toBe("pods.eks.amazonaws.com");
    expect(servicePrincipal("monitoring.rds", "cn-north-1")).toBe("monitoring.rds.amazonaws.com");
    expect(servicePrincipal("lambda", "cn-north-1")).toBe("lambda.amazonaws.com");
    expect(servicePrincipal("events", "cn-north-1")).toBe("events.amazonaws.com");
    expect(servicePrincipal("sqs", "cn-north-1")).toBe("sqs.amazonaws.com");
    expect(servicePrincipal("vpc-flow-logs", "cn-north-1")).toBe("vpc-flow-logs.amazonaws.com");
  });

  it("uses the global suffix for every service in aws and aws-us-gov", () => {
    for (const r of SUPPORTED_REGIONS.filter((x) => partitionOf(x) !== "aws-cn")) {
      for (const s of SERVICE_PRINCIPAL_NAMES) expect(servicePrincipal(s, r)).toMatch(/^[a-z0-9.-]+\.amazonaws\.com$/);
    }
    expect(servicePrincipal("ec2", "us-gov-west-1")).toBe("ec2.amazonaws.com");
    expect(servicePrincipal("logdelivery.elasticloadbalancing", "eu-central-2")).toBe("logdelivery.elasticloadbalancing.amazonaws.com");
    expect(servicePrincipal("delivery.logs", "us-east-1")).toBe("delivery.logs.amazonaws.com");
  });

  it("every China principal ends in one of the two suffixes, exactly five use the China one", () => {
    const cn = SERVICE_PRINCIPAL_NAMES.map((s) => servicePrincipal(s, "cn-north-1"));
    expect(cn.filter((p) => p.endsWith(`.${dnsSuffix("cn-north-1")}`))).toHaveLength(5);
    for (const p of cn) expect(p).toMatch(/\.amazonaws\.com(\.cn)?$/);
  });

  it("rejects unknown services and regions", () => {
    expect(() => servicePrincipal("nope" as never, "us-east-1")).toThrow(/Unknown service principal "nope"/);
    expect(() => servicePrincipal("ec2", "xx-east-1")).toThrow(UnknownRegionError);
  });
});

describe("eksOidcAudience", () => {
  it("is the global STS audience in every partition", () => {
    expect(eksOidcAudience("cn-north-1")).toBe("sts.amazonaws.com");
    expect(eksOidcAudience("us-gov-east-1")).toBe("sts.amazonaws.com");
    expect(() => eksOidcAudience("xx-1")).toThrow(UnknownRegionError);
  });
});
