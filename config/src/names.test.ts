import { describe, expect, it } from "vitest";
import { SUPPORTED_REGIONS } from "@gw/partition";
import { ACCOUNT_SUFFIX_LENGTH, NAME_LIMITS, resourceNames, withAccountSuffix } from "./names";
import { load, TEST_ACCOUNT } from "./test-helpers";

describe("resourceNames", () => {
  it("is deterministic and derived from the deployment name", () => {
    const { settings } = load({ DEPLOYMENT_NAME: "team-gw", AWS_REGION: "eu-central-2" });
    const a = resourceNames(settings);
    expect(resourceNames(settings)).toEqual(a);
    expect(a.prefix).toBe("team-gw");
    expect(a.ssmPrefix).toBe("/team-gw/");
    expect(a.configBucket).toBe("team-gw-config-eu-central-2");
    expect(Object.values(a.secrets).every((s) => s.startsWith("team-gw/"))).toBe(true);
    expect(new Set(Object.values(a.secrets)).size).toBe(Object.keys(a.secrets).length);
    const other = resourceNames(load({ DEPLOYMENT_NAME: "other-gw", AWS_REGION: "eu-central-2" }).settings);
    expect(other.dbIdentifier).not.toBe(a.dbIdentifier);
  });

  it("keeps every name within its AWS limit for the longest deployment name in every region", () => {
    const name = "a" + "b-".repeat(11) + "c"; // 24 characters, the maximum
    expect(name).toHaveLength(24);
    for (const region of SUPPORTED_REGIONS) {
      const n = resourceNames({ deploymentName: name, region });
      for (const bucket of [n.configBucket, n.litellmLogBucket, n.albLogBucket]) {
        const full = withAccountSuffix(bucket, TEST_ACCOUNT);
        expect(full.length, full).toBeLessThanOrEqual(NAME_LIMITS.bucket);
        expect(full).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
        expect(full.length - bucket.length).toBe(ACCOUNT_SUFFIX_LENGTH);
      }
      expect(n.dbIdentifier.length).toBeLessThanOrEqual(NAME_LIMITS.dbIdentifier);
      expect(n.redisReplicationGroup.length).toBeLessThanOrEqual(NAME_LIMITS.redisReplicationGroup);
      expect(n.alb.length).toBeLessThanOrEqual(NAME_LIMITS.alb);
      expect(n.targetGroups.litellm.length).toBeLessThanOrEqual(NAME_LIMITS.targetGroup);
      expect(n.targetGroups.middleware.length).toBeLessThanOrEqual(NAME_LIMITS.targetGroup);
    }
  });

  it("accepts a 24-character deployment name but not 25", () => {
    expect(() => load({ DEPLOYMENT_NAME: "a".repeat(24) })).not.toThrow();
    expect(() => load({ DEPLOYMENT_NAME: "a".repeat(25) })).toThrow(/DEPLOYMENT_NAME/);
  });
});
