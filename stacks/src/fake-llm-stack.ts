// The optional `fake-llm` stack: services/fake-llm on ECS Fargate in the base VPC behind its own load balancer, as
// an upstream for load tests in AWS (point a LiteLLM model at https://<record>/v1 or /model/...). Its certificate
// and DNS come from the FAKE_LLM_LOAD_TESTING_ENDPOINT_* settings (settings.auxiliary); the knobs that only this
// stack uses (image tag, count, size, exposure, fake latencies) are read from the environment by
// fakeLlmOptionsFromEnv(), because they are not deployment settings of the gateway.
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { FargateService } from "@gw/constructs/ecs/gateway-service";
import { ContainerTask } from "@gw/constructs/ecs/container-task";
import { LoadBalancerCertificate } from "@gw/constructs/edge/certificate";
import { AliasRecords, lookupHostedZone } from "@gw/constructs/edge/dns";
import { GatewayLoadBalancer } from "@gw/constructs/edge/load-balancer";
import { imageReference } from "@gw/constructs/workload/image";
import { Fn, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { GatewayStack, type GatewayStackProps } from "./gateway-stack";

import { FAKE_LLM_CONTAINER_PORT, FAKE_LLM_ENV, FAKE_LLM_HEALTH_PATH } from "@gw/fake-llm/constants";

/** Port the fake-llm container listens on. */
export const FAKE_LLM_PORT = FAKE_LLM_CONTAINER_PORT;
export { FAKE_LLM_HEALTH_PATH };

export interface FakeLlmStackOptions {
  /** FAKE_LLM_IMAGE_TAG: immutable tag in the fake-llm ECR repository. Default "0.1.0". */
  readonly imageTag: string;
  /** FAKE_LLM_IMAGE_DIGEST: sha256 digest; wins over the tag. Default none. */
  readonly imageDigest?: string;
  /** FAKE_LLM_DESIRED_COUNT: number of tasks (fixed, no autoscaling: load tests want a known upstream). Default 2. */
  readonly desiredCount: number;
  /** FAKE_LLM_CPU / FAKE_LLM_MEMORY: Fargate size. Default 1024 / 2048. */
  readonly cpu: number;
  readonly memory: number;
  /** FAKE_LLM_PUBLIC_LOAD_BALANCER: internet-facing load balancer. Default false (reachable inside the VPC only). */
  readonly publicLoadBalancer: boolean;
  /** FAKE_LLM_LATENCY_MS, FAKE_LLM_TTFT_MS, FAKE_LLM_TOKENS_PER_SECOND: passed to the container when set. */
  readonly behaviour: Readonly<Record<string, string>>;
}

const BEHAVIOUR_VARIABLES = ["FAKE_LLM_LATENCY_MS", "FAKE_LLM_LATENCY_MS_MAX", "FAKE_LLM_TTFT_MS", "FAKE_LLM_TOKENS_PER_SECOND", "FAKE_LLM_RESPONSE_TOKENS", "FAKE_LLM_ERROR_RATE"];

/** Reads the stack's own knobs; throws listing every invalid one. */
export function fakeLlmOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): FakeLlmStackOptions {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name}: "${raw}" must be an integer from ${min} to ${max}`);
    return n;
  };
  const publicRaw = (env.FAKE_LLM_PUBLIC_LOAD_BALANCER ?? "").trim().toLowerCase();
  if (publicRaw !== "" && !["true", "false"].includes(publicRaw)) problems.push(`FAKE_LLM_PUBLIC_LOAD_BALANCER: "${publicRaw}" must be true or false`);
  const behaviour: Record<string, string> = {};
  for (const name of BEHAVIOUR_VARIABLES) {
    const value = env[name]?.trim();
    if (value) behaviour[name] = value;
  }
  const options: FakeLlmStackOptions = {
    imageTag: env.FAKE_LLM_IMAGE_TAG?.trim() || "0.1.0",
    imageDigest: env.FAKE_LLM_IMAGE_DIGEST?.trim() || undefined,
    desiredCount: int("FAKE_LLM_DESIRED_COUNT", 2, 1, 50),
    cpu: int("FAKE_LLM_CPU", 1024, 256, 16384),
    memory: int("FAKE_LLM_MEMORY", 2048, 512, 122880),
    publicLoadBalancer: publicRaw === "true",
    behaviour,
  };
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return options;
}

export interface FakeLlmStackProps extends GatewayStackProps {
  /** The stack's own knobs. Default: fakeLlmOptionsFromEnv(process.env). */
  readonly options?: FakeLlmStackOptions;
}

/** `<record>.<zone>` unless the record is already a name inside the zone. */
export function fakeLlmFqdn(record: string, zone: string): string {
  return record === zone || record.endsWith(`.${zone}`) ? record : `${record}.${zone}`;
}

export class FakeLlmStack extends GatewayStack {
  constructor(scope: Construct, id: string, props: FakeLlmStackProps) {
    super(scope, id, props);
    const s = this.settings;
    const options = props.options ?? fakeLlmOptionsFromEnv();
    const names = this.names;
    const prefix = `${names.prefix}-fake-llm`;
    const accountId = new DataAwsCallerIdentity(this, "account").accountId;
    const vpcId = this.handoff("vpc-id");
    const aux = s.auxiliary ?? {};
    const zoneName = aux.fakeLlmHostedZoneName;
    const fqdn = zoneName && aux.fakeLlmRecordName ? fakeLlmFqdn(aux.fakeLlmRecordName, zoneName) : undefined;

    const logGroup = `/${names.prefix}/fake-llm`;
    const image = imageReference({
      repositoryUrl: this.handoff("ecr-fake-llm-url"),
      tag: options.imageTag,
      digest: options.imageDigest,
      tagSetting: "FAKE_LLM_IMAGE_TAG",
      digestSetting: "FAKE_LLM_IMAGE_DIGEST",
    });
    const task = new ContainerTask(this, "task", {
      family: prefix,
      roleNamePrefix: prefix,
      region: s.region,
      accountId,
      containerDefinitions: [
        {
          name: "fake-llm",
          image,
          essential: true,
          portMappings: [{ containerPort: FAKE_LLM_PORT, protocol: "tcp" }],
          environment: Object.entries({
            [FAKE_LLM_ENV.host]: "0.0.0.0",
            [FAKE_LLM_ENV.port]: String(FAKE_LLM_PORT),
            [FAKE_LLM_ENV.region]: s.region,
            // A load-test upstream: the gateway's LiteLLM calls it with whatever provider key it holds, and no key
            // value belongs in a task definition, so the fake accepts any `sk-` key instead of a registered list.
            [FAKE_LLM_ENV.acceptAnyKey]: "true",
            ...options.behaviour,
          }).map(([name, value]) => ({ name, value })),
          healthCheck: {
            command: ["CMD", "node", "-e", `fetch('http://127.0.0.1:${FAKE_LLM_PORT}${FAKE_LLM_HEALTH_PATH}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
            interval: 15,
            timeout: 5,
            retries: 3,
            startPeriod: 15,
          },
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroup, "awslogs-region": s.region, "awslogs-stream-prefix": "fake-llm" },
          },
        },
      ],
      logGroupNames: [logGroup],
      logRetentionDays: s.observability.logRetentionDays,
      logsKmsKeyArn: this.handoff("logs-kms-key-arn"),
      cpu: options.cpu,
      memory: options.memory,
      architecture: s.architecture,
      repositoryNames: [names.ecrRepositories.fakeLlm],
    });

    const zone = zoneName && fqdn ? lookupHostedZone(this, "zone", { zoneName, privateZone: !options.publicLoadBalancer, vpcId }) : undefined;
    const certificate = new LoadBalancerCertificate(this, "certificate", {
      certificateArn: aux.fakeLlmCertificateArn,
      setting: "FAKE_LLM_LOAD_TESTING_ENDPOINT_CERTIFICATE_ARN",
      commonName: fqdn ?? "fake-llm.internal",
      // ACM validates through public zones only.
      dnsValidationZoneId: options.publicLoadBalancer ? zone?.zoneId : undefined,
    });
    const lb = new GatewayLoadBalancer(this, "alb", {
      baseName: prefix,
      internal: !options.publicLoadBalancer,
      vpcId,
      subnetIds: Fn.split(",", this.handoff(options.publicLoadBalancer ? "public-subnet-ids" : "private-subnet-ids")),
      certificateArn: certificate.certificateArn,
      ingress: { kind: "cidr", ipv4: [options.publicLoadBalancer ? "0.0.0.0/0" : this.handoff("vpc-cidr")] },
      targetPort: FAKE_LLM_PORT,
      healthCheckPath: FAKE_LLM_HEALTH_PATH,
      // Counters, request logs and fault injection stay private to the tasks.
      blockedPatterns: ["/__admin/*"],
      accessLogBucket: this.handoff("alb-log-bucket"),
      accessLogPrefix: prefix,
    });

    const taskSg = new SecurityGroup(this, "task-sg", {
      namePrefix: `${prefix}-task-`,
      description: "fake-llm tasks: from their load balancer; out to HTTPS (ECR, logs)",
      vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupEgressRule(this, "task-out-https", {
      securityGroupId: taskSg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "ECR, CloudWatch Logs",
    });
    lb.allowTargets(taskSg.id);

    const count = options.desiredCount;
    const service = new FargateService(this, "service", {
      clusterName: `${prefix}-cluster`,
      serviceName: prefix,
      taskDefinitionArn: task.taskDefinition.arn,
      subnetIds: Fn.split(",", this.handoff("private-subnet-ids")),
      securityGroupIds: [taskSg.id],
      targetGroupArn: lb.targetGroup.arn,
      containerName: "fake-llm",
      containerPort: FAKE_LLM_PORT,
      // A fixed fleet: min = desired = max, so load tests measure the gateway, not a scaling upstream.
      capacity: { min: count, desired: count, max: count, cpuTargetPercent: 70, memoryTargetPercent: 70, requestsPerTarget: 100_000 },
      requestCountResourceLabel: `${lb.lb.arnSuffix}/${lb.targetGroup.arnSuffix}`,
      dependsOn: [lb.httpsListener],
      healthCheckGracePeriodSeconds: 30,
    });

    let url = `https://${lb.lb.dnsName}`;
    if (zone && fqdn) {
      new AliasRecords(this, "record", { zoneId: zone.zoneId, name: fqdn, target: { dnsName: lb.lb.dnsName, zoneId: lb.lb.zoneId } });
      url = `https://${fqdn}`;
    }
    new TerraformOutput(this, "fake_llm_url", { value: url, description: "Base URL of the fake LLM upstream" });
    new TerraformOutput(this, "fake_llm_cluster_name", { value: service.cluster.name });
    new TerraformOutput(this, "fake_llm_service_name", { value: service.service.name });
  }
}
