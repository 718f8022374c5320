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
import { DEFAULT_INTERFACE_ENDPOINT_SERVICES, WORKLOAD_ENDPOINT_SERVICES } from "@gw/constructs/network/endpoints";
import { SECRET_VARIABLE_NAMES } from "@gw/constructs/secret-inputs";
import { NO_SUBNETS } from "./base-stack";
import { configObjectKey } from "@gw/constructs/storage/buckets";
import { formatViolations, runPolicies } from "./policy/index";
import { dataSources, resources } from "@gw/constructs/testing";
import { REGION_MATRIX } from "./region-matrix";
import { TEST_STATE_DIR, synthApp } from "./test-support";

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
    expect(base.terraform.backend.local.path).toBe(`${TEST_STATE_DIR}/terraform.${s.deploymentName}-base.tfstate`);
  });

  it("creates a VPC across the configured AZs with NAT per AZ and encrypted flow logs", () => {
    expect(resources(base, "aws_vpc")).toEqual([expect.objectContaining({ cidr_block: s.network.vpcCidr })]);
    expect(resources(base, "aws_subnet")).toHaveLength(2 * s.network.azCount);
    expect(resources(base, "aws_nat_gateway")).toHaveLength(s.network.outboundDisabled ? 0 : s.network.azCount);
    const flowLogGroup = resources(base, "aws_cloudwatch_log_group").find((g) => g.name === names.logGroups.flowLogs);
    expect(flowLogGroup).toMatchObject({ retention_in_days: s.observability.logRetentionDays });
    expect(flowLogGroup!.kms_key_id).toMatch(/aws_kms_key/);
    const trust = resources(base, "aws_iam_role").map((r) => JSON.parse(r.assume_role_policy).Statement[0].Principal.Service);
    expect(trust).toContain(servicePrincipal("vpc-flow-logs", region));
  });

  it("creates endpoints only for services the region offers, with partition-aware names", () => {
    const offered = regionFacts(region).vpcEndpointServices;
    const serviceNames = resources(base, "aws_vpc_endpoint").map((e) => e.service_name).sort();
    const expected = [
      ...(offered.includes("s3") ? ["s3"] : []),
      ...DEFAULT_INTERFACE_ENDPOINT_SERVICES.filter((x) => offered.includes(x)),
    ].map((x) => vpcEndpointServiceName(x, region));
    expect(serviceNames).toEqual(expected.sort());
    expect(serviceNames.length).toBeGreaterThan(3);
  });

  it("runs PostgreSQL 16 encrypted with Multi-AZ, deletion protection and final snapshot from the settings", () => {
    const [db] = resources(base, "aws_db_instance");
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
    const monitoring = resources(base, "aws_iam_role_policy_attachment").map((a) => a.policy_arn);
    expect(monitoring).toContain(managedPolicyArn("service-role/AmazonRDSEnhancedMonitoringRole", region));
  });

  it("runs Redis with TLS, encryption at rest, AUTH and failover from the settings", () => {
    const [rg] = resources(base, "aws_elasticache_replication_group");
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

  it("names secrets by prefix (redeployable within the recovery window), global Bedrock only across partitions", () => {
    const secrets = resources(base, "aws_secretsmanager_secret");
    expect(secrets.every((x) => x.name === undefined && x.recovery_window_in_days === 7)).toBe(true);
    const expected = Object.entries(names.secrets)
      .filter(([logical]) => china || logical !== "globalBedrockCredentials")
      .map(([, n]) => `${n}-`)
      .sort();
    expect(secrets.map((x) => x.name_prefix).sort()).toEqual(expected);
    expect(expected.every((prefix) => prefix.startsWith(`${s.deploymentName}/`))).toBe(true);
  });

  it("declares the secret-value variables sensitive, with nothing required by default settings", () => {
    expect(Object.keys(base.variable).sort()).toEqual([SECRET_VARIABLE_NAMES.observabilityKeys, SECRET_VARIABLE_NAMES.providerKeys]);
    for (const v of Object.values(base.variable) as Record<string, unknown>[]) {
      expect(v).toMatchObject({ type: "map(string)", sensitive: true, default: {} });
      expect(v.validation).toBeUndefined();
    }
    const versions = resources(base, "aws_secretsmanager_secret_version").map((v) => v.secret_string);
    expect(versions).toContain("${jsonencode(merge(var.provider_keys, var.observability_keys))}");
  });

  it("warns when the global Bedrock credentials secret still needs its value", () => {
    const pending = warnings.base!.filter((w) => w.includes(names.secrets.globalBedrockCredentials));
    expect(pending).toHaveLength(china ? 1 : 0);
  });

  it("stores the rendered LiteLLM config under a key containing its hash", () => {
    const rendered = renderLiteLLMConfig(s);
    const [obj] = resources(base, "aws_s3_object");
    expect(obj.key).toBe(configObjectKey(rendered.hash));
    expect(obj.content).toBe(rendered.yaml);
  });

  it("lets the region's ALB log delivery principal write access logs", () => {
    const delivery = albLogDelivery(region);
    const principal = delivery.kind === "elb-account" ? { AWS: accountRootArn(delivery.accountId, region) } : { Service: delivery.principal };
    const statements = resources(base, "aws_s3_bucket_policy").flatMap((p) => JSON.parse(p.policy).Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Sid: "AlbAccessLogDelivery", Principal: principal }));
    expect(resources(base, "aws_s3_bucket")).toHaveLength(3);
  });

  it("manages immutable, scanned ECR repositories and a regional WAF with distinct metrics", () => {
    const repos = resources(base, "aws_ecr_repository");
    expect(repos.map((r) => r.name).sort()).toEqual(Object.values(names.ecrRepositories).sort());
    expect(repos.every((r) => r.image_tag_mutability === "IMMUTABLE" && r.image_scanning_configuration.scan_on_push)).toBe(true);
    const [waf] = resources(base, "aws_wafv2_web_acl");
    expect(waf).toMatchObject({ name: names.wafRegional, scope: "REGIONAL" });
    const metrics = waf.rule.map((r: { visibility_config: { metric_name: string } }) => r.visibility_config.metric_name);
    expect(new Set(metrics).size).toBe(metrics.length);
  });

  it("publishes the hand-off parameters (String, no secret values) under the SSM prefix", () => {
    const params = resources(base, "aws_ssm_parameter");
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
    const read = dataSources(eks, "aws_ssm_parameter").map((d) => d.name);
    expect(read).toContain(ssmParameterName(names, "private-subnet-ids"));
    const [role] = resources(eks, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal.Service).toBe(servicePrincipal("eks", region));
    expect(resources(eks, "aws_iam_role_policy_attachment")[0].policy_arn).toBe(managedPolicyArn("AmazonEKSClusterPolicy", region));
    const [cluster] = resources(eks, "aws_eks_cluster");
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
    expect(resources(base, "aws_vpc")).toHaveLength(0);
    expect(resources(base, "aws_vpc_endpoint")).toHaveLength(0);
    expect(dataSources(base, "aws_vpc")[0].id).toBe("vpc-0123456789abcdef0");
    const tiers = dataSources(base, "aws_subnets").map((d) => d.filter.find((f: { name: string }) => f.name === "tag:Tier").values[0]);
    expect(tiers.sort()).toEqual(["private", "public"]);
  });

  const tierOf = (d: Record<string, any>) => d.filter.find((f: { name: string }) => f.name === "tag:Tier").values[0] as string;

  it("fails the plan when an existing VPC lacks Tier-tagged subnets, instead of handing off an empty list", () => {
    const { stacks } = synthApp("us-east-1", { EXISTING_VPC_ID: "vpc-0123456789abcdef0" });
    const subnets = dataSources(stacks.base!, "aws_subnets");
    expect(subnets).toHaveLength(2);
    for (const d of subnets) {
      expect(d.lifecycle.postcondition).toEqual([
        {
          condition: "${length(self.ids) >= 2}",
          error_message: expect.stringMatching(new RegExp(`^VPC vpc-0123456789abcdef0 needs at least 2 subnets .*tagged Tier=${tierOf(d)}; tag them and plan again\\.$`)),
        },
      ]);
    }
    const param = resources(stacks.base!, "aws_ssm_parameter").find((p) => p.name.endsWith("/public-subnet-ids"));
    expect(param!.value).toMatch(/^\$\{join\(",", data\.aws_subnets\./);
  });

  it("requires no public subnets in an existing VPC behind an internal load balancer and hands off a placeholder", () => {
    const { stacks } = synthApp("us-east-1", { EXISTING_VPC_ID: "vpc-0123456789abcdef0", PUBLIC_LOAD_BALANCER: "false", USE_CLOUDFRONT: "false" });
    const subnets = dataSources(stacks.base!, "aws_subnets");
    expect(subnets.find((d) => tierOf(d) === "private")!.lifecycle.postcondition).toHaveLength(1);
    expect(subnets.find((d) => tierOf(d) === "public")!.lifecycle).toBeUndefined();
    const param = resources(stacks.base!, "aws_ssm_parameter").find((p) => p.name.endsWith("/public-subnet-ids"));
    expect(param!.value).toMatch(
      new RegExp(`^\\$\\{\\(length\\((data\\.aws_subnets\\.[\\w-]+)\\.ids\\) >= 1\\) \\? join\\(",", \\1\\.ids\\) : "${NO_SUBNETS}"\\}$`),
    );
  });

  // China rejects outbound-disabled mode in the settings (Bedrock is reached over the internet there).
  it.each(["us-east-1", "us-gov-west-1"])(
    "in outbound-disabled mode in %s has no NAT, an endpoint for every workload service offered and a warning naming the others",
    (region) => {
      const { stacks, warnings } = synthApp(region, { DISABLE_OUTBOUND_NETWORK_ACCESS: "true" });
      expect(resources(stacks.base!, "aws_nat_gateway")).toHaveLength(0);
      const created = new Set(resources(stacks.base!, "aws_vpc_endpoint").map((e) => e.service_name));
      const offered = regionFacts(region).vpcEndpointServices;
      const workload = Object.keys(WORKLOAD_ENDPOINT_SERVICES);
      for (const service of workload.filter((x) => offered.includes(x))) expect(created).toContain(vpcEndpointServiceName(service, region));
      const missing = workload.filter((x) => !offered.includes(x));
      const endpointWarnings = warnings.base!.filter((w) => w.includes("offers no VPC endpoint"));
      expect(endpointWarnings).toHaveLength(missing.length);
      for (const service of missing) expect(endpointWarnings.some((w) => w.includes(`endpoint for ${service},`))).toBe(true);
      // The middleware's managed prompts need bedrock-agent: an endpoint where offered, a warning elsewhere.
      if (offered.includes("bedrock-agent")) expect(created).toContain(vpcEndpointServiceName("bedrock-agent", region));
      else expect(endpointWarnings.join("\n")).toMatch(/no VPC endpoint for bedrock-agent, so the middleware's managed prompts/);
    },
  );

  it("warns about missing endpoints only in outbound-disabled mode", () => {
    expect(synthApp("us-gov-west-1").warnings.base!.filter((w) => w.includes("offers no VPC endpoint"))).toEqual([]);
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

  it("fills the global Bedrock secret in China from a required sensitive variable when the settings have credentials", () => {
    const { stacks, warnings } = synthApp("cn-north-1", {
      GLOBAL_BEDROCK_ACCESS_KEY_ID: `AKIA${"UNITTEST".padEnd(16, "X")}`,
      GLOBAL_BEDROCK_SECRET_ACCESS_KEY: "unit-test-secret-access-key",
    });
    const base = stacks.base!;
    const values = resources(base, "aws_secretsmanager_secret_version").map((v) => v.secret_string as string);
    expect(values).toContain(`\${jsonencode(var.${SECRET_VARIABLE_NAMES.globalBedrockCredentials})}`);
    const variable = base.variable[SECRET_VARIABLE_NAMES.globalBedrockCredentials];
    expect(variable).toMatchObject({ sensitive: true, nullable: false });
    expect(variable.default).toBeUndefined();
    expect(JSON.stringify(stacks)).not.toContain("unit-test-secret-access-key");
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
    const [zone] = resources(stacks.base!, "aws_route53_zone");
    expect(zone).toMatchObject({ name: "corp.internal", vpc: [{ vpc_id: expect.stringMatching(/^\$\{aws_vpc\./) }] });
    const param = resources(stacks.base!, "aws_ssm_parameter").find((p) => p.name.endsWith("/private-zone-id"));
    expect(param?.value).toMatch(/^\$\{aws_route53_zone\.[^}]+\.zone_id\}$/);
  });

  it("requires the provider and callback keys the settings enable in the sensitive variables, never their values", () => {
    const { stacks } = synthApp("us-east-1", {
      OPENAI_API_KEY: "sk-unit-test-openai-value",
      LANGFUSE_PUBLIC_KEY: "pk-lf-unit",
      LANGFUSE_SECRET_KEY: "sk-lf-unit-test-value",
    });
    const base = stacks.base!;
    expect(base.variable[SECRET_VARIABLE_NAMES.providerKeys].validation[0].condition).toContain('["OPENAI_API_KEY"]');
    expect(base.variable[SECRET_VARIABLE_NAMES.observabilityKeys].validation[0].condition).toContain('["LANGFUSE_SECRET_KEY"]');
    const secret = resources(base, "aws_secretsmanager_secret").find((x) => x.name_prefix.includes("provider-keys"));
    expect(secret!.description).toContain("LANGFUSE_SECRET_KEY, OPENAI_API_KEY");
    const text = JSON.stringify(stacks);
    expect(text).not.toContain("unit-test-openai-value");
    expect(text).not.toContain("sk-lf-unit-test-value");
  });
});
