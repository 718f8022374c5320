// Region-matrix synth tests of the base and eks stacks (each region synthesized once), plus policy rules over
// every stack of the app.
import { describe, expect, it } from "vitest";
import {
  accountRootArn,
  albLogDelivery,
  managedPolicyArn,
  partitionOf,
  regionFacts,
  servicePrincipal,
  vpcEndpointServiceName,
} from "@gw/partition";
import { renderLiteLLMConfig, resourceNames } from "@gw/config";
import { HANDOFF_KEYS, ssmParameterName } from "@gw/constructs/handoff";
import { DEFAULT_INTERFACE_ENDPOINT_SERVICES } from "@gw/constructs/network/endpoints";
import { configObjectKey } from "@gw/constructs/storage/buckets";
import { formatViolations, runPolicies } from "./policy/index";
import { REGION_MATRIX, dataOf, resourcesOf, synthApp } from "./test-support";

const matrix = REGION_MATRIX.map((region) => ({ region, ...synthApp(region) }));

describe.each(matrix)("base stack in $region", ({ region, loaded, stacks, warnings }) => {
  const s = loaded.settings;
  const names = resourceNames(s);
  const base = stacks.base!;
  const china = regionFacts(region).bedrock.mode === "cross-partition";

  it("configures the AWS provider for the region with the settings tags and local state", () => {
    expect(base.provider.aws[0].region).toBe(region);
    expect(base.provider.aws[0].default_tags[0].tags).toEqual(s.tags);
    expect(Object.keys(s.tags).length).toBeGreaterThan(0);
    expect(base.terraform.backend.local.path).toBe(`/tmp/gw-state/terraform.${s.deploymentName}-base.tfstate`);
  });

  it("creates a VPC across the configured AZs with NAT per AZ and encrypted flow logs", () => {
    expect(resourcesOf(base, "aws_vpc")).toEqual([expect.objectContaining({ cidr_block: s.network.vpcCidr })]);
    expect(resourcesOf(base, "aws_subnet")).toHaveLength(2 * s.network.azCount);
    expect(resourcesOf(base, "aws_nat_gateway")).toHaveLength(s.network.outboundDisabled ? 0 : s.network.azCount);
    const flowLogGroup = resourcesOf(base, "aws_cloudwatch_log_group").find((g) => g.name === names.logGroups.flowLogs);
    expect(flowLogGroup).toMatchObject({ retention_in_days: s.observability.logRetentionDays });
    expect(flowLogGroup!.kms_key_id).toMatch(/aws_kms_key/);
    const trust = resourcesOf(base, "aws_iam_role").map((r) => JSON.parse(r.assume_role_policy).Statement[0].Principal.Service);
    expect(trust).toContain(servicePrincipal("vpc-flow-logs", region));
  });

  it("creates endpoints only for services the region offers, with partition-aware names", () => {
    const offered = regionFacts(region).vpcEndpointServices;
    const serviceNames = resourcesOf(base, "aws_vpc_endpoint").map((e) => e.service_name).sort();
    const expected = [
      ...(offered.includes("s3") ? ["s3"] : []),
      ...DEFAULT_INTERFACE_ENDPOINT_SERVICES.filter((x) => offered.includes(x)),
    ].map((x) => vpcEndpointServiceName(x, region));
    expect(serviceNames).toEqual(expected.sort());
    expect(serviceNames.length).toBeGreaterThan(3);
  });

  it("runs PostgreSQL 16 encrypted with Multi-AZ, deletion protection and final snapshot from the settings", () => {
    const [db] = resourcesOf(base, "aws_db_instance");
    expect(db).toMatchObject({
      identifier: names.dbIdentifier,
      engine: "postgres",
      engine_version: "16",
      storage_encrypted: true,
      multi_az: s.database.multiAz,
      deletion_protection: s.database.deletionProtection,
      skip_final_snapshot: s.database.skipFinalSnapshot,
      backup_retention_period: s.database.backupRetentionDays,
      instance_class: s.database.instanceClass,
      publicly_accessible: false,
    });
    const monitoring = resourcesOf(base, "aws_iam_role_policy_attachment").map((a) => a.policy_arn);
    expect(monitoring).toContain(managedPolicyArn("service-role/AmazonRDSEnhancedMonitoringRole", region));
  });

  it("runs Redis with TLS, encryption at rest, AUTH and failover from the settings", () => {
    const [rg] = resourcesOf(base, "aws_elasticache_replication_group");
    expect(rg).toMatchObject({
      replication_group_id: names.redisReplicationGroup,
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
      at_rest_encryption_enabled: "true",
      num_cache_clusters: s.redis.numCacheClusters,
      automatic_failover_enabled: s.redis.automaticFailover,
    });
    expect(rg.auth_token).toMatch(/^\$\{random_password\./);
  });

  it("creates the named secrets, the global Bedrock one only where Bedrock is reached across partitions", () => {
    const secretNames = resourcesOf(base, "aws_secretsmanager_secret").map((x) => x.name).sort();
    const expected = Object.entries(names.secrets)
      .filter(([logical]) => china || logical !== "globalBedrockCredentials")
      .map(([, n]) => n)
      .sort();
    expect(secretNames).toEqual(expected);
  });

  it("warns when the global Bedrock credentials secret still needs its value", () => {
    const pending = warnings.base!.filter((w) => w.includes(names.secrets.globalBedrockCredentials));
    expect(pending).toHaveLength(china ? 1 : 0);
  });

  it("stores the rendered LiteLLM config under a key containing its hash", () => {
    const rendered = renderLiteLLMConfig(s);
    const [obj] = resourcesOf(base, "aws_s3_object");
    expect(obj.key).toBe(configObjectKey(rendered.hash));
    expect(obj.content).toBe(rendered.yaml);
  });

  it("lets the region's ALB log delivery principal write access logs", () => {
    const delivery = albLogDelivery(region);
    const principal = delivery.kind === "elb-account" ? { AWS: accountRootArn(delivery.accountId, region) } : { Service: delivery.principal };
    const statements = resourcesOf(base, "aws_s3_bucket_policy").flatMap((p) => JSON.parse(p.policy).Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Sid: "AlbAccessLogDelivery", Principal: principal }));
    expect(resourcesOf(base, "aws_s3_bucket")).toHaveLength(3);
  });

  it("manages immutable, scanned ECR repositories and a regional WAF with distinct metrics", () => {
    const repos = resourcesOf(base, "aws_ecr_repository");
    expect(repos.map((r) => r.name).sort()).toEqual(Object.values(names.ecrRepositories).sort());
    expect(repos.every((r) => r.image_tag_mutability === "IMMUTABLE" && r.image_scanning_configuration.scan_on_push)).toBe(true);
    const [waf] = resourcesOf(base, "aws_wafv2_web_acl");
    expect(waf).toMatchObject({ name: names.wafRegional, scope: "REGIONAL" });
    const metrics = waf.rule.map((r: { visibility_config: { metric_name: string } }) => r.visibility_config.metric_name);
    expect(new Set(metrics).size).toBe(metrics.length);
  });

  it("publishes the hand-off parameters (String, no secret values) under the SSM prefix", () => {
    const params = resourcesOf(base, "aws_ssm_parameter");
    const paramNames = params.map((p) => p.name);
    const plain = HANDOFF_KEYS.filter((k) => k !== "private-zone-id");
    for (const key of plain) expect(paramNames).toContain(ssmParameterName(names, key));
    for (const logical of Object.keys(names.secrets)) {
      const name = ssmParameterName(names, `secret-arn/${logical as keyof typeof names.secrets}`);
      if (china || logical !== "globalBedrockCredentials") expect(paramNames).toContain(name);
      else expect(paramNames).not.toContain(name);
    }
    expect(params.every((p) => p.type === "String")).toBe(true);
    const secretArnParams = params.filter((p) => p.name.includes("/secret-arn/"));
    expect(secretArnParams.every((p) => /^\$\{aws_secretsmanager_secret\.[^}]+\.arn\}$/.test(p.value))).toBe(true);
    expect(base.output).toBeUndefined();
  });

  it("gives the eks stack the hand-off values and partition-correct IAM", () => {
    const eks = stacks.eks!;
    const read = dataOf(eks, "aws_ssm_parameter").map((d) => d.name);
    expect(read).toContain(ssmParameterName(names, "private-subnet-ids"));
    const [role] = resourcesOf(eks, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal.Service).toBe(servicePrincipal("eks", region));
    expect(resourcesOf(eks, "aws_iam_role_policy_attachment")[0].policy_arn).toBe(managedPolicyArn("AmazonEKSClusterPolicy", region));
    const [cluster] = resourcesOf(eks, "aws_eks_cluster");
    expect(cluster).toMatchObject({ name: names.cluster, version: s.eks.clusterVersion });
    expect(cluster.vpc_config.subnet_ids).toMatch(/split\(",", data\.aws_ssm_parameter\.handoff-private-subnet-ids\.value\)/);
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(partitionOf(region)).toBe(s.partition);
  });

  it("passes every policy rule in every stack", () => {
    expect(formatViolations(runPolicies(stacks))).toBe("");
  });
});

