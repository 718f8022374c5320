import { describe, expect, it } from "vitest";
import {
  DEFAULT_REGION,
  PARTITION_IDS,
  SUPPORTED_REGIONS,
  UnknownRegionError,
  isSupportedRegion,
  partitionFacts,
  partitionOf,
  regionFacts,
} from "./index";

describe("SUPPORTED_REGIONS", () => {
  it("lists both China regions, both GovCloud regions and the commercial Bedrock regions, without duplicates", () => {
    expect(new Set(SUPPORTED_REGIONS).size).toBe(SUPPORTED_REGIONS.length);
    for (const r of ["cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1"]) expect(SUPPORTED_REGIONS).toContain(r);
    for (const r of [
      "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-central-1", "eu-central-2",
      "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2", "ap-northeast-1",
      "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
    ]) {
      expect(SUPPORTED_REGIONS).toContain(r);
    }
    expect(SUPPORTED_REGIONS).toContain(DEFAULT_REGION);
    expect(Object.isFrozen(SUPPORTED_REGIONS)).toBe(true);
  });

  it("uses well-formed region names", () => {
    for (const r of SUPPORTED_REGIONS) expect(r).toMatch(/^[a-z]{2}(-gov)?-[a-z]+-\d$/);
  });
});

describe("partitionOf", () => {
  it("maps every region to exactly one partition, consistent with partitionFacts().regions", () => {
    for (const r of SUPPORTED_REGIONS) {
      const owners = PARTITION_IDS.filter((p) => partitionFacts(p).regions.includes(r));
      expect(owners, r).toEqual([partitionOf(r)]);
    }
    expect(PARTITION_IDS.flatMap((p) => partitionFacts(p).regions).length).toBe(SUPPORTED_REGIONS.length);
  });

  it("classifies by partition", () => {
    expect(partitionOf("us-east-1")).toBe("aws");
    expect(partitionOf("eu-central-2")).toBe("aws");
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("cn-northwest-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOf("us-gov-east-1")).toBe("aws-us-gov");
    for (const r of SUPPORTED_REGIONS) {
      const expected = r.startsWith("cn-") ? "aws-cn" : r.startsWith("us-gov-") ? "aws-us-gov" : "aws";
      expect(partitionOf(r), r).toBe(expected);
    }
  });

  it("throws UnknownRegionError naming the region and every supported one", () => {
    for (const bad of ["mars-east-1", "", "US-EAST-1", "toString", "__proto__", "us-east-1 "]) {
      let err: unknown;
      try {
        partitionOf(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(UnknownRegionError);
      const msg = (err as Error).message;
      expect(msg).toContain(`"${bad}"`);
      for (const r of SUPPORTED_REGIONS) expect(msg).toContain(r);
      expect((err as UnknownRegionError).region).toBe(bad);
      expect((err as UnknownRegionError).supported).toEqual(SUPPORTED_REGIONS);
    }
    expect(isSupportedRegion("mars-east-1")).toBe(false);
    expect(isSupportedRegion("cn-north-1")).toBe(true);
  });
});

describe("partitionFacts", () => {
  it("gives ARN prefix, DNS suffix and regions per partition", () => {
    expect(partitionFacts("aws")).toMatchObject({ id: "aws", arnPrefix: "arn:aws", dnsSuffix: "amazonaws.com" });
    expect(partitionFacts("aws-cn")).toMatchObject({ id: "aws-cn", arnPrefix: "arn:aws-cn", dnsSuffix: "amazonaws.com.cn" });
    expect(partitionFacts("aws-us-gov")).toMatchObject({ id: "aws-us-gov", arnPrefix: "arn:aws-us-gov", dnsSuffix: "amazonaws.com" });
    expect(partitionFacts("aws-cn").regions).toEqual(["cn-north-1", "cn-northwest-1"]);
    expect(PARTITION_IDS.map((p) => partitionFacts(p).reverseDnsPrefix)).toEqual(["com.amazonaws", "cn.com.amazonaws", "com.amazonaws"]);
    expect([...partitionFacts("aws-us-gov").regions].sort()).toEqual(["us-gov-east-1", "us-gov-west-1"]);
    for (const p of PARTITION_IDS) expect(partitionFacts(p).name.length).toBeGreaterThan(0);
  });

  it("rejects an unknown partition", () => {
    expect(() => partitionFacts("aws-iso" as never)).toThrow(/aws-iso.*aws, aws-cn, aws-us-gov/);
  });
});

describe("regionFacts", () => {
  it("CloudFront: available in aws, needs ICP in China, absent in GovCloud", () => {
    for (const r of SUPPORTED_REGIONS) {
      const f = regionFacts(r);
      const expected = { aws: "available", "aws-cn": "icp-required", "aws-us-gov": "absent" }[f.partition];
      expect(f.cloudFront, r).toBe(expected);
    }
  });

  it("WAF CLOUDFRONT scope exists only where CloudFront is generally available; REGIONAL everywhere", () => {
    for (const r of SUPPORTED_REGIONS) {
      const f = regionFacts(r);
      expect(f.wafScopes).toContain("REGIONAL");
      expect(f.wafScopes.includes("CLOUDFRONT"), r).toBe(f.cloudFront === "available");
    }
  });

  it("public Route 53 is absent only in GovCloud; ECR Public only in aws", () => {
    for (const r of SUPPORTED_REGIONS) {
      const f = regionFacts(r);
      expect(f.publicRoute53, r).toBe(f.partition !== "aws-us-gov");
      expect(f.ecrPublic, r).toBe(f.partition === "aws");
    }
  });

  it("Bedrock is in-region everywhere except China, which goes through the aws partition", () => {
    for (const r of SUPPORTED_REGIONS) {
      const f = regionFacts(r);
      if (f.partition === "aws-cn") expect(f.bedrock).toEqual({ mode: "cross-partition", via: "aws" });
      else expect(f.bedrock, r).toEqual({ mode: "in-region" });
    }
  });

  it("VPC endpoint services exist only where the service does", () => {
    for (const r of SUPPORTED_REGIONS) {
      const f = regionFacts(r);
      for (const core of ["s3", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts", "ssm"]) expect(f.vpcEndpointServices, r).toContain(core);
      const bedrock = f.vpcEndpointServices.filter((s) => s.startsWith("bedrock"));
      if (f.partition === "aws-cn") {
        expect(bedrock, r).toEqual([]);
        expect(f.vpcEndpointServices).not.toContain("elasticloadbalancing");
      } else {
        expect(f.vpcEndpointServices, r).toContain("bedrock-runtime");
        expect(f.vpcEndpointServices).toContain("elasticloadbalancing");
      }
      if (f.vpcEndpointServices.includes("bedrock-agent")) expect(f.bedrockManagedPrompts).toBe(true);
    }
    expect(regionFacts("us-east-1").vpcEndpointServices).toEqual(expect.arrayContaining(["bedrock-agent", "bedrock-agent-runtime"]));
    expect(regionFacts("us-west-1").vpcEndpointServices).not.toContain("bedrock-agent");
  });

  it("AZ counts are plausible, China has 3 AZs per region, notes are sentences", () => {
    for (const r of SUPPORTED_REGIONS) {
      const f = regionFacts(r);
      expect(f.availabilityZoneCount, r).toBeGreaterThanOrEqual(2);
      expect(f.availabilityZoneCount, r).toBeLessThanOrEqual(6);
      expect(f.displayName.length).toBeGreaterThan(3);
      for (const n of f.fargateNotes) expect(n).toMatch(/^[A-Z].*\.$/);
    }
    expect(regionFacts("cn-north-1").availabilityZoneCount).toBe(3);
    expect(regionFacts("cn-northwest-1").availabilityZoneCount).toBe(3);
    expect(regionFacts("cn-north-1").fargateNotes.join(" ")).toMatch(/AZ ID/);
  });

  it("returns frozen, cached facts and throws for unknown regions", () => {
    const f = regionFacts("eu-central-2");
    expect(regionFacts("eu-central-2")).toBe(f);
    expect(Object.isFrozen(f)).toBe(true);
    expect(Object.isFrozen(f.vpcEndpointServices)).toBe(true);
    expect(f.region).toBe("eu-central-2");
    expect(f.optIn).toBe(true);
    expect(regionFacts("us-east-1").optIn).toBe(false);
    expect(() => regionFacts("moon-1")).toThrow(UnknownRegionError);
  });
});
