import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { arnPrefix, dnsSuffix, PARTITION_IDS, partitionFacts } from "@gw/partition";
import { README_PATH, updatedReadme } from "./readme-cli";
import { runRenderCli } from "./render-cli";
import { KNOWN_VARIABLE_NAMES, VARIABLES } from "./variables";

const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));

describe("README", () => {
  it("the variable and catalog tables match the code (run pnpm --filter @gw/config readme)", () => {
    const text = readFileSync(README_PATH, "utf8");
    expect(updatedReadme(text)).toBe(text);
    for (const v of VARIABLES) expect(text).toContain(`| \`${v.name}\` |`);
  });

  it("every variable of the older .env (upstream-infra §1.1) is accepted", () => {
    const older = [
      "LITELLM_VERSION", "TERRAFORM_S3_BUCKET_NAME", "BUILD_FROM_SOURCE", "HOSTED_ZONE_NAME", "CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC",
      "RECORD_NAME", "CERTIFICATE_ARN", "OKTA_ISSUER", "OKTA_AUDIENCE", "LANGSMITH_API_KEY", "LANGSMITH_PROJECT", "LANGSMITH_DEFAULT_RUN_NAME",
      "DEPLOYMENT_PLATFORM", "EXISTING_VPC_ID", "EXISTING_EKS_CLUSTER_NAME", "DISABLE_OUTBOUND_NETWORK_ACCESS",
      "CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC", "INSTALL_ADD_ONS_IN_EXISTING_EKS_CLUSTER", "DESIRED_CAPACITY", "MIN_CAPACITY", "MAX_CAPACITY",
      "ECS_CPU_TARGET_UTILIZATION_PERCENTAGE", "ECS_MEMORY_TARGET_UTILIZATION_PERCENTAGE", "ECS_VCPUS", "EKS_ARM_INSTANCE_TYPE",
      "EKS_X86_INSTANCE_TYPE", "EKS_ARM_AMI_TYPE", "EKS_X86_AMI_TYPE", "CPU_ARCHITECTURE", "PUBLIC_LOAD_BALANCER", "RDS_INSTANCE_CLASS",
      "RDS_ALLOCATED_STORAGE_GB", "REDIS_NODE_TYPE", "REDIS_NUM_CACHE_CLUSTERS", "EC2_KEY_PAIR_NAME", "DISABLE_SWAGGER_PAGE", "DISABLE_ADMIN_UI",
      "LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY", "LANGFUSE_HOST", "FAKE_LLM_LOAD_TESTING_ENDPOINT_CERTIFICATE_ARN",
      "FAKE_LLM_LOAD_TESTING_ENDPOINT_HOSTED_ZONE_NAME", "FAKE_LLM_LOAD_TESTING_ENDPOINT_RECORD_NAME", "USE_ROUTE53", "USE_CLOUDFRONT",
      "CLOUDFRONT_PRICE_CLASS", "OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_API_KEY", "ANTHROPIC_API_KEY", "GROQ_API_KEY",
      "COHERE_API_KEY", "CO_API_KEY", "HF_TOKEN", "HUGGINGFACE_API_KEY", "DATABRICKS_API_KEY", "GEMINI_API_KEY", "CODESTRAL_API_KEY",
      "MISTRAL_API_KEY", "AZURE_AI_API_KEY", "NVIDIA_NIM_API_KEY", "XAI_API_KEY", "PERPLEXITYAI_API_KEY", "GITHUB_API_KEY",
      "DEEPSEEK_API_KEY", "AI21_API_KEY", "AWS_REGION", "AWS_DEFAULT_REGION", "DEPLOYMENT_NAME",
    ];
    for (const name of older) expect(KNOWN_VARIABLE_NAMES.has(name), name).toBe(true);
  });
});

describe("no AWS naming outside @gw/partition", () => {
  it("config/ contains no ARN prefix or AWS DNS suffix literal", () => {
    const needles = PARTITION_IDS.flatMap((p) => {
      const region = partitionFacts(p).regions[0]!;
      return [`${arnPrefix(region)}:`, dnsSuffix(region)];
    });
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        if (entry === "node_modules") continue;
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(PACKAGE_DIR);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const needle of needles) expect(text.includes(needle), `${file} contains ${needle}`).toBe(false);
    }
  });
});

describe("pnpm config:render", () => {
  const run = (argv: string[], env: Record<string, string> = {}) => {
    let out = "";
    let err = "";
    const code = runRenderCli(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env);
    return { code, out, err };
  };

  it("prints the YAML for --region and the hash on stderr", () => {
    const r = run(["--region", "cn-northwest-1"], { GLOBAL_BEDROCK_REGIONS: "us-east-1,us-west-2" });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# LiteLLM config for genai-gateway in cn-northwest-1 \(aws-cn\)/);
    expect(r.err).toMatch(/^sha256:[0-9a-f]{64}$/m);
    expect(r.out).not.toMatch(/sha256:/);
  });

  it("takes the region from AWS_REGION", () => {
    expect(run([], { AWS_REGION: "eu-central-2" }).out).toContain("in eu-central-2 (aws)");
  });

  it("exits 1 with the problem list on invalid settings, 2 on bad arguments", () => {
    const r = run(["--region=us-gov-west-1"], { USE_CLOUDFRONT: "true", MIN_CAPACITY: "x" });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^USE_CLOUDFRONT: /m);
    expect(r.err).toMatch(/^MIN_CAPACITY: /m);
    expect(run(["--bogus"]).code).toBe(2);
  });
});
