// The base stack: network, data stores, secrets, buckets, registries and WAF. It publishes what the workload
// stacks need as SSM parameters (see handoff.ts), never through cross-stack tokens.
import { Annotations, Fn, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { regionFacts } from "@gw/partition";
import { renderLiteLLMConfig, resourceNames, withAccountSuffix } from "@gw/config";
import type { LoadedSettings, ResourceNames } from "@gw/config/types";
import { configureGatewayStack } from "@gw/constructs/stack-setup";
import { LogsKmsKey } from "@gw/constructs/logs-key";
import { GatewayNetwork } from "@gw/constructs/network/network";
import { VpcEndpoints } from "@gw/constructs/network/endpoints";
import { PostgresDatabase } from "@gw/constructs/data/database";
import { RedisCache } from "@gw/constructs/data/cache";
import { GatewaySecrets, GLOBAL_BEDROCK_SECRET_KEYS } from "@gw/constructs/secrets";
import { AlbLogBucket, ConfigBucket } from "@gw/constructs/storage/buckets";
import { SecureBucket } from "@gw/constructs/storage/secure-bucket";
import { ContainerRepositories } from "@gw/constructs/ecr";
import { RegionalWebAcl } from "@gw/constructs/waf";
import { HandoffParameters, type HandoffKey, secretHandoffKey } from "@gw/constructs/handoff";

export interface BaseStackProps {
  readonly loaded: LoadedSettings;
  /** Directory of local state files when no state bucket is set. @default - the current working directory */
  readonly localStateDir?: string;
}

export class BaseStack extends TerraformStack {
  readonly names: ResourceNames;
  /** Synth-time caveats of this stack (also added as construct warnings). */
  readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: BaseStackProps) {
    super(scope, id);
    const { loaded } = props;
    const s = loaded.settings;
    const names = resourceNames(s);
    this.names = names;
    const warnings: string[] = [];
    configureGatewayStack(this, { loaded, stackName: id, random: true, localStateDir: props.localStateDir });
    const region = s.region;
    const caller = new DataAwsCallerIdentity(this, "caller");
    const logRetentionDays = s.observability.logRetentionDays;

    const logsKey = new LogsKmsKey(this, "LogsKey", { region, accountId: caller.accountId, aliasName: `${names.prefix}-logs` });

    const network = new GatewayNetwork(this, "Network", {
      region,
      namePrefix: names.prefix,
      existingVpcId: s.network.existingVpcId,
      cidr: s.network.vpcCidr,
      azCount: s.network.azCount,
      outboundDisabled: s.network.outboundDisabled,
      flowLogGroupName: names.logGroups.flowLogs,
      flowLogRetentionDays: logRetentionDays,
      logsKmsKeyArn: logsKey.keyArn,
      accountId: caller.accountId,
    });
    if (network.created || s.network.createVpcEndpoints) {
      new VpcEndpoints(this, "Endpoints", {
        region,
        namePrefix: names.prefix,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        subnetIds: network.privateSubnetIds,
        routeTableIds: network.privateRouteTableIds,
      });
    }

    const secrets = new GatewaySecrets(this, "Secrets", {
      names: names.secrets,
      providerKeys: s.providerKeys,
      secretValues: loaded.secrets,
      globalBedrockCredentials: regionFacts(region).bedrock.mode === "cross-partition",
    });
    if (secrets.globalBedrockCredentialsPending) {
      warnings.push(
        `Secret ${names.secrets.globalBedrockCredentials} was created without a value: put a JSON object with ` +
          `${GLOBAL_BEDROCK_SECRET_KEYS.join(" and ")} (a global-partition account's Bedrock access key) before deploying the workload.`,
      );
    }

    const database = new PostgresDatabase(this, "Database", {
      region,
      identifier: names.dbIdentifier,
      subnetGroupName: names.dbSubnetGroup,
      parameterGroupName: names.dbParameterGroup,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      instanceClass: s.database.instanceClass,
      allocatedStorageGb: s.database.allocatedStorageGb,
      multiAz: s.database.multiAz,
      deletionProtection: s.database.deletionProtection,
      skipFinalSnapshot: s.database.skipFinalSnapshot,
      backupRetentionDays: s.database.backupRetentionDays,
      logRetentionDays,
      logsKmsKeyArn: logsKey.keyArn,
      databaseUrlSecretName: names.secrets.databaseUrl,
      middlewareDatabaseUrlSecretName: names.secrets.middlewareDatabaseUrl,
    });

    const cache = new RedisCache(this, "Cache", {
      replicationGroupId: names.redisReplicationGroup,
      subnetGroupName: names.cacheSubnetGroup,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      nodeType: s.redis.nodeType,
      numCacheClusters: s.redis.numCacheClusters,
      automaticFailover: s.redis.automaticFailover,
      authSecretName: names.secrets.redisAuth,
    });

    const rendered = renderLiteLLMConfig(s);
    const config = new ConfigBucket(this, "Config", {
      bucketName: withAccountSuffix(names.configBucket, caller.accountId),
      configYaml: rendered.yaml,
      configHash: rendered.hash,
    });
    const litellmLogs = new SecureBucket(this, "LitellmLogs", {
      bucketName: withAccountSuffix(names.litellmLogBucket, caller.accountId),
      expirationDays: 365,
    });
    const albLogs = new AlbLogBucket(this, "AlbLogs", { region, bucketName: withAccountSuffix(names.albLogBucket, caller.accountId) });

    const ecr = new ContainerRepositories(this, "Repositories", { names: names.ecrRepositories });
    const waf = new RegionalWebAcl(this, "Waf", { region, name: names.wafRegional });

    let privateZoneId: string | undefined;
    if (s.dns.useRoute53 && !s.network.publicLoadBalancer && s.dns.hostedZoneName && (network.created || s.dns.createPrivateHostedZone)) {
      privateZoneId = new Route53Zone(this, "PrivateZone", {
        name: s.dns.hostedZoneName,
        comment: `Private zone of ${names.prefix}`,
        vpc: [{ vpcId: network.vpcId }],
      }).zoneId;
    }

    const secretArns: Partial<Record<HandoffKey, string>> = {
      [secretHandoffKey("masterKey")]: secrets.masterKey.arn,
      [secretHandoffKey("saltKey")]: secrets.saltKey.arn,
      [secretHandoffKey("providerKeys")]: secrets.providerKeys.arn,
      [secretHandoffKey("historyHashKey")]: secrets.historyHashKey.arn,
      [secretHandoffKey("databaseUrl")]: database.databaseUrlSecret.arn,
      [secretHandoffKey("middlewareDatabaseUrl")]: database.middlewareDatabaseUrlSecret.arn,
      [secretHandoffKey("redisAuth")]: cache.authSecret.arn,
      ...(secrets.globalBedrockCredentials
        ? { [secretHandoffKey("globalBedrockCredentials")]: secrets.globalBedrockCredentials.arn }
        : {}),
    };
    new HandoffParameters(this, "Handoff", {
      names,
      values: {
        "vpc-id": network.vpcId,
        "vpc-cidr": network.vpcCidr,
        "private-subnet-ids": Fn.join(",", network.privateSubnetIds),
        "public-subnet-ids": Fn.join(",", network.publicSubnetIds),
        "db-security-group-id": database.securityGroup.id,
        "redis-security-group-id": cache.securityGroup.id,
        "redis-endpoint": cache.endpoint,
        "redis-port": String(cache.port),
        "config-bucket": config.bucket.bucketName,
        "config-object-key": config.objectKey,
        "config-hash": rendered.hash,
        "litellm-log-bucket": litellmLogs.bucketName,
        "alb-log-bucket": albLogs.bucket.bucketName,
        "waf-regional-arn": waf.arn,
        "ecr-litellm-url": ecr.litellm.repositoryUrl,
        "ecr-middleware-url": ecr.middleware.repositoryUrl,
        "ecr-fake-llm-url": ecr.fakeLlm.repositoryUrl,
        "logs-kms-key-arn": logsKey.keyArn,
        ...(privateZoneId ? { "private-zone-id": privateZoneId } : {}),
        ...secretArns,
      },
    });

    for (const w of warnings) Annotations.of(this).addWarning(w);
    this.warnings = warnings;
  }
}
