// The base stack: network, data stores, secrets, buckets, registries and WAF. It publishes what the workload
// stacks need as SSM parameters (see handoff.ts), never through cross-stack tokens.
import { Annotations, Fn, Op } from "cdktf";
import type { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { regionFacts } from "@gw/partition";
import { renderLiteLLMConfig, withAccountSuffix } from "@gw/config";
import { LogsKmsKey } from "@gw/constructs/logs-key";
import { GatewayNetwork } from "@gw/constructs/network/network";
import { VpcEndpoints, WORKLOAD_ENDPOINT_SERVICES, workloadServicesWithoutEndpoint } from "@gw/constructs/network/endpoints";
import { PostgresDatabase } from "@gw/constructs/data/database";
import { RedisCache } from "@gw/constructs/data/cache";
import { callbackSecretKeys, GatewaySecrets, GLOBAL_BEDROCK_SECRET_KEYS } from "@gw/constructs/secrets";
import { SECRET_VARIABLE_NAMES, SECRET_VARIABLES_COMMAND, SecretInputs } from "@gw/constructs/secret-inputs";
import { AlbLogBucket, ConfigBucket } from "@gw/constructs/storage/buckets";
import { SecureBucket } from "@gw/constructs/storage/secure-bucket";
import { ContainerRepositories } from "@gw/constructs/ecr";
import { WebAcl } from "@gw/constructs/waf";
import { HandoffParameters, type HandoffKey, secretHandoffKey } from "@gw/constructs/handoff";
import { GatewayStack, type GatewayStackProps } from "./gateway-stack";

/** Value of the public-subnet-ids hand-off when an existing VPC has no Tier=public subnet. */
export const NO_SUBNETS = "none";

export type BaseStackProps = GatewayStackProps;

export class BaseStack extends GatewayStack {
  /** Synth-time caveats of this stack (also added as construct warnings). */
  readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: BaseStackProps) {
    super(scope, id, props, { random: true });
    const { loaded } = props;
    const s = this.settings;
    const names = this.names;
    const warnings: string[] = [];
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
      requirePublicSubnets: s.network.publicLoadBalancer,
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
    if (s.network.outboundDisabled) {
      // Without egress, a service the region offers no endpoint for is unreachable from the tasks.
      for (const service of workloadServicesWithoutEndpoint(region)) {
        warnings.push(
          `DISABLE_OUTBOUND_NETWORK_ACCESS=true: ${region} offers no VPC endpoint for ${service}, so ${WORKLOAD_ENDPOINT_SERVICES[service]} cannot work without outbound access.`,
        );
      }
    }

    // Settings decide which secret keys exist; their values arrive at plan time through sensitive variables, so
    // they are never part of the synthesized JSON (see stacks/README.md, "Secret values").
    const crossPartitionBedrock = regionFacts(region).bedrock.mode === "cross-partition";
    const hasGlobalCredentials = GLOBAL_BEDROCK_SECRET_KEYS.every((k) => k in loaded.secrets);
    const inputs = new SecretInputs(this, "SecretInputs", {
      providerKeys: s.providerKeys,
      observabilityKeys: callbackSecretKeys(s.observability.callbacks),
      globalBedrockCredentialKeys: crossPartitionBedrock && hasGlobalCredentials ? GLOBAL_BEDROCK_SECRET_KEYS : undefined,
    });
    const secrets = new GatewaySecrets(this, "Secrets", {
      names: names.secrets,
      providerKeyNames: inputs.providerKeysJsonKeys,
      providerKeysJson: inputs.providerKeysJson,
      globalBedrockCredentials: crossPartitionBedrock,
      globalBedrockCredentialsJson: inputs.globalBedrockCredentialsJson,
    });
    if (secrets.globalBedrockCredentialsPending) {
      warnings.push(
        `Secret ${names.secrets.globalBedrockCredentials}-* was created without a value: set ${GLOBAL_BEDROCK_SECRET_KEYS.join(" and ")} ` +
          `(a global-partition account's Bedrock access key) and supply them as TF_VAR_${SECRET_VARIABLE_NAMES.globalBedrockCredentials} ` +
          `(${SECRET_VARIABLES_COMMAND}), or put that JSON object into the secret, before deploying the workload.`,
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
      databaseUrlSecretNamePrefix: names.secrets.databaseUrl,
      middlewareDatabaseUrlSecretNamePrefix: names.secrets.middlewareDatabaseUrl,
    });

    const cache = new RedisCache(this, "Cache", {
      replicationGroupId: names.redisReplicationGroup,
      subnetGroupName: names.cacheSubnetGroup,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      nodeType: s.redis.nodeType,
      numCacheClusters: s.redis.numCacheClusters,
      automaticFailover: s.redis.automaticFailover,
      authSecretNamePrefix: names.secrets.redisAuth,
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
    const waf = new WebAcl(this, "Waf", {
      region,
      name: names.wafRegional,
      scope: "REGIONAL",
      logRetentionDays,
      logsKmsKeyArn: logsKey.keyArn,
    });

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
      [secretHandoffKey("uiPassword")]: secrets.uiPassword.arn,
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
        // SSM rejects an empty value: an existing VPC without public subnets (allowed with an internal load
        // balancer) hands off "none".
        "public-subnet-ids": network.created || s.network.publicLoadBalancer
          ? Fn.join(",", network.publicSubnetIds)
          : Fn.conditional(Op.gte(Fn.lengthOf(network.publicSubnetIds), 1), Fn.join(",", network.publicSubnetIds), NO_SUBNETS),
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
