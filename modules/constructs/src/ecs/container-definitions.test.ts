import { describe, expect, it } from "vitest";
import type { ContainerDescription } from "../workload/gateway-workload";
import { ecsContainerDefinition, secretValueFrom } from "./container-definitions";

const container: ContainerDescription = {
  name: "middleware",
  image: "repo:1",
  port: 3000,
  exposure: "public",
  environment: { B: "2", A: "1" },
  secrets: [
    { name: "LITELLM_MASTER_KEY", secret: "masterKey" },
    { name: "OPENAI_API_KEY", secret: "providerKeys", jsonKey: "OPENAI_API_KEY" },
  ],
  healthCheck: { path: "/health/liveliness", port: 3000, intervalSeconds: 15, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 30, command: ["CMD", "probe"] },
  dependsOnHealthy: ["litellm"],
  logGroup: "middleware",
};
const opts = { secretArns: { masterKey: "arn-master", providerKeys: "arn-providers" }, logGroups: { litellm: "/l", middleware: "/m" }, region: "eu-central-2" };

describe("ecsContainerDefinition", () => {
  it("renders env sorted, secrets by reference (JSON keys with ::), health check, dependency and logs", () => {
    const d = ecsContainerDefinition(container, opts) as any;
    expect(d.environment).toEqual([{ name: "A", value: "1" }, { name: "B", value: "2" }]);
    expect(d.secrets).toEqual([
      { name: "LITELLM_MASTER_KEY", valueFrom: "arn-master" },
      { name: "OPENAI_API_KEY", valueFrom: "arn-providers:OPENAI_API_KEY::" },
    ]);
    expect(d.healthCheck).toEqual({ command: ["CMD", "probe"], interval: 15, timeout: 5, retries: 3, startPeriod: 30 });
    expect(d.dependsOn).toEqual([{ containerName: "litellm", condition: "HEALTHY" }]);
    expect(d.logConfiguration.options).toEqual({ "awslogs-group": "/m", "awslogs-region": "eu-central-2", "awslogs-stream-prefix": "middleware" });
    expect(d.portMappings).toEqual([{ containerPort: 3000, protocol: "tcp", name: "middleware-3000" }]);
  });

  it("names a missing secret ARN", () => {
    expect(() => ecsContainerDefinition(container, { ...opts, secretArns: { masterKey: "a" } })).toThrow(/providerKeys/);
    expect(secretValueFrom("arn", "K")).toBe("arn:K::");
  });
});
