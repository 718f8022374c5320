import { EXAMPLE_ACCOUNT_ID, arn, arnPrefix, servicePrincipal } from "@gw/partition";
import { describe, expect, it } from "vitest";
import { bedrockModelResources, ecsTasksTrustPolicy, executionPolicy, managedPromptResources, taskPolicy } from "./policies";
import type { PolicyStatement } from "../iam";

const acct = EXAMPLE_ACCOUNT_ID;

/** IAM resource matching: `*` any run of characters, `?` one character (case-sensitive, as IAM matches ARNs). */
function allows(statements: readonly PolicyStatement[], action: string, resource: string): boolean {
  const match = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(resource);
  return statements.some((s) => s.Effect === "Allow" && (s.Action as string[]).includes(action) && (s.Resource as string[]).some(match));
}

describe("taskPolicy", () => {
  it("grants only named actions, S3 on the two buckets and Bedrock/SageMaker in the partition", () => {
    for (const region of ["us-east-1", "us-gov-west-1"]) {
      const statements = taskPolicy({ region, accountId: acct, configBucket: "cfg", logBucket: "logs" });
      for (const s of statements) {
        for (const a of s.Action as string[]) expect(a).not.toContain("*");
        for (const r of s.Resource as string[]) expect(r.startsWith(`${arnPrefix(region)}:`)).toBe(true);
      }
      const s3 = statements.filter((s) => (s.Action as string[]).some((a) => a.startsWith("s3:")));
      expect(s3.flatMap((s) => s.Resource as string[]).map((r) => r.split(":::")[1])).toEqual(["cfg/*", "cfg", "logs/*"]);
      expect(statements.find((s) => s.Sid === "LogWrite")!.Action).not.toContain("s3:GetObject");
      expect(statements.find((s) => s.Sid === "BedrockInvoke")!.Resource).toEqual(bedrockModelResources(region, acct));
    }
  });

  it("allows GetPrompt on this account's prompts in every region of the partition, nothing else", () => {
    for (const region of ["us-east-1", "eu-central-2", "us-gov-west-1"]) {
      const statements = taskPolicy({ region, accountId: acct, configBucket: "c", logBucket: "l" });
      expect(statements.find((s) => s.Sid === "BedrockManagedPrompts")!.Resource).toEqual(managedPromptResources(region, acct));
      const other = region === "us-gov-west-1" ? "us-gov-east-1" : "us-west-2";
      // The middleware calls GetPrompt in the region of the prompt ARN, which may differ from the deployment's.
      for (const r of [region, other]) {
        expect(allows(statements, "bedrock:GetPrompt", arn(r, "bedrock", "prompt/PROMPT12345", { account: acct })), r).toBe(true);
        expect(allows(statements, "bedrock:GetPrompt", arn(r, "bedrock", "prompt/PROMPT12345:3", { account: acct })), r).toBe(true);
      }
      expect(allows(statements, "bedrock:GetPrompt", arn(other, "bedrock", "prompt/PROMPT12345", { account: "1".repeat(12) }))).toBe(false);
      expect(allows(statements, "bedrock:GetPrompt", arn(other, "bedrock", "agent/AGENT12345", { account: acct }))).toBe(false);
      const foreign = region === "us-gov-west-1" ? "us-east-1" : "cn-north-1";
      expect(allows(statements, "bedrock:GetPrompt", arn(foreign, "bedrock", "prompt/PROMPT12345", { account: acct }))).toBe(false);
      expect(allows(statements, "bedrock:CreatePrompt", arn(region, "bedrock", "prompt/PROMPT12345", { account: acct }))).toBe(false);
    }
  });

  it("leaves Bedrock out when it is reached with global-partition credentials", () => {
    const statements = taskPolicy({ region: "cn-north-1", accountId: acct, configBucket: "c", logBucket: "l", bedrockInPartition: false });
    expect(statements.some((s) => (s.Action as string[]).some((a) => a.startsWith("bedrock:")))).toBe(false);
    expect(statements.find((s) => s.Sid === "SageMakerInvoke")!.Resource).toEqual([`${arnPrefix("cn-north-1")}:sagemaker:cn-north-1:${acct}:endpoint/*`]);
  });
});

describe("executionPolicy", () => {
  it("pulls only our repositories, writes only our log groups and reads only the given secrets", () => {
    const statements = executionPolicy({ region: "eu-central-2", accountId: acct, repositoryNames: ["gw/litellm"], logGroupNames: ["/gw/litellm"], secretArns: ["secret-1"] });
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.EcrAuth!.Resource).toEqual(["*"]);
    expect(bySid.EcrPull!.Resource).toEqual([`${arnPrefix("eu-central-2")}:ecr:eu-central-2:${acct}:repository/gw/litellm`]);
    expect(bySid.Logs!.Resource).toEqual([`${arnPrefix("eu-central-2")}:logs:eu-central-2:${acct}:log-group:/gw/litellm:*`]);
    expect(bySid.Secrets!.Resource).toEqual(["secret-1"]);
    expect(executionPolicy({ region: "us-east-1", accountId: acct, repositoryNames: [], logGroupNames: [], secretArns: [] }).some((s) => s.Sid === "Secrets")).toBe(false);
  });
});

describe("ecsTasksTrustPolicy", () => {
  it("trusts the partition's ECS tasks principal for this account only", () => {
    const doc = JSON.parse(ecsTasksTrustPolicy("cn-northwest-1", acct));
    expect(doc.Statement[0].Principal.Service).toBe(servicePrincipal("ecs-tasks", "cn-northwest-1"));
    expect(doc.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toBe(acct);
  });
});
