import { describe, expect, it } from "vitest";
import { resources, single, synthConstructs } from "../testing";
import { ContainerTask } from "./container-task";
import { FargateService, type FargateServiceProps } from "./gateway-service";

const capacity = { min: 2, desired: 3, max: 6, cpuTargetPercent: 50, memoryTargetPercent: 40, requestsPerTarget: 800 };
const props: FargateServiceProps = {
  clusterName: "gw-cluster",
  serviceName: "gw-service",
  taskDefinitionArn: "task",
  subnetIds: ["s-1"],
  securityGroupIds: ["sg-1"],
  targetGroupArn: "tg",
  containerName: "middleware",
  containerPort: 3000,
  capacity,
  requestCountResourceLabel: "app/x/y/targetgroup/z/w",
};

describe("FargateService", () => {
  it("creates the service once with desired count, then leaves it to target tracking", () => {
    const tf = synthConstructs((scope) => new FargateService(scope, "svc", props));
    const service = single(tf, "aws_ecs_service");
    expect(service.desired_count).toBe(3);
    expect(service.lifecycle).toEqual({ ignore_changes: ["desired_count"] });
    expect(service.network_configuration.assign_public_ip).toBe(false);
    expect(single(tf, "aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(single(tf, "aws_appautoscaling_target")).toMatchObject({ min_capacity: 2, max_capacity: 6, resource_id: "service/gw-cluster/gw-service" });
    const policies = resources(tf, "aws_appautoscaling_policy").map((p) => p.target_tracking_scaling_policy_configuration);
    expect(policies.map((p) => [p.predefined_metric_specification.predefined_metric_type, p.target_value])).toEqual([
      ["ECSServiceAverageCPUUtilization", 50],
      ["ECSServiceAverageMemoryUtilization", 40],
      ["ALBRequestCountPerTarget", 800],
    ]);
    expect(policies[2]!.predefined_metric_specification.resource_label).toBe("app/x/y/targetgroup/z/w");
  });

  it("refuses min > desired", () => {
    expect(() => synthConstructs((scope) => new FargateService(scope, "svc", { ...props, capacity: { ...capacity, min: 4 } }))).toThrow(/capacity/);
  });
});

describe("ContainerTask", () => {
  const taskProps = {
    family: "f",
    roleNamePrefix: "gw",
    region: "us-east-1",
    accountId: "${data.aws_caller_identity.a.account_id}",
    containerDefinitions: [{ name: "c" }],
    logGroupNames: ["/gw/c"],
    logRetentionDays: 30,
    cpu: 512,
    memory: 1024,
    architecture: "x86_64" as const,
    repositoryNames: ["gw/c"],
  };

  it("creates log groups with retention and a task role without permissions unless given", () => {
    const tf = synthConstructs((scope) => new ContainerTask(scope, "t", taskProps));
    expect(single(tf, "aws_cloudwatch_log_group")).toMatchObject({ name: "/gw/c", retention_in_days: 30 });
    expect(resources(tf, "aws_iam_role_policy").map((p) => p.name)).toEqual(["pull-logs-secrets"]);
    expect(single(tf, "aws_ecs_task_definition").runtime_platform.cpu_architecture).toBe("X86_64");
  });

  it("validates the retention, naming the prop", () => {
    expect(() => synthConstructs((scope) => new ContainerTask(scope, "t", { ...taskProps, logRetentionDays: 31 }))).toThrow(/logRetentionDays/);
  });
});
