// The `ecs` stack: the gateway (LiteLLM + middleware in one Fargate task) behind an ALB, WAF, and per settings
// CloudFront and Route 53. Everything it needs from `base` comes through the SSM hand-off, never cross-stack tokens.
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { FargateService } from "@gw/constructs/ecs/gateway-service";
import { GatewayTask } from "@gw/constructs/ecs/gateway-task";
import { planDistribution } from "@gw/constructs/edge/distribution-plan";
import { GatewayEdge } from "@gw/constructs/edge/gateway-edge";
import { albPatterns } from "@gw/constructs/edge/route-rules";
import { secretHandoffKey } from "@gw/constructs/handoff";
import { describeGatewayWorkload, type SecretLogicalName } from "@gw/constructs/workload/gateway-workload";
import * as middlewareContract from "@gw/middleware/routes";
import { Fn, TerraformOutput, Token } from "cdktf";
import type { Construct } from "constructs";
import { GatewayStack, type GatewayStackProps } from "./gateway-stack";

/** Postgres port of the base stack's database. */
export const DATABASE_PORT = 5432;

export type EcsStackProps = GatewayStackProps;

export class EcsStack extends GatewayStack {
  /** https URL clients use (a token). */
  readonly serviceUrl: string;

  constructor(scope: Construct, id: string, props: EcsStackProps) {
    super(scope, id, props);
    const s = this.settings;
    const names = this.names;
    const plan = planDistribution(s);
    const accountId = new DataAwsCallerIdentity(this, "account").accountId;
    const vpcId = this.handoff("vpc-id");

    const workload = describeGatewayWorkload({
      settings: s,
      middleware: middlewareContract,
      litellmRepositoryUrl: this.handoff("ecr-litellm-url"),
      middlewareRepositoryUrl: this.handoff("ecr-middleware-url"),
      configBucket: this.handoff("config-bucket"),
      configObjectKey: this.handoff("config-object-key"),
      configHash: this.handoff("config-hash"),
      redisHost: this.handoff("redis-endpoint"),
      redisPort: this.handoff("redis-port"),
      litellmLogBucket: this.handoff("litellm-log-bucket"),
    });
    const secretArns: Partial<Record<SecretLogicalName, string>> = {};
    for (const logical of workload.secretsUsed) secretArns[logical] = this.handoff(secretHandoffKey(logical));

    const task = new GatewayTask(this, "task", {
      namePrefix: names.prefix,
      region: s.region,
      accountId,
      workload,
      secretArns,
      logGroupNames: { litellm: names.logGroups.litellm, middleware: names.logGroups.middleware },
      logsKmsKeyArn: this.handoff("logs-kms-key-arn"),
      logRetentionDays: s.observability.logRetentionDays,
      cpu: s.ecs.cpu,
      memory: s.ecs.memory,
      architecture: s.architecture,
      repositoryNames: { litellm: names.ecrRepositories.litellm, middleware: names.ecrRepositories.middleware },
      configBucket: this.handoff("config-bucket"),
      logBucket: this.handoff("litellm-log-bucket"),
    });

    const edge = new GatewayEdge(this, "edge", {
      plan,
      region: s.region,
      namePrefix: names.prefix,
      loadBalancerName: names.alb,
      targetGroupName: names.targetGroups.middleware,
      tags: s.tags,
      vpcId,
      vpcCidr: this.handoff("vpc-cidr"),
      publicSubnetIds: Fn.split(",", this.handoff("public-subnet-ids")),
      privateSubnetIds: Fn.split(",", this.handoff("private-subnet-ids")),
      targetPort: workload.publicPort,
      healthCheckPath: middlewareContract.HEALTH_PATHS.readiness,
      routePatterns: albPatterns(middlewareContract.MIDDLEWARE_ROUTES),
      accessLogBucket: this.handoff("alb-log-bucket"),
      accountId,
      logsKmsKeyArn: this.handoff("logs-kms-key-arn"),
      logRetentionDays: s.observability.logRetentionDays,
      regionalWebAclArn: this.handoff("waf-regional-arn"),
      cloudFront: s.cloudFront,
      privateZoneId: plan.kind === "private-alb" && plan.zoneFromHandoff ? this.handoff("private-zone-id") : undefined,
    });

    const taskSg = this.taskSecurityGroup(vpcId, names.prefix);
    edge.loadBalancer.allowTargets(taskSg.id);

    const service = new FargateService(this, "service", {
      clusterName: names.cluster,
      serviceName: names.service,
      taskDefinitionArn: task.taskDefinition.arn,
      subnetIds: Fn.split(",", this.handoff("private-subnet-ids")),
      securityGroupIds: [taskSg.id],
      targetGroupArn: edge.loadBalancer.targetGroup.arn,
      containerName: workload.publicContainer,
      containerPort: workload.publicPort,
      capacity: s.capacity,
      requestCountResourceLabel: `${edge.loadBalancer.lb.arnSuffix}/${edge.loadBalancer.targetGroup.arnSuffix}`,
      dependsOn: [edge.loadBalancer.httpsListener],
      // LiteLLM downloads its config and migrates its schema before the middleware (which waits for it) starts.
      healthCheckGracePeriodSeconds: 180,
    });

    this.serviceUrl = edge.serviceUrl;
    new TerraformOutput(this, "service_url", { value: edge.serviceUrl, description: "URL clients use" });
    new TerraformOutput(this, "cluster_name", { value: service.cluster.name });
    new TerraformOutput(this, "service_name", { value: service.service.name });
    new TerraformOutput(this, "alb_dns_name", { value: edge.loadBalancer.lb.dnsName });
    if (edge.distribution) {
      new TerraformOutput(this, "cloudfront_distribution_id", { value: edge.distribution.distribution.id });
      new TerraformOutput(this, "cloudfront_domain_name", { value: edge.distribution.distribution.domainName });
    }
  }

  /**
   * Task security group: in from the ALB on the middleware port only (added by allowTargets), out on 443 (AWS APIs,
   * model providers) and to the database and Redis security groups, which in turn admit this group.
   */
  private taskSecurityGroup(vpcId: string, prefix: string): SecurityGroup {
    const sg = new SecurityGroup(this, "task-sg", {
      namePrefix: `${prefix}-task-`,
      description: "Gateway tasks: from the load balancer; to HTTPS, the database and Redis",
      vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupEgressRule(this, "task-out-https", {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "AWS APIs, ECR, model providers",
    });
    const stores: [string, string, number][] = [
      ["db", this.handoff("db-security-group-id"), DATABASE_PORT],
      ["redis", this.handoff("redis-security-group-id"), Token.asNumber(this.handoff("redis-port"))],
    ];
    for (const [name, storeSg, port] of stores) {
      new VpcSecurityGroupEgressRule(this, `task-out-${name}`, {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: storeSg,
        description: `To ${name}`,
      });
      new VpcSecurityGroupIngressRule(this, `${name}-in-from-task`, {
        securityGroupId: storeSg,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: sg.id,
        description: "From the gateway tasks",
      });
    }
    return sg;
  }
}
