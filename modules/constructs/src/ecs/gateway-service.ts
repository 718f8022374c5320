import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { CapacitySettings } from "@gw/config/types";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

export interface FargateServiceProps {
  /** Cluster name (ResourceNames.cluster). */
  readonly clusterName: string;
  /** Service name (ResourceNames.service). */
  readonly serviceName: string;
  readonly taskDefinitionArn: string;
  /** Subnets for the tasks (private); no public IPs are assigned. */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Load balancer target group and the container/port it targets. */
  readonly targetGroupArn: string;
  readonly containerName: string;
  readonly containerPort: number;
  /** Min/desired/max and target-tracking targets. */
  readonly capacity: CapacitySettings;
  /** `<alb arn_suffix>/<target group arn_suffix>` for ALBRequestCountPerTarget scaling. */
  readonly requestCountResourceLabel: string;
  /** Resources the service must wait for (the listener that attaches the target group to the ALB). */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds ALB health failures are ignored after a task starts. Default 120. */
  readonly healthCheckGracePeriodSeconds?: number;
}

/**
 * ECS cluster (Container Insights), Fargate service with the deployment circuit breaker and rollback, and target
 * tracking on CPU, memory and ALB requests per target. Terraform sets desired_count only at creation; afterwards
 * Application Auto Scaling owns it (lifecycle ignore_changes), so applies never fight autoscaling.
 */
export class FargateService extends Construct {
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  readonly scalableTarget: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const c = props.capacity;
    if (!(c.min <= c.desired && c.desired <= c.max)) {
      throw new Error(`capacity: need min <= desired <= max, got ${c.min}/${c.desired}/${c.max}`);
    }
    this.cluster = new EcsCluster(this, "cluster", {
      name: props.clusterName,
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
    this.service = new EcsService(this, "service", {
      name: props.serviceName,
      cluster: this.cluster.arn,
      taskDefinition: props.taskDefinitionArn,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      desiredCount: c.desired,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 120,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: props.securityGroupIds,
        assignPublicIp: false,
      },
      loadBalancer: [
        { targetGroupArn: props.targetGroupArn, containerName: props.containerName, containerPort: props.containerPort },
      ],
      lifecycle: { ignoreChanges: ["desired_count"] },
      dependsOn: props.dependsOn,
    });

    const resourceId = `service/${props.clusterName}/${props.serviceName}`;
    this.scalableTarget = new AppautoscalingTarget(this, "scaling-target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId,
      minCapacity: c.min,
      maxCapacity: c.max,
      dependsOn: [this.service],
    });
    const track = (name: string, metric: string, target: number, resourceLabel?: string) =>
      new AppautoscalingPolicy(this, `${name}-scaling`, {
        name: `${props.serviceName}-${name}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: this.scalableTarget.serviceNamespace,
        scalableDimension: this.scalableTarget.scalableDimension,
        resourceId: this.scalableTarget.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: target,
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
          predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
        },
      });
    track("cpu", "ECSServiceAverageCPUUtilization", c.cpuTargetPercent);
    track("memory", "ECSServiceAverageMemoryUtilization", c.memoryTargetPercent);
    track("requests", "ALBRequestCountPerTarget", c.requestsPerTarget, props.requestCountResourceLabel);
  }
}
