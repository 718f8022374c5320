import { describe, expect, it } from "vitest";
import {
  EXAMPLE_ACCOUNT_ID,
  SUPPORTED_REGIONS,
  UnavailableEndpointServiceError,
  UnknownRegionError,
  cloudFrontControlRegion,
  cloudFrontHostedZoneId,
  cloudFrontOriginFacingPrefixListName,
  dnsSuffix,
  ecrRegistryHost,
  hasCloudFrontOriginFacingPrefixList,
  partitionOf,
  regionFacts,
  serviceEndpoint,
  vpcEndpointServiceName,
  vpcEndpointType,
} from "./index";

describe("dnsSuffix", () => {
  it("is the China suffix only in aws-cn", () => {
    for (const r of SUPPORTED_REGIONS) expect(dnsSuffix(r), r).toBe(partitionOf(r) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com");
  });
});

describe("vpcEndpointServiceName", () => {
  it("uses com.amazonaws.<region>.<svc> outside China", () => {
    expect(vpcEndpointServiceName("bedrock-runtime", "us-east-1")).toBe("com.amazonaws.us-east-1.bedrock-runtime");
    expect(vpcEndpointServiceName("ecr.dkr", "us-gov-west-1")).toBe("com.amazonaws.us-gov-west-1.ecr.dkr");
    expect(vpcEndpointServiceName("s3", "eu-central-2")).toBe("com.amazonaws.eu-central-2.s3");
  });

  it("uses the cn.com.amazonaws prefix for the China interface services that have it", () => {
    for (const r of ["cn-north-1", "cn-northwest-1"]) {
      for (const s of ["ecr.api", "ecr.dkr", "sts", "monitoring", "ec2", "eks", "sagemaker.runtime", "autoscaling", "application-autoscaling"]) {
        expect(vpcEndpointServiceName(s, r)).toBe(`cn.com.amazonaws.${r}.${s}`);
      }
      for (const s of ["logs", "secretsmanager", "ssm", "ssmmessages", "ec2messages", "kms", "ecs", "ecs-agent", "ecs-telemetry"]) {
        expect(vpcEndpointServiceName(s, r)).toBe(`com.amazonaws.${r}.${s}`);
      }
      // Gateway endpoints keep the plain prefix; the S3 interface endpoint has the China prefix.
      expect(vpcEndpointServiceName("s3", r)).toBe(`com.amazonaws.${r}.s3`);
      expect(vpcEndpointServiceName("s3", r, { type: "Interface" })).toBe(`cn.com.amazonaws.${r}.s3`);
    }
  });

  it("refuses services that do not exist in the region, listing the ones that do", () => {
    for (const [svc, region] of [["bedrock-runtime", "cn-north-1"], ["elasticloadbalancing", "cn-northwest-1"], ["bedrock-agent", "us-west-1"], ["nope", "us-east-1"]] as const) {
      let err: unknown;
      try {
        vpcEndpointServiceName(svc, region);
      } catch (e) {
        err = e;
      }
      expect(err, `${svc} ${region}`).toBeInstanceOf(UnavailableEndpointServiceError);
      expect((err as Error).message).toContain(svc);
      expect((err as Error).message).toContain("ecr.api");
    }
    expect(() => vpcEndpointServiceName("s3", "nowhere-1")).toThrow(UnknownRegionError);
  });

  it("gives a name for every listed service of every region", () => {
    for (const r of SUPPORTED_REGIONS) {
      for (const s of regionFacts(r).vpcEndpointServices) {
        expect(vpcEndpointServiceName(s, r)).toMatch(new RegExp(`^(cn\\.)?com\\.amazonaws\\.${r}\\.${s.replace(".", "\\.")}$`));
      }
    }
  });

  it("knows the default endpoint type", () => {
    expect(vpcEndpointType("s3")).toBe("Gateway");
    expect(vpcEndpointType("ecr.api")).toBe("Interface");
    expect(() => vpcEndpointType("nope")).toThrow(/Unknown VPC endpoint service "nope"/);
  });
});

describe("ecrRegistryHost / serviceEndpoint", () => {
  it("build hosts with the partition's DNS suffix", () => {
    expect(ecrRegistryHost(EXAMPLE_ACCOUNT_ID, "cn-north-1")).toBe(`${EXAMPLE_ACCOUNT_ID}.dkr.ecr.cn-north-1.amazonaws.com.cn`);
    expect(ecrRegistryHost(EXAMPLE_ACCOUNT_ID, "us-gov-west-1")).toBe(`${EXAMPLE_ACCOUNT_ID}.dkr.ecr.us-gov-west-1.amazonaws.com`);
    expect(ecrRegistryHost("${TfToken[TOKEN.3]}", "us-east-1")).toBe("${TfToken[TOKEN.3]}.dkr.ecr.us-east-1.amazonaws.com");
    expect(() => ecrRegistryHost("abc", "us-east-1")).toThrow(/12-digit/);
    expect(serviceEndpoint("bedrock-runtime", "us-west-2")).toBe("https://bedrock-runtime.us-west-2.amazonaws.com");
    expect(serviceEndpoint("sts", "cn-northwest-1")).toBe("https://sts.cn-northwest-1.amazonaws.com.cn");
    expect(serviceEndpoint("bedrock-agent", "us-gov-west-1")).toBe("https://bedrock-agent.us-gov-west-1.amazonaws.com");
    expect(() => serviceEndpoint("https://x", "us-east-1")).toThrow(/invalid service/);
    expect(() => serviceEndpoint("sts", "xx-1")).toThrow(UnknownRegionError);
  });
});

describe("CloudFront names", () => {
  it("origin-facing prefix list exists only where CloudFront is generally available", () => {
    expect(cloudFrontOriginFacingPrefixListName()).toBe("com.amazonaws.global.cloudfront.origin-facing");
    expect(hasCloudFrontOriginFacingPrefixList("us-east-1")).toBe(true);
    expect(hasCloudFrontOriginFacingPrefixList("cn-north-1")).toBe(false);
    expect(hasCloudFrontOriginFacingPrefixList("us-gov-west-1")).toBe(false);
  });

  it("alias hosted zone per partition, none in GovCloud", () => {
    expect(cloudFrontHostedZoneId("eu-west-1")).toBe("Z2FDTNDATAQYW2");
    expect(cloudFrontHostedZoneId("cn-northwest-1")).toBe("Z3RFFRIM2A3IF5");
    expect(cloudFrontHostedZoneId("us-gov-east-1")).toBeUndefined();
    for (const r of SUPPORTED_REGIONS) expect(cloudFrontHostedZoneId(r) === undefined, r).toBe(regionFacts(r).cloudFront === "absent");
  });
});

describe("cloudFrontControlRegion", () => {
  it("is us-east-1 in aws only", () => {
    expect(cloudFrontControlRegion("ap-southeast-2")).toBe("us-east-1");
    expect(cloudFrontControlRegion("us-east-1")).toBe("us-east-1");
    expect(cloudFrontControlRegion("cn-north-1")).toBeUndefined();
    expect(cloudFrontControlRegion("us-gov-west-1")).toBeUndefined();
  });
});
