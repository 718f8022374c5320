import { describe, expect, it } from "vitest";
import { RedisCache, type RedisCacheProps } from "./cache";
import { resources, single, synthConstructs } from "../testing";

const props: RedisCacheProps = { replicationGroupId: "gw-redis", vpcId: "vpc-1", subnetIds: ["a", "b"], authSecretNamePrefix: "gw/redis-auth" };

describe("RedisCache", () => {
  it("encrypts in transit (required) and at rest, with an AUTH token from the random provider", () => {
    const tf = synthConstructs((s) => new RedisCache(s, "C", props));
    const rg = single(tf, "aws_elasticache_replication_group");
    expect(rg).toMatchObject({
      engine: "redis",
      at_rest_encryption_enabled: "true",
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      port: 6379,
    });
    expect(rg.auth_token).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
    expect(single(tf, "aws_secretsmanager_secret_version").secret_string).toBe(rg.auth_token);
    expect(single(tf, "aws_elasticache_parameter_group").family).toBe("redis7");
  });

  it("turns failover off for a single node", () => {
    const tf = synthConstructs((s) => new RedisCache(s, "C", { ...props, numCacheClusters: 1 }));
    expect(single(tf, "aws_elasticache_replication_group")).toMatchObject({ automatic_failover_enabled: false, multi_az_enabled: false });
    expect(resources(tf, "aws_secretsmanager_secret")).toHaveLength(1);
  });

  it("rejects failover with one node, naming the prop", () => {
    expect(() => synthConstructs((s) => new RedisCache(s, "C", { ...props, numCacheClusters: 1, automaticFailover: true }))).toThrow(
      /automaticFailover/,
    );
    expect(() => synthConstructs((s) => new RedisCache(s, "C", { ...props, numCacheClusters: 9 }))).toThrow(/numCacheClusters/);
  });
});