describe("base stack variants", () => {
  it("uses an existing VPC through the Tier tag and creates no VPC", () => {
    const { stacks } = synthApp("us-east-1", { EXISTING_VPC_ID: "vpc-0123456789abcdef0", CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC: "false" });
    const base = stacks.base!;
    expect(resourcesOf(base, "aws_vpc")).toHaveLength(0);
    expect(resourcesOf(base, "aws_vpc_endpoint")).toHaveLength(0);
    expect(dataOf(base, "aws_vpc")[0].id).toBe("vpc-0123456789abcdef0");
    const tiers = dataOf(base, "aws_subnets").map((d) => d.filter.find((f: { name: string }) => f.name === "tag:Tier").values[0]);
    expect(tiers.sort()).toEqual(["private", "public"]);
  });

  it("has no NAT gateway in outbound-disabled mode and keeps the endpoints", () => {
    const { stacks } = synthApp("us-east-1", { DISABLE_OUTBOUND_NETWORK_ACCESS: "true" });
    expect(resourcesOf(stacks.base!, "aws_nat_gateway")).toHaveLength(0);
    expect(resourcesOf(stacks.base!, "aws_vpc_endpoint").length).toBeGreaterThan(3);
  });

  it("stores state in S3 with native locking per deployment and stack when a state bucket is set", () => {
    const { stacks, loaded } = synthApp("cn-north-1", { TERRAFORM_S3_BUCKET_NAME: "my-state-bucket" });
    for (const [name, tf] of Object.entries(stacks)) {
      expect(tf.terraform.backend.s3).toEqual({
        bucket: "my-state-bucket",
        key: `${loaded.settings.deploymentName}/${name}.tfstate`,
        region: "cn-north-1",
        encrypt: true,
        use_lockfile: true,
      });
    }
  });

  it("fills the global Bedrock secret in China when the credentials are given", () => {
    const { stacks, warnings } = synthApp("cn-north-1", {
      GLOBAL_BEDROCK_ACCESS_KEY_ID: `AKIA${"UNITTEST".padEnd(16, "X")}`,
      GLOBAL_BEDROCK_SECRET_ACCESS_KEY: "unit-test-secret-access-key",
    });
    const values = resourcesOf(stacks.base!, "aws_secretsmanager_secret_version").map((v) => v.secret_string as string);
    expect(values.filter((v) => v.includes("unit-test-secret-access-key"))).toHaveLength(1);
    expect(warnings.base).toEqual([]);
  });

  it("creates a private zone for a private load balancer with Route 53 and hands off its id", () => {
    const { stacks } = synthApp("us-east-1", {
      USE_ROUTE53: "true",
      PUBLIC_LOAD_BALANCER: "false",
      HOSTED_ZONE_NAME: "corp.internal",
      RECORD_NAME: "gateway",
      USE_CLOUDFRONT: "false",
    });
    const [zone] = resourcesOf(stacks.base!, "aws_route53_zone");
    expect(zone).toMatchObject({ name: "corp.internal", vpc: [{ vpc_id: expect.stringMatching(/^\$\{aws_vpc\./) }] });
    const param = resourcesOf(stacks.base!, "aws_ssm_parameter").find((p) => p.name.endsWith("/private-zone-id"));
    expect(param?.value).toMatch(/^\$\{aws_route53_zone\.[^}]+\.zone_id\}$/);
  });

  it("puts provider keys into the provider-keys secret only", () => {
    const { stacks } = synthApp("us-east-1", { OPENAI_API_KEY: "sk-unit-test-openai-value" });
    const holders = Object.entries(stacks).flatMap(([stack, tf]) =>
      Object.entries(tf.resource ?? {}).flatMap(([type, items]) =>
        Object.entries(items as Record<string, unknown>)
          .filter(([, cfg]) => JSON.stringify(cfg).includes("sk-unit-test-openai-value"))
          .map(([name]) => `${stack}:${type}.${name}`),
      ),
    );
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatch(/^base:aws_secretsmanager_secret_version\./);
  });
});
