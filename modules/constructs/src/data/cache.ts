// ElastiCache Redis replication group with TLS (required mode), encryption at rest and an AUTH token kept in
// Secrets Manager.
import { Construct } from "constructs";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Password } from "@cdktf/provider-random/lib/password";
import { GatewaySecret } from "../secret";
import { requireInteger } from "../validation";

export interface RedisCacheProps {
  /** Replication group id; also the prefix of the subnet group, parameter group and SG names. */
  readonly replicationGroupId: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** Cache subnet group name. @default - `<replicationGroupId>-redis` */
  readonly subnetGroupName?: string;
  /** Node type. @default "cache.t4g.micro" */
  readonly nodeType?: string;
  /** Nodes (primary + replicas), 1-6. @default 2 */
  readonly numCacheClusters?: number;
  /** Automatic failover and Multi-AZ; needs numCacheClusters >= 2. @default - numCacheClusters >= 2 */
  readonly automaticFailover?: boolean;
  /** Engine version; the parameter group family follows the major version. @default "7.1" */
  readonly engineVersion?: string;
  /** @default 6379 */
  readonly port?: number;
  /** Daily snapshots kept (0 disables). @default 1 */
  readonly snapshotRetentionDays?: number;
  /** Name prefix of the secret holding the AUTH token (plain string); a unique suffix is appended. */
  readonly authSecretNamePrefix: string;
  /** @default 7 */
  readonly secretRecoveryWindowDays?: number;
}

export class RedisCache extends Construct {
  readonly replicationGroup: ElasticacheReplicationGroup;
  readonly securityGroup: SecurityGroup;
  readonly authSecret: GatewaySecret;
  /** Primary endpoint address. */
  readonly endpoint: string;
  readonly port: number;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    const nodes = requireInteger("RedisCache", "numCacheClusters", props.numCacheClusters ?? 2, 1, 6);
    const failover = props.automaticFailover ?? nodes >= 2;
    if (failover && nodes < 2) {
      throw new Error(`RedisCache: automaticFailover needs numCacheClusters >= 2 (got ${nodes})`);
    }
    const version = props.engineVersion ?? "7.1";
    const major = /^(\d+)\./.exec(version)?.[1];
    if (!major) throw new Error(`RedisCache: engineVersion must look like "7.1" (got "${version}")`);
    this.port = requireInteger("RedisCache", "port", props.port ?? 6379, 1024, 65535);
    const name = props.replicationGroupId;
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: `${name}-redis`,
      description: "Redis; ingress rules are added by the workload stacks",
      vpcId: props.vpcId,
      tags: { Name: `${name}-redis` },
    });
    const subnets = new ElasticacheSubnetGroup(this, "SubnetGroup", {
      name: props.subnetGroupName ?? `${name}-redis`,
      subnetIds: props.subnetIds,
    });
    const parameters = new ElasticacheParameterGroup(this, "Parameters", {
      name: `${name}-redis${major}`,
      family: `redis${major}`,
      // Never drop idle clients: LiteLLM keeps pooled connections open between bursts.
      parameter: [{ name: "timeout", value: "0" }],
    });
    // AUTH tokens allow printable ASCII except a few characters; alphanumerics avoid quoting issues in clients.
    const token = new Password(this, "AuthToken", { length: 48, special: false });
    this.replicationGroup = new ElasticacheReplicationGroup(this, "Resource", {
      replicationGroupId: name,
      description: `LiteLLM cache and router state for ${name}`,
      engine: "redis",
      engineVersion: version,
      nodeType: props.nodeType ?? "cache.t4g.micro",
      numCacheClusters: nodes,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: this.port,
      subnetGroupName: subnets.name,
      securityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameters.name,
      atRestEncryptionEnabled: "true",
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      authToken: token.result,
      authTokenUpdateStrategy: "ROTATE",
      autoMinorVersionUpgrade: "true",
      snapshotRetentionLimit: props.snapshotRetentionDays ?? 1,
    });
    this.authSecret = new GatewaySecret(this, "AuthSecret", {
      namePrefix: props.authSecretNamePrefix,
      description: "Redis AUTH token (REDIS_PASSWORD)",
      value: token.result,
      recoveryWindowDays: props.secretRecoveryWindowDays,
    });
    this.endpoint = this.replicationGroup.primaryEndpointAddress;
  }
}
