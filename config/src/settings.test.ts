import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { arn, regionCaveats, UnknownRegionError } from "@gw/partition";
import { SettingsError } from "./errors";
import { loadSettings } from "./settings";
import { acmArn, load, problemsFor, TEST_ACCOUNT, variablesOf } from "./test-helpers";

const problem = (env: Record<string, string>, variable: string) => problemsFor(env).find((p) => p.variable === variable);

const warningAbout = (warnings: readonly string[], start: string) => warnings.filter((w) => w.startsWith(start));

describe("defaults per partition", () => {
  it("aws: CloudFront off without a zone (warning), ECS on arm64, 2 Redis nodes with failover, self-signed warning, no secrets", () => {
    const { settings, warnings, secrets } = load({});
    expect(settings.region).toBe("us-east-1");
    expect(settings.partition).toBe("aws");
    expect(settings.cloudFront.enabled).toBe(false);
    const [cfOff, ...more] = warningAbout(warnings, "USE_CLOUDFRONT defaults to false");
    expect(more).toEqual([]);
    expect(cfOff).toMatch(/because HOSTED_ZONE_NAME is not set/);
    expect(cfOff).toMatch(/validates the origin's certificate against the origin's DNS name/);
    expect(cfOff).toMatch(/set HOSTED_ZONE_NAME to a public Route 53 zone/);
    expect(cfOff).toMatch(/clients still use the \*\.cloudfront\.net domain/);
    expect(cfOff).toMatch(/CLOUDFRONT_ORIGIN_DOMAIN .* CERTIFICATE_ARN/);
    expect(settings.platform).toBe("ecs");
    expect(settings.architecture).toBe("arm64");
    expect(settings.ecs).toEqual({ cpu: 2048, memory: 4096 });
    expect(settings.redis).toMatchObject({ numCacheClusters: 2, automaticFailover: true });
    expect(settings.capacity).toMatchObject({ min: 2, desired: 2, max: 4 });
    expect(settings.tags).toEqual({ Deployment: "genai-gateway" });
    expect(settings.observability.callbacks).toEqual(["s3"]);
    expect(settings.chinaBedrock.globalRegions).toEqual([]);
    expect(secrets).toEqual({});
    expect(warningAbout(warnings, "CERTIFICATE_ARN is not set")).toEqual([
      'CERTIFICATE_ARN is not set and no public Route 53 zone holds the load balancer\'s name: it serves a generated self-signed certificate for "gateway.internal", ' +
        "so HTTPS clients that reach it directly must be told to trust it. Set CERTIFICATE_ARN, or USE_ROUTE53 with HOSTED_ZONE_NAME and RECORD_NAME in a public zone " +
        "(the stack then issues a DNS-validated ACM certificate).",
    ]);
    expect(Object.isFrozen(settings.dns)).toBe(true);
  });

  it("aws with HOSTED_ZONE_NAME: CloudFront on by default, the origin certificate is issued in the zone, so no self-signed warning", () => {
    const { settings, warnings } = load({ HOSTED_ZONE_NAME: "example.com" });
    expect(settings.cloudFront.enabled).toBe(true);
    expect(settings.dns).toMatchObject({ useRoute53: false, hostedZoneName: "example.com" });
    expect(settings.cloudFront.originDomain).toBeUndefined();
    // Neither the default-off nor the self-signed warning, and the zone is not "ignored": it names the origin.
    expect(warnings.filter((w) => /USE_CLOUDFRONT|CERTIFICATE_ARN|self-signed|ignored/.test(w))).toEqual([]);
    expect(load({ HOSTED_ZONE_NAME: "example.com", AWS_REGION: "eu-west-1" }).settings.cloudFront.enabled).toBe(true);
  });

  it("aws-cn: CloudFront off, even with a zone, several global Bedrock regions, missing global credentials only warn", () => {
    const { settings, warnings } = load({ AWS_REGION: "cn-north-1" });
    expect(settings.partition).toBe("aws-cn");
    expect(settings.cloudFront.enabled).toBe(false);
    expect(warningAbout(warnings, "USE_CLOUDFRONT")).toEqual([]);
    expect(load({ AWS_REGION: "cn-north-1", HOSTED_ZONE_NAME: "example.cn" }).settings.cloudFront.enabled).toBe(false);
    expect(settings.chinaBedrock.globalRegions.length).toBeGreaterThanOrEqual(2);
    expect(warnings.some((w) => w.includes("GLOBAL_BEDROCK_ACCESS_KEY_ID") && w.includes("fail"))).toBe(true);
  });

  it("aws-us-gov: CloudFront off, even with a zone, region caveats become warnings", () => {
    const { settings, warnings } = load({ AWS_REGION: "us-gov-west-1" });
    expect(settings.partition).toBe("aws-us-gov");
    expect(settings.cloudFront.enabled).toBe(false);
    expect(warningAbout(warnings, "USE_CLOUDFRONT")).toEqual([]);
    expect(load({ AWS_REGION: "us-gov-west-1", HOSTED_ZONE_NAME: "example.com" }).settings.cloudFront.enabled).toBe(false);
    for (const caveat of regionCaveats("us-gov-west-1")) expect(warnings).toContain(`us-gov-west-1: ${caveat}`);
  });

  it("EKS and a private load balancer default CloudFront off instead of failing, without the zone warning", () => {
    const internal = load({ PUBLIC_LOAD_BALANCER: "false", HOSTED_ZONE_NAME: "example.com" });
    expect(internal.settings.cloudFront.enabled).toBe(false);
    expect(warningAbout(internal.warnings, "USE_CLOUDFRONT")).toEqual([]);
    const eks = load({ DEPLOYMENT_PLATFORM: "EKS", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1") });
    expect(eks.settings.cloudFront.enabled).toBe(false);
    expect(warningAbout(eks.warnings, "USE_CLOUDFRONT")).toEqual([]);
  });
});

describe("CloudFront needs an origin name its certificate can match", () => {
  it("USE_CLOUDFRONT=true without HOSTED_ZONE_NAME is a problem naming the zone and the fixes", () => {
    const p = problem({ USE_CLOUDFRONT: "true" }, "USE_CLOUDFRONT + HOSTED_ZONE_NAME");
    expect(p?.message).toMatch(/no certificate can match the load balancer's own name \(every request would fail with 502\)/);
    expect(p?.message).toMatch(/set HOSTED_ZONE_NAME to a public Route 53 zone/);
    expect(p?.message).toMatch(/CLOUDFRONT_ORIGIN_DOMAIN/);
    expect(p?.message).toMatch(/or set USE_CLOUDFRONT=false$/);
    expect(variablesOf({ USE_CLOUDFRONT: "true", AWS_REGION: "eu-central-2" })).toEqual(["USE_CLOUDFRONT + HOSTED_ZONE_NAME"]);
    expect(load({ USE_CLOUDFRONT: "true", HOSTED_ZONE_NAME: "example.com" }).settings.cloudFront.enabled).toBe(true);
    // Where CloudFront is absent or needs ICP, the partition's own problem is the one reported.
    expect(variablesOf({ USE_CLOUDFRONT: "true", AWS_REGION: "us-gov-west-1" })).toEqual(["USE_CLOUDFRONT"]);
    expect(variablesOf({ USE_CLOUDFRONT: "true", AWS_REGION: "cn-north-1" })).toEqual(["USE_CLOUDFRONT"]);
  });

  it("CLOUDFRONT_ORIGIN_DOMAIN with CERTIFICATE_ARN replaces the zone, and turns the default on", () => {
    const cert = acmArn("eu-west-1");
    const { settings, warnings } = load({ AWS_REGION: "eu-west-1", CLOUDFRONT_ORIGIN_DOMAIN: "Origin.Example.org.", CERTIFICATE_ARN: cert });
    expect(settings.cloudFront).toMatchObject({ enabled: true, originDomain: "origin.example.org" });
    expect(warnings.filter((w) => /USE_CLOUDFRONT|self-signed/.test(w))).toEqual([]);
    expect(load({ USE_CLOUDFRONT: "true", CLOUDFRONT_ORIGIN_DOMAIN: "origin.example.org", CERTIFICATE_ARN: acmArn("us-east-1") }).settings.cloudFront.enabled).toBe(true);
  });

  it("CLOUDFRONT_ORIGIN_DOMAIN needs CERTIFICATE_ARN, a valid name other than the client-facing one, and CloudFront", () => {
    const noCert = problemsFor({ USE_CLOUDFRONT: "true", CLOUDFRONT_ORIGIN_DOMAIN: "origin.example.org" });
    expect(noCert.map((p) => p.variable)).toEqual(["CLOUDFRONT_ORIGIN_DOMAIN + CERTIFICATE_ARN"]);
    expect(noCert[0]!.message).toMatch(/set CERTIFICATE_ARN to an ACM certificate in us-east-1 covering origin\.example\.org/);
    // Without a certificate the origin domain cannot turn CloudFront on by default.
    const off = load({ CLOUDFRONT_ORIGIN_DOMAIN: "origin.example.org" });
    expect(off.settings.cloudFront).toEqual({ enabled: false, priceClass: "PriceClass_100", originReadTimeoutSeconds: 60 });
    expect(off.warnings).toContain("CLOUDFRONT_ORIGIN_DOMAIN is ignored because CloudFront is off (USE_CLOUDFRONT).");
    expect(variablesOf({ USE_CLOUDFRONT: "true", CLOUDFRONT_ORIGIN_DOMAIN: "not a name", CERTIFICATE_ARN: acmArn("us-east-1") })).toEqual(["CLOUDFRONT_ORIGIN_DOMAIN"]);
    const loop = { USE_ROUTE53: "true", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1"), CLOUDFRONT_ORIGIN_DOMAIN: "gw.example.com" };
    expect(problem(loop, "CLOUDFRONT_ORIGIN_DOMAIN")?.message).toMatch(/name clients use, which points at CloudFront/);
  });
});

describe("self-signed warning only when the load balancer really gets a self-signed certificate", () => {
  const selfSigned = (env: Record<string, string>) => load(env).warnings.filter((w) => w.includes("self-signed"));

  it("not with CERTIFICATE_ARN, nor when a public zone holds the load balancer's name", () => {
    expect(selfSigned({ CERTIFICATE_ARN: acmArn("us-east-1") })).toEqual([]);
    expect(selfSigned({ HOSTED_ZONE_NAME: "example.com" })).toEqual([]);
    expect(selfSigned({ USE_CLOUDFRONT: "false", USE_ROUTE53: "true", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw" })).toEqual([]);
    expect(selfSigned({ DEPLOYMENT_PLATFORM: "EKS", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1") })).toEqual([]);
  });

  it("with a zone that cannot validate: CloudFront off without USE_ROUTE53, a private zone, GovCloud", () => {
    expect(selfSigned({ USE_CLOUDFRONT: "false", HOSTED_ZONE_NAME: "example.com" })).toHaveLength(1);
    const internal = selfSigned({ PUBLIC_LOAD_BALANCER: "false", USE_ROUTE53: "true", HOSTED_ZONE_NAME: "corp.internal", RECORD_NAME: "gw" });
    expect(internal).toEqual([expect.stringMatching(/self-signed certificate for "gw\.corp\.internal".*Set CERTIFICATE_ARN\.$/)]);
    expect(selfSigned({ AWS_REGION: "us-gov-west-1" })).toEqual([expect.stringMatching(/Set CERTIFICATE_ARN\.$/)]);
  });
});

describe("settings rules", () => {
  it("CloudFront with a private load balancer", () => {
    const p = problem({ USE_CLOUDFRONT: "true", PUBLIC_LOAD_BALANCER: "false" }, "USE_CLOUDFRONT + PUBLIC_LOAD_BALANCER");
    expect(p?.message).toMatch(/internal load balancer/);
  });

  it("USE_ROUTE53 without HOSTED_ZONE_NAME or RECORD_NAME", () => {
    expect(variablesOf({ USE_ROUTE53: "true", USE_CLOUDFRONT: "false" })).toContain("HOSTED_ZONE_NAME + RECORD_NAME");
    expect(variablesOf({ USE_ROUTE53: "true", USE_CLOUDFRONT: "false", HOSTED_ZONE_NAME: "example.com" })).toContain("RECORD_NAME");
    expect(variablesOf({ USE_ROUTE53: "true", USE_CLOUDFRONT: "false", RECORD_NAME: "gateway" })).toContain("HOSTED_ZONE_NAME");
  });

  it("USE_ROUTE53 unset with zone and record set is enabled with a warning", () => {
    const { settings, warnings } = load({ HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", USE_CLOUDFRONT: "false" });
    expect(settings.dns).toMatchObject({ useRoute53: true, fqdn: "gw.example.com" });
    expect(warnings.some((w) => w.startsWith("USE_ROUTE53 is not set"))).toBe(true);
  });

  const domain = { USE_ROUTE53: "true", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw" };

  it("custom domain with CloudFront needs a us-east-1 certificate", () => {
    const env = { ...domain, AWS_REGION: "eu-west-1", CERTIFICATE_ARN: acmArn("eu-west-1") };
    expect(problem(env, "USE_CLOUDFRONT + CLOUDFRONT_CERTIFICATE_ARN")?.message).toMatch(/us-east-1/);
    expect(problem({ ...env, CLOUDFRONT_CERTIFICATE_ARN: acmArn("eu-west-1") }, "CLOUDFRONT_CERTIFICATE_ARN")?.message).toMatch(/us-east-1/);
    const ok = load({ ...env, CLOUDFRONT_CERTIFICATE_ARN: acmArn("us-east-1") });
    expect(ok.settings.dns.cloudFrontCertificateArn).toBe(acmArn("us-east-1"));
    expect(ok.settings.dns.albCertificateArn).toBe(acmArn("eu-west-1"));
  });

  it("in us-east-1 the load balancer certificate also serves CloudFront", () => {
    const { settings } = load({ ...domain, CERTIFICATE_ARN: acmArn("us-east-1") });
    expect(settings.dns.cloudFrontCertificateArn).toBe(acmArn("us-east-1"));
  });

  it("CERTIFICATE_ARN must be an ACM certificate of the deployment region and partition", () => {
    expect(variablesOf({ AWS_REGION: "eu-west-1", CERTIFICATE_ARN: acmArn("us-east-1") })).toContain("CERTIFICATE_ARN");
    expect(variablesOf({ CERTIFICATE_ARN: "not-an-arn" })).toContain("CERTIFICATE_ARN");
  });

  it("aws-cn: CloudFront needs an ICP domain and an IAM server certificate, not ACM", () => {
    const cn = { AWS_REGION: "cn-north-1", USE_CLOUDFRONT: "true", ...domain, CERTIFICATE_ARN: acmArn("cn-north-1") };
    expect(problem({ AWS_REGION: "cn-north-1", USE_CLOUDFRONT: "true" }, "USE_CLOUDFRONT")?.message).toMatch(/ICP/);
    expect(problem(cn, "CLOUDFRONT_CERTIFICATE_ARN")?.message).toMatch(/IAM server certificate/);
    expect(problem({ ...cn, CLOUDFRONT_CERTIFICATE_ARN: acmArn("us-east-1") }, "CLOUDFRONT_CERTIFICATE_ARN")?.message).toMatch(/does not support ACM/);
    const iam = arn("cn-north-1", "iam", "server-certificate/cloudfront/gw", { account: TEST_ACCOUNT });
    expect(load({ ...cn, CLOUDFRONT_CERTIFICATE_ARN: iam }).settings.dns.cloudFrontCertificateArn).toBe(iam);
    expect(load({ ...cn, CLOUDFRONT_CERTIFICATE_ARN: "ASCAEXAMPLE1234567890" }).settings.cloudFront.enabled).toBe(true);
  });

  it("CloudFront does not exist in aws-us-gov", () => {
    expect(problem({ AWS_REGION: "us-gov-west-1", USE_CLOUDFRONT: "true" }, "USE_CLOUDFRONT")?.message).toMatch(/does not exist/);
  });

  it("GovCloud has no public Route 53 zones for a public load balancer", () => {
    const env = { AWS_REGION: "us-gov-west-1", ...domain, CERTIFICATE_ARN: acmArn("us-gov-west-1") };
    expect(variablesOf(env)).toContain("USE_ROUTE53 + PUBLIC_LOAD_BALANCER");
    expect(problemsFor({ ...env, PUBLIC_LOAD_BALANCER: "false" })).toEqual([]);
  });

  it("EKS ingress needs zone, record and certificate, whatever USE_ROUTE53 says", () => {
    const probs = problemsFor({ DEPLOYMENT_PLATFORM: "eks" });
    expect(probs.map((p) => p.variable)).toEqual(expect.arrayContaining(["HOSTED_ZONE_NAME + RECORD_NAME", "CERTIFICATE_ARN"]));
    expect(probs.find((p) => p.variable === "HOSTED_ZONE_NAME + RECORD_NAME")?.message).toMatch(/EKS ingress/);
    expect(variablesOf({ DEPLOYMENT_PLATFORM: "EKS", USE_ROUTE53: "false" })).toContain("USE_ROUTE53");
    const ok = load({ DEPLOYMENT_PLATFORM: "EKS", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1") });
    expect(ok.settings).toMatchObject({ platform: "eks", dns: { useRoute53: true, fqdn: "gw.example.com" }, cloudFront: { enabled: false } });
  });

  it("EKS node type and AMI must match the architecture, and AL2 is gone from Kubernetes 1.33", () => {
    const eks = { DEPLOYMENT_PLATFORM: "EKS", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1") };
    expect(variablesOf({ ...eks, EKS_ARM_INSTANCE_TYPE: "t3.medium" })).toContain("EKS_ARM_INSTANCE_TYPE");
    expect(problem({ ...eks, EKS_ARM_AMI_TYPE: "AL2_ARM_64" }, "EKS_ARM_AMI_TYPE")?.message).toMatch(/AL2023_ARM_64_STANDARD/);
    expect(problemsFor({ ...eks, CPU_ARCHITECTURE: "x86", EKS_X86_INSTANCE_TYPE: "m6i.large" })).toEqual([]);
  });

  it("invalid Fargate CPU/memory combinations, including ECS_VCPUS", () => {
    expect(problem({ ECS_VCPUS: "3" }, "ECS_VCPUS")?.message).toMatch(/0.25, 0.5, 1, 2, 4, 8, 16/);
    expect(problem({ ECS_CPU: "1024", ECS_MEMORY: "1024" }, "ECS_CPU + ECS_MEMORY")?.message).toMatch(/2048–8192 MiB in 1024 MiB steps/);
    expect(problem({ ECS_CPU: "256", ECS_MEMORY: "4096" }, "ECS_CPU + ECS_MEMORY")?.message).toMatch(/512, 1024 or 2048 MiB/);
    expect(variablesOf({ ECS_CPU: "3000" })).toContain("ECS_CPU");
    expect(variablesOf({ ECS_CPU: "8192", ECS_MEMORY: "18432" })).toContain("ECS_CPU + ECS_MEMORY");
    expect(variablesOf({ ECS_CPU: "4096", ECS_MEMORY: "31744" })).toContain("ECS_CPU + ECS_MEMORY");
    expect(variablesOf({ ECS_VCPUS: "2", ECS_CPU: "2048" })).toContain("ECS_VCPUS + ECS_CPU/ECS_MEMORY");
    expect(load({ ECS_VCPUS: "4" }).settings.ecs).toEqual({ cpu: 4096, memory: 8192 });
    expect(load({ ECS_VCPUS: "0.25" }).settings.ecs).toEqual({ cpu: 256, memory: 512 });
    expect(load({ ECS_CPU: "4096", ECS_MEMORY: "30720" }).settings.ecs).toEqual({ cpu: 4096, memory: 30720 });
    expect(load({ ECS_CPU: "16384", ECS_MEMORY: "122880" }).settings.ecs).toEqual({ cpu: 16384, memory: 122880 });
    expect(load({ ECS_CPU: "8192" }).settings.ecs).toEqual({ cpu: 8192, memory: 16384 });
  });

  it("MIN_CAPACITY <= DESIRED_CAPACITY <= MAX_CAPACITY", () => {
    expect(variablesOf({ MIN_CAPACITY: "3", DESIRED_CAPACITY: "2" })).toContain("MIN_CAPACITY + DESIRED_CAPACITY + MAX_CAPACITY");
    expect(variablesOf({ DESIRED_CAPACITY: "5" })).toContain("MIN_CAPACITY + DESIRED_CAPACITY + MAX_CAPACITY");
    expect(load({ MIN_CAPACITY: "1", DESIRED_CAPACITY: "1", MAX_CAPACITY: "1" }).settings.capacity).toMatchObject({ min: 1, desired: 1, max: 1 });
  });

  it("Redis with one node needs an explicit REDIS_AUTOMATIC_FAILOVER=false", () => {
    expect(problem({ REDIS_NUM_CACHE_CLUSTERS: "1" }, "REDIS_NUM_CACHE_CLUSTERS")?.message).toMatch(/REDIS_AUTOMATIC_FAILOVER=false/);
    expect(variablesOf({ REDIS_NUM_CACHE_CLUSTERS: "1", REDIS_AUTOMATIC_FAILOVER: "true" })).toContain("REDIS_NUM_CACHE_CLUSTERS");
    const single = load({ REDIS_NUM_CACHE_CLUSTERS: "1", REDIS_AUTOMATIC_FAILOVER: "false" });
    expect(single.settings.redis).toMatchObject({ numCacheClusters: 1, automaticFailover: false });
    expect(single.warnings.some((w) => w.includes("single node"))).toBe(true);
    expect(load({ REDIS_AUTOMATIC_FAILOVER: "false" }).settings.redis.automaticFailover).toBe(false);
  });

  it("bring-your-own EKS cluster without its VPC", () => {
    const eks = { DEPLOYMENT_PLATFORM: "EKS", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1") };
    expect(problem({ ...eks, EXISTING_EKS_CLUSTER_NAME: "prod" }, "EXISTING_EKS_CLUSTER_NAME + EXISTING_VPC_ID")?.message).toMatch(/EXISTING_VPC_ID/);
    expect(load({ ...eks, EXISTING_EKS_CLUSTER_NAME: "prod", EXISTING_VPC_ID: "vpc-0123456789abcdef0" }).settings.eks.existingClusterName).toBe("prod");
  });

  it("RECORD_NAME given as FQDN: reduced inside the zone, rejected outside it", () => {
    const base = { HOSTED_ZONE_NAME: "Example.com.", USE_CLOUDFRONT: "false" };
    const inside = load({ ...base, RECORD_NAME: "gw.example.com" });
    expect(inside.settings.dns).toMatchObject({ recordLabel: "gw", hostedZoneName: "example.com", fqdn: "gw.example.com" });
    expect(inside.warnings.some((w) => w.includes('using its label "gw"'))).toBe(true);
    expect(problem({ ...base, RECORD_NAME: "gw.other.org" }, "RECORD_NAME")?.message).toMatch(/not inside HOSTED_ZONE_NAME example.com/);
    expect(variablesOf({ ...base, RECORD_NAME: "example.com" })).toContain("RECORD_NAME");
    expect(variablesOf({ ...base, RECORD_NAME: "a.b.example.com" })).toContain("RECORD_NAME");
  });

  it("outbound-disabled mode rejects what needs the internet", () => {
    const off = { DISABLE_OUTBOUND_NETWORK_ACCESS: "true" };
    const keys = problemsFor({ ...off, OPENAI_API_KEY: "sk-x", GEMINI_API_KEY: "g", ANTHROPIC_API_KEY: "placeholder" });
    expect(keys.map((p) => p.variable)).toContain("DISABLE_OUTBOUND_NETWORK_ACCESS + OPENAI_API_KEY, GEMINI_API_KEY");
    expect(variablesOf({ ...off, LANGSMITH_API_KEY: "ls" })).toContain("DISABLE_OUTBOUND_NETWORK_ACCESS + LANGSMITH_API_KEY");
    expect(variablesOf({ ...off, LANGFUSE_PUBLIC_KEY: "pk", LANGFUSE_SECRET_KEY: "sk" })).toContain("DISABLE_OUTBOUND_NETWORK_ACCESS + LANGFUSE_PUBLIC_KEY");
    const selfHosted = load({ ...off, LANGFUSE_PUBLIC_KEY: "pk", LANGFUSE_SECRET_KEY: "sk", LANGFUSE_HOST: "https://langfuse.internal.example" });
    expect(selfHosted.warnings.some((w) => w.includes("reachable from the isolated private subnets"))).toBe(true);
    expect(problem({ ...off, AWS_REGION: "cn-northwest-1" }, "DISABLE_OUTBOUND_NETWORK_ACCESS")?.message).toMatch(/global regions/);
    expect(load({ ...off, OPENAI_API_KEY: "placeholder" }).settings.network.outboundDisabled).toBe(true);
    expect(JSON.stringify(keys)).not.toContain("sk-x");
  });

  it("LITELLM_VERSION empty, placeholder or moving", () => {
    expect(problem({ LITELLM_VERSION: "" }, "LITELLM_VERSION")?.message).toMatch(/empty/);
    expect(problem({ LITELLM_VERSION: "placeholder" }, "LITELLM_VERSION")?.message).toMatch(/placeholder/);
    expect(problem({ LITELLM_VERSION: "latest" }, "LITELLM_VERSION")?.message).toMatch(/moving tag/);
    expect(variablesOf({ LITELLM_VERSION: "main-latest" })).toContain("LITELLM_VERSION");
    expect(variablesOf({ LITELLM_VERSION: "main-stable" })).toContain("LITELLM_VERSION");
    expect(variablesOf({ MIDDLEWARE_IMAGE_TAG: "latest" })).toContain("MIDDLEWARE_IMAGE_TAG");
    expect(load({ LITELLM_VERSION: "main-v1.80.0-stable" }).settings.images.litellmTag).toBe("main-v1.80.0-stable");
    expect(load({}).settings.images.litellmTag).toMatch(/\d/);
  });

  it("booleans and numbers that do not parse name the variable and the accepted values", () => {
    expect(problem({ USE_CLOUDFRONT: "maybe" }, "USE_CLOUDFRONT")?.message).toMatch(/true or false.*yes\/no/);
    expect(problem({ MIN_CAPACITY: "two" }, "MIN_CAPACITY")?.message).toMatch(/not a whole number; use a number from 1 to 1000/);
    expect(problem({ AZ_COUNT: "9" }, "AZ_COUNT")?.message).toMatch(/out of range/);
    expect(problem({ LOG_RETENTION_DAYS: "31" }, "LOG_RETENTION_DAYS")?.message).toMatch(/30, 60/);
    expect(load({ USE_CLOUDFRONT: "No", RDS_MULTI_AZ: "0" }).settings).toMatchObject({ cloudFront: { enabled: false }, database: { multiAz: false } });
  });

  it("unknown region: the partition module's UnknownRegionError message", () => {
    const p = problem({ AWS_REGION: "mars-east-1" }, "AWS_REGION");
    expect(p?.message).toBe(new UnknownRegionError("mars-east-1").message);
    expect(variablesOf({ AWS_DEFAULT_REGION: "nowhere-1" })).toEqual(["AWS_DEFAULT_REGION"]);
    expect(load({ AWS_DEFAULT_REGION: "eu-west-1" }).settings.region).toBe("eu-west-1");
    expect(load({ AWS_REGION: "eu-west-3", AWS_DEFAULT_REGION: "eu-west-1" }).settings.region).toBe("eu-west-3");
  });

  it("deployment name format", () => {
    for (const bad of ["My_Gateway", "ab", "a".repeat(25), "gateway-", "gate--way", "1gateway", "internal-gw"]) {
      expect(variablesOf({ DEPLOYMENT_NAME: bad }), bad).toContain("DEPLOYMENT_NAME");
    }
    expect(load({ DEPLOYMENT_NAME: "team-a-gw2" }).settings.tags.Deployment).toBe("team-a-gw2");
  });

  it("CPU_ARCHITECTURE with aarch64/amd64 aliases", () => {
    expect(load({ CPU_ARCHITECTURE: "aarch64" }).settings.architecture).toBe("arm64");
    expect(load({ CPU_ARCHITECTURE: "arm" }).settings.architecture).toBe("arm64");
    expect(load({ CPU_ARCHITECTURE: "AMD64" }).settings.architecture).toBe("x86_64");
    expect(load({ CPU_ARCHITECTURE: "x86" }).settings.architecture).toBe("x86_64");
    expect(problem({ CPU_ARCHITECTURE: "sparc" }, "CPU_ARCHITECTURE")?.message).toMatch(/aarch64/);
  });

  it("CLOUDFRONT_PRICE_CLASS", () => {
    expect(load({ CLOUDFRONT_PRICE_CLASS: "priceclass_all" }).settings.cloudFront.priceClass).toBe("PriceClass_All");
    expect(problem({ CLOUDFRONT_PRICE_CLASS: "PriceClass_300" }, "CLOUDFRONT_PRICE_CLASS")?.message).toMatch(/PriceClass_100, PriceClass_200 or PriceClass_All/);
  });

  it("China: GLOBAL_BEDROCK_* regions and credentials", () => {
    const cn = { AWS_REGION: "cn-north-1" };
    expect(load({ ...cn, GLOBAL_BEDROCK_REGIONS: "us-west-2, us-east-1" }).settings.chinaBedrock.globalRegions).toEqual(["us-west-2", "us-east-1"]);
    expect(variablesOf({ ...cn, GLOBAL_BEDROCK_REGIONS: "cn-northwest-1" })).toContain("GLOBAL_BEDROCK_REGIONS");
    expect(variablesOf({ ...cn, GLOBAL_BEDROCK_ACCESS_KEY_ID: "AKIAABCDEFGHIJKLMNOP" })).toContain("GLOBAL_BEDROCK_SECRET_ACCESS_KEY");
    const secretValue = "s3cr3t/value+with+chars";
    const bad = problemsFor({ ...cn, GLOBAL_BEDROCK_ACCESS_KEY_ID: "nope-not-a-key", GLOBAL_BEDROCK_SECRET_ACCESS_KEY: secretValue });
    expect(bad.map((p) => p.variable)).toContain("GLOBAL_BEDROCK_ACCESS_KEY_ID");
    expect(JSON.stringify(bad)).not.toContain("nope-not-a-key");
    const ok = load({ ...cn, GLOBAL_BEDROCK_ACCESS_KEY_ID: "AKIAABCDEFGHIJKLMNOP", GLOBAL_BEDROCK_SECRET_ACCESS_KEY: secretValue });
    expect(ok.secrets).toEqual({ GLOBAL_BEDROCK_ACCESS_KEY_ID: "AKIAABCDEFGHIJKLMNOP", GLOBAL_BEDROCK_SECRET_ACCESS_KEY: secretValue });
    expect(ok.warnings.some((w) => w.startsWith("GLOBAL_BEDROCK_ACCESS_KEY_ID"))).toBe(false);
  });

  it("secrets are kept out of Settings; provider key names go to providerKeys", () => {
    const { settings, secrets } = load({
      OPENAI_API_KEY: "sk-openai-value", ANTHROPIC_API_KEY: "placeholder", GROQ_API_KEY: "",
      LANGSMITH_API_KEY: "ls-value", LANGFUSE_PUBLIC_KEY: "pk-lf", LANGFUSE_SECRET_KEY: "sk-lf-value",
    });
    expect(settings.providerKeys).toEqual(["OPENAI_API_KEY"]);
    expect(secrets).toEqual({ OPENAI_API_KEY: "sk-openai-value", LANGSMITH_API_KEY: "ls-value", LANGFUSE_SECRET_KEY: "sk-lf-value" });
    expect(settings.observability.callbacks).toEqual(["s3", "langsmith", "langfuse"]);
    const text = JSON.stringify(settings);
    for (const v of ["sk-openai-value", "ls-value", "sk-lf-value"]) expect(text).not.toContain(v);
  });

  it("Langfuse needs both keys", () => {
    expect(variablesOf({ LANGFUSE_PUBLIC_KEY: "pk" })).toContain("LANGFUSE_SECRET_KEY");
    expect(variablesOf({ LANGFUSE_SECRET_KEY: "sk" })).toContain("LANGFUSE_PUBLIC_KEY");
  });

  it("older names are accepted; conflicting old and new values are a problem", () => {
    expect(load({ OKTA_ISSUER: "https://example.okta.com/oauth2/default", OKTA_AUDIENCE: "api://gw" }).settings.middleware).toMatchObject({
      oidcIssuer: "https://example.okta.com/oauth2/default", oidcAudience: "api://gw",
    });
    expect(variablesOf({ OIDC_ISSUER: "https://a.example", OKTA_ISSUER: "https://b.example" })).toContain("OIDC_ISSUER + OKTA_ISSUER");
    expect(variablesOf({ OKTA_ISSUER: "http://insecure.example" })).toContain("OKTA_ISSUER");
  });

  it("a configuration with several mistakes gets one error listing all of them", () => {
    const env = {
      USE_CLOUDFRONT: "true", PUBLIC_LOAD_BALANCER: "false", ECS_VCPUS: "3", MIN_CAPACITY: "5",
      REDIS_NUM_CACHE_CLUSTERS: "1", LITELLM_VERSION: "latest", DISABLE_ADMIN_UI: "perhaps", DEPLOYMENT_NAME: "Bad Name",
    };
    let error: unknown;
    try {
      loadSettings({ env, envFile: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const e = error as SettingsError;
    const expected = ["USE_CLOUDFRONT + PUBLIC_LOAD_BALANCER", "ECS_VCPUS", "MIN_CAPACITY + DESIRED_CAPACITY + MAX_CAPACITY", "REDIS_NUM_CACHE_CLUSTERS", "LITELLM_VERSION", "DISABLE_ADMIN_UI", "DEPLOYMENT_NAME"];
    expect(e.problems.map((p) => p.variable).sort()).toEqual([...expected].sort());
    const lines = e.message.split("\n");
    expect(lines[0]).toBe(`Invalid deployment settings (${expected.length} problems):`);
    for (const p of e.problems) expect(lines).toContain(`${p.variable}: ${p.message}`);
  });

  it("an older .env with the template's defaults loads", () => {
    const template: Record<string, string> = {
      LITELLM_VERSION: "main-v1.82.3-stable.patch.2", TERRAFORM_S3_BUCKET_NAME: "", BUILD_FROM_SOURCE: "false",
      HOSTED_ZONE_NAME: "", CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC: "false", RECORD_NAME: "", CERTIFICATE_ARN: "",
      OKTA_ISSUER: "", OKTA_AUDIENCE: "api://default", LANGSMITH_API_KEY: "", LANGSMITH_PROJECT: "", LANGSMITH_DEFAULT_RUN_NAME: "",
      DEPLOYMENT_PLATFORM: "ECS", EXISTING_VPC_ID: "", EXISTING_EKS_CLUSTER_NAME: "", DISABLE_OUTBOUND_NETWORK_ACCESS: "false",
      CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC: "false", INSTALL_ADD_ONS_IN_EXISTING_EKS_CLUSTER: "false", DESIRED_CAPACITY: "2",
      MIN_CAPACITY: "2", MAX_CAPACITY: "4", ECS_CPU_TARGET_UTILIZATION_PERCENTAGE: "50", ECS_MEMORY_TARGET_UTILIZATION_PERCENTAGE: "40",
      ECS_VCPUS: "2", EKS_ARM_INSTANCE_TYPE: "t4g.medium", EKS_X86_INSTANCE_TYPE: "t3.medium", EKS_ARM_AMI_TYPE: "AL2_ARM_64",
      EKS_X86_AMI_TYPE: "AL2_x86_64", CPU_ARCHITECTURE: "", PUBLIC_LOAD_BALANCER: "true", RDS_INSTANCE_CLASS: "db.t3.small",
      RDS_ALLOCATED_STORAGE_GB: "20", REDIS_NODE_TYPE: "cache.t3.micro", REDIS_NUM_CACHE_CLUSTERS: "2", EC2_KEY_PAIR_NAME: "",
      DISABLE_SWAGGER_PAGE: "false", DISABLE_ADMIN_UI: "false", LANGFUSE_PUBLIC_KEY: "", LANGFUSE_SECRET_KEY: "", LANGFUSE_HOST: "",
      FAKE_LLM_LOAD_TESTING_ENDPOINT_CERTIFICATE_ARN: "", FAKE_LLM_LOAD_TESTING_ENDPOINT_HOSTED_ZONE_NAME: "",
      FAKE_LLM_LOAD_TESTING_ENDPOINT_RECORD_NAME: "", USE_ROUTE53: "false", USE_CLOUDFRONT: "true", CLOUDFRONT_PRICE_CLASS: "PriceClass_100",
      OPENAI_API_KEY: "placeholder", DEEPSEEK_API_KEY: "placeholder",
    };
    // The template's USE_CLOUDFRONT=true without a zone would give a CloudFront that answers 502: named, not loaded.
    expect(variablesOf(template)).toEqual(["USE_CLOUDFRONT + HOSTED_ZONE_NAME"]);
    const { settings } = load({ ...template, USE_CLOUDFRONT: "false" });
    expect(settings.ecs).toEqual({ cpu: 2048, memory: 4096 });
    expect(settings.database.instanceClass).toBe("db.t3.small");
    expect(settings.providerKeys).toEqual([]);
  });
});

// One test per rule of settings.ts not covered above: each asserts the variable named and the gist of the message.
describe("settings rules: general and network", () => {
  it("DEPLOYMENT_PLATFORM other than ECS or EKS", () => {
    expect(problem({ DEPLOYMENT_PLATFORM: "lambda" }, "DEPLOYMENT_PLATFORM")?.message).toBe('"lambda" is not accepted; use ECS or EKS');
  });

  it("TERRAFORM_S3_BUCKET_NAME must be a valid bucket name", () => {
    for (const bad of ["My_Bucket", "ab", "-state", "xn--state", "a".repeat(64)]) {
      expect(problem({ TERRAFORM_S3_BUCKET_NAME: bad }, "TERRAFORM_S3_BUCKET_NAME")?.message, bad).toMatch(/not a valid S3 bucket name \(3–63 lower-case/);
    }
    const { settings } = load({ TERRAFORM_S3_BUCKET_NAME: "team-tf-state.eu" });
    expect([settings.stateBucket, settings.stateRegion]).toEqual(["team-tf-state.eu", "us-east-1"]);
  });

  it("TERRAFORM_STATE_REGION must be a known region of the deployment's partition", () => {
    expect(problem({ TERRAFORM_STATE_REGION: "mars-east-1" }, "TERRAFORM_STATE_REGION")?.message).toBe(new UnknownRegionError("mars-east-1").message);
    expect(problem({ AWS_REGION: "us-gov-west-1", TERRAFORM_STATE_REGION: "us-east-1" }, "TERRAFORM_STATE_REGION")?.message).toMatch(
      /us-east-1 is in partition aws but the deployment is in aws-us-gov; the state bucket must be in the deployment's partition/,
    );
    expect(load({ TERRAFORM_S3_BUCKET_NAME: "tf-state", TERRAFORM_STATE_REGION: "us-west-2" }).settings.stateRegion).toBe("us-west-2");
  });

  it("TAGS: key=value pairs, no aws: prefix, AWS length limits", () => {
    expect(load({ TAGS: " team = ai , cost-center=42,empty=" }).settings.tags).toEqual({ team: "ai", "cost-center": "42", empty: "", Deployment: "genai-gateway" });
    expect(problem({ TAGS: "team=ai,owner" }, "TAGS")?.message).toBe('"owner" is not key=value; use TAGS=key=value,key2=value2');
    expect(problem({ TAGS: "=value" }, "TAGS")?.message).toMatch(/is not key=value/);
    expect(problem({ TAGS: "AWS:createdBy=me" }, "TAGS")?.message).toMatch(/"AWS:createdBy": the aws: prefix is reserved for AWS/);
    expect(problem({ TAGS: `${"k".repeat(129)}=v` }, "TAGS")?.message).toMatch(/limited to 128 characters and values to 256/);
    expect(problem({ TAGS: `k=${"v".repeat(257)}` }, "TAGS")?.message).toMatch(/limited to 128 characters and values to 256/);
    // Every bad pair is listed, not just the first.
    expect(variablesOf({ TAGS: "a,b=1,aws:x=1" })).toEqual(["TAGS", "TAGS"]);
  });

  it("EXISTING_VPC_ID format", () => {
    for (const bad of ["vpc-123", "vpc-0123456789ABCDEF0", "subnet-0123456789abcdef0", "0123456789abcdef0"]) {
      expect(problem({ EXISTING_VPC_ID: bad }, "EXISTING_VPC_ID")?.message, bad).toMatch(/is not a VPC id; .*vpc- followed by 8 or 17 hex digits/);
    }
    expect(load({ EXISTING_VPC_ID: "vpc-0123abcd" }).settings.network.existingVpcId).toBe("vpc-0123abcd");
  });

  it("VPC_CIDR must be an IPv4 CIDR from /16 to /22", () => {
    for (const bad of ["10.0.0.0", "10.0.0/16", "10.0.0.256/16", "fd00::/48"]) {
      expect(problem({ VPC_CIDR: bad }, "VPC_CIDR")?.message, bad).toMatch(/is not an IPv4 CIDR like 10\.0\.0\.0\/16/);
    }
    expect(problem({ VPC_CIDR: "10.0.0.0/8" }, "VPC_CIDR")?.message).toMatch(/\/8 is outside \/16–\/22; the VPC needs room/);
    expect(problem({ VPC_CIDR: "10.0.0.0/24" }, "VPC_CIDR")?.message).toMatch(/\/24 is outside \/16–\/22/);
    expect(load({ VPC_CIDR: "172.20.0.0/20" }).settings.network.vpcCidr).toBe("172.20.0.0/20");
  });

  it("AZ_COUNT is bounded by what the region offers", () => {
    expect(problem({ AZ_COUNT: "1" }, "AZ_COUNT")?.message).toMatch(/use a number from 2 to 6 \(us-east-1 offers 6 availability zones\)/);
    expect(problem({ AWS_REGION: "us-west-1", AZ_COUNT: "3" }, "AZ_COUNT")?.message).toMatch(/from 2 to 2 \(us-west-1 offers 2/);
    expect(load({ AZ_COUNT: "3" }).settings.network.azCount).toBe(3);
  });

  it("CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC without EXISTING_VPC_ID is a warning; with it, it decides", () => {
    expect(load({ CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC: "true" }).warnings).toContain(
      "CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC only applies with EXISTING_VPC_ID; a new VPC always gets its endpoints.",
    );
    expect(load({ EXISTING_VPC_ID: "vpc-0123abcd" }).settings.network.createVpcEndpoints).toBe(false);
    expect(load({ EXISTING_VPC_ID: "vpc-0123abcd", CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC: "true" }).settings.network.createVpcEndpoints).toBe(true);
  });
});

describe("settings rules: DNS and CloudFront", () => {
  it("HOSTED_ZONE_NAME must be a domain name (a trailing dot and upper case are normalized)", () => {
    for (const bad of ["example", "exa mple.com", "-example.com", "example.c0m-"]) {
      expect(problem({ HOSTED_ZONE_NAME: bad, USE_CLOUDFRONT: "false" }, "HOSTED_ZONE_NAME")?.message, bad).toMatch(/is not a domain name; give the zone's name, e\.g\. example\.com/);
    }
    expect(load({ HOSTED_ZONE_NAME: "Corp.Example.COM.", USE_CLOUDFRONT: "false" }).settings.dns.hostedZoneName).toBe("corp.example.com");
  });

  it("RECORD_NAME: a bad label, a full name without a zone, the zone apex, several labels", () => {
    const zone = { HOSTED_ZONE_NAME: "example.com", USE_CLOUDFRONT: "false" };
    expect(problem({ ...zone, RECORD_NAME: "gate_way" }, "RECORD_NAME")?.message).toMatch(/"gate_way" is not a DNS label/);
    expect(problem({ ...zone, RECORD_NAME: "-gw" }, "RECORD_NAME")?.message).toMatch(/is not a DNS label/);
    expect(problem({ RECORD_NAME: "gw.example.com", USE_CLOUDFRONT: "false" }, "RECORD_NAME")?.message).toMatch(
      /"gw\.example\.com" is a full name; give the label inside HOSTED_ZONE_NAME \(e\.g\. gateway\) and set HOSTED_ZONE_NAME/,
    );
    expect(problem({ ...zone, RECORD_NAME: "Example.com." }, "RECORD_NAME")?.message).toBe('"example.com" is the zone apex; use a label inside the zone, e.g. gateway');
    expect(problem({ ...zone, RECORD_NAME: "a.b.example.com" }, "RECORD_NAME")?.message).toMatch(/must be one label inside example\.com \(e\.g\. gateway\.example\.com\), not "a\.b"/);
  });

  it("CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC outside a private load balancer in an existing VPC is a warning", () => {
    const note = "CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC only applies with PUBLIC_LOAD_BALANCER=false and EXISTING_VPC_ID.";
    expect(load({ CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC: "true" }).warnings).toContain(note);
    const privateByo = load({ CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC: "true", PUBLIC_LOAD_BALANCER: "false", EXISTING_VPC_ID: "vpc-0123abcd" });
    expect(privateByo.warnings).not.toContain(note);
    expect(privateByo.settings.dns.createPrivateHostedZone).toBe(true);
  });

  it("HOSTED_ZONE_NAME/RECORD_NAME with USE_ROUTE53=false are ignored (warning), unless the zone names CloudFront's origin", () => {
    const note = "HOSTED_ZONE_NAME/RECORD_NAME are ignored because USE_ROUTE53=false.";
    expect(load({ USE_ROUTE53: "false", USE_CLOUDFRONT: "false", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw" }).warnings).toContain(note);
    expect(load({ USE_ROUTE53: "false", HOSTED_ZONE_NAME: "example.com" }).warnings).not.toContain(note);
  });

  it("CLOUDFRONT_CERTIFICATE_ARN is ignored where there is no CloudFront", () => {
    expect(load({ AWS_REGION: "us-gov-west-1", CLOUDFRONT_CERTIFICATE_ARN: acmArn("us-gov-west-1") }).warnings).toContain(
      "CLOUDFRONT_CERTIFICATE_ARN is ignored: there is no CloudFront in aws-us-gov.",
    );
  });

  it("CLOUDFRONT_ORIGIN_READ_TIMEOUT: 1–180 seconds, above 60 needs a quota increase", () => {
    expect(problem({ CLOUDFRONT_ORIGIN_READ_TIMEOUT: "181" }, "CLOUDFRONT_ORIGIN_READ_TIMEOUT")?.message).toMatch(/out of range; use a number from 1 to 180 seconds/);
    const long = load({ HOSTED_ZONE_NAME: "example.com", CLOUDFRONT_ORIGIN_READ_TIMEOUT: "120" });
    expect(long.settings.cloudFront.originReadTimeoutSeconds).toBe(120);
    expect(long.warnings).toContain("CLOUDFRONT_ORIGIN_READ_TIMEOUT=120: timeouts above 60 s need a CloudFront quota increase.");
    expect(load({ CLOUDFRONT_ORIGIN_READ_TIMEOUT: "120" }).warnings.some((w) => w.startsWith("CLOUDFRONT_ORIGIN_READ_TIMEOUT"))).toBe(false);
  });
});

describe("settings rules: capacity, EKS, database, Redis", () => {
  it("target-tracking percentages and requests per target are range-checked", () => {
    expect(problem({ ECS_CPU_TARGET_UTILIZATION_PERCENTAGE: "0" }, "ECS_CPU_TARGET_UTILIZATION_PERCENTAGE")?.message).toMatch(/from 1 to 100 %/);
    expect(problem({ ECS_MEMORY_TARGET_UTILIZATION_PERCENTAGE: "101" }, "ECS_MEMORY_TARGET_UTILIZATION_PERCENTAGE")?.message).toMatch(/from 1 to 100 %/);
    expect(problem({ ECS_REQUESTS_PER_TARGET: "0" }, "ECS_REQUESTS_PER_TARGET")?.message).toMatch(/from 1 to 1000000/);
  });

  it("ECS_VCPUS together with ECS_CPU or ECS_MEMORY", () => {
    const combos: Record<string, string>[] = [{ ECS_VCPUS: "2", ECS_CPU: "2048" }, { ECS_VCPUS: "2", ECS_MEMORY: "4096" }, { ECS_VCPUS: "2", ECS_CPU: "2048", ECS_MEMORY: "4096" }];
    for (const env of combos) {
      expect(problemsFor(env)).toEqual([{ variable: "ECS_VCPUS + ECS_CPU/ECS_MEMORY", message: "set either ECS_VCPUS (older sizing) or ECS_CPU and ECS_MEMORY, not both" }]);
    }
  });

  it("ECS_CPU and ECS_MEMORY ranges; Fargate sizes are checked on ECS only", () => {
    expect(problem({ ECS_CPU: "128" }, "ECS_CPU")?.message).toMatch(/from 256 to 16384 CPU units/);
    expect(problem({ ECS_CPU: "3000" }, "ECS_CPU")?.message).toMatch(/3000 is not a Fargate CPU size; use one of 256, 512, 1024/);
    expect(problem({ ECS_MEMORY: "256" }, "ECS_MEMORY")?.message).toMatch(/from 512 to 122880 MiB/);
    expect(problem({ ECS_VCPUS: "two" }, "ECS_VCPUS")?.message).toMatch(/"two" vCPUs is not a Fargate size/);
    const eks = { DEPLOYMENT_PLATFORM: "EKS", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1") };
    expect(load({ ...eks, ECS_CPU: "3000", ECS_MEMORY: "5000" }).settings.ecs).toEqual({ cpu: 3000, memory: 5000 });
  });

  it("EXISTING_EKS_CLUSTER_NAME: ignored on ECS (warning), name format on EKS", () => {
    expect(load({ EXISTING_EKS_CLUSTER_NAME: "prod" }).warnings).toContain("EXISTING_EKS_CLUSTER_NAME is ignored with DEPLOYMENT_PLATFORM=ECS.");
    const eks = { DEPLOYMENT_PLATFORM: "EKS", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1"), EXISTING_VPC_ID: "vpc-0123abcd" };
    expect(problem({ ...eks, EXISTING_EKS_CLUSTER_NAME: "prod cluster" }, "EXISTING_EKS_CLUSTER_NAME")?.message).toMatch(/"prod cluster" is not an EKS cluster name/);
    expect(problem({ ...eks, EXISTING_EKS_CLUSTER_NAME: "-prod" }, "EXISTING_EKS_CLUSTER_NAME")?.message).toMatch(/not an EKS cluster name/);
  });

  it("INSTALL_ADD_ONS_IN_EXISTING_EKS_CLUSTER without an existing cluster is a warning", () => {
    expect(load({ INSTALL_ADD_ONS_IN_EXISTING_EKS_CLUSTER: "true" }).warnings).toContain(
      "INSTALL_ADD_ONS_IN_EXISTING_EKS_CLUSTER only applies with EXISTING_EKS_CLUSTER_NAME; a new cluster always gets its add-ons.",
    );
  });

  it("EKS_CLUSTER_VERSION must look like 1.33", () => {
    for (const bad of ["1.3", "v1.33", "2.0", "1.33.1", "latest"]) {
      expect(problem({ EKS_CLUSTER_VERSION: bad }, "EKS_CLUSTER_VERSION")?.message, bad).toBe(`"${bad}" is not a Kubernetes version like 1.33`);
    }
    expect(load({ EKS_CLUSTER_VERSION: "1.34" }).settings.eks.clusterVersion).toBe("1.34");
  });

  it("EKS node instance type format, and x86 nodes with a Graviton type or an ARM AMI", () => {
    const eks = { DEPLOYMENT_PLATFORM: "EKS", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1") };
    expect(problem({ ...eks, EKS_ARM_INSTANCE_TYPE: "medium" }, "EKS_ARM_INSTANCE_TYPE")?.message).toBe('"medium" is not an EC2 instance type like t4g.medium');
    const x86 = { ...eks, CPU_ARCHITECTURE: "x86_64" };
    expect(problem({ ...x86, EKS_X86_INSTANCE_TYPE: "m7g.large" }, "EKS_X86_INSTANCE_TYPE")?.message).toMatch(/m7g\.large is an arm64 \(Graviton\) instance type but CPU_ARCHITECTURE is x86_64/);
    expect(problem({ ...x86, EKS_X86_AMI_TYPE: "AL2023_ARM_64_STANDARD" }, "EKS_X86_AMI_TYPE")?.message).toMatch(/does not match CPU_ARCHITECTURE=x86_64; use AL2023_x86_64_STANDARD/);
    expect(problem({ ...eks, EKS_ARM_AMI_TYPE: "AL2023_x86_64_STANDARD" }, "EKS_ARM_AMI_TYPE")?.message).toMatch(/does not match CPU_ARCHITECTURE=arm64; use AL2023_ARM_64_STANDARD/);
    // AL2 is still published for older Kubernetes versions.
    expect(problemsFor({ ...eks, EKS_CLUSTER_VERSION: "1.32", EKS_ARM_AMI_TYPE: "AL2_ARM_64" })).toEqual([]);
  });

  it("RDS_INSTANCE_CLASS must look like db.t4g.small; storage and backup retention ranges", () => {
    for (const bad of ["t4g.small", "db.t4g", "cache.t4g.micro", "db.T4G.small"]) {
      expect(problem({ RDS_INSTANCE_CLASS: bad }, "RDS_INSTANCE_CLASS")?.message, bad).toBe(`"${bad}" is not an RDS instance class like db.t4g.small`);
    }
    expect(problem({ RDS_ALLOCATED_STORAGE_GB: "10" }, "RDS_ALLOCATED_STORAGE_GB")?.message).toMatch(/from 20 to 65536 GiB/);
    expect(problem({ RDS_BACKUP_RETENTION_DAYS: "36" }, "RDS_BACKUP_RETENTION_DAYS")?.message).toMatch(/from 0 to 35 days/);
  });

  it("RDS_BACKUP_RETENTION_DAYS=0 warns that backups are off", () => {
    expect(load({ RDS_BACKUP_RETENTION_DAYS: "0" }).warnings).toContain("RDS_BACKUP_RETENTION_DAYS=0 disables automated database backups.");
  });

  it("REDIS_NODE_TYPE must look like cache.t4g.micro; REDIS_NUM_CACHE_CLUSTERS 1–6", () => {
    for (const bad of ["t4g.micro", "db.t4g.micro", "cache.t4g"]) {
      expect(problem({ REDIS_NODE_TYPE: bad }, "REDIS_NODE_TYPE")?.message, bad).toBe(`"${bad}" is not an ElastiCache node type like cache.t4g.micro`);
    }
    expect(problem({ REDIS_NUM_CACHE_CLUSTERS: "7" }, "REDIS_NUM_CACHE_CLUSTERS")?.message).toMatch(/from 1 to 6 nodes/);
  });
});

describe("settings rules: images and observability", () => {
  it("image tags with characters a registry refuses", () => {
    expect(problem({ LITELLM_VERSION: "v1.2.3+build" }, "LITELLM_VERSION")?.message).toMatch(/"v1\.2\.3\+build" is not a valid image tag/);
    expect(problem({ MIDDLEWARE_IMAGE_TAG: `1${"a".repeat(128)}` }, "MIDDLEWARE_IMAGE_TAG")?.message).toMatch(/is not a valid image tag .*up to 128/);
    expect(problem({ MIDDLEWARE_IMAGE_TAG: "" }, "MIDDLEWARE_IMAGE_TAG")?.message).toMatch(/is set but empty/);
  });

  it("LITELLM_IMAGE_DIGEST / MIDDLEWARE_IMAGE_DIGEST must be sha256 digests", () => {
    const good = `sha256:${"a1".repeat(32)}`;
    for (const name of ["LITELLM_IMAGE_DIGEST", "MIDDLEWARE_IMAGE_DIGEST"]) {
      for (const bad of ["a1".repeat(32), `sha256:${"a".repeat(63)}`, `sha256:${"A".repeat(64)}`, `sha512:${"a".repeat(64)}`]) {
        expect(problem({ [name]: bad }, name)?.message, `${name}=${bad}`).toBe(`"${bad}" is not an image digest (sha256: followed by 64 hex digits)`);
      }
    }
    expect(load({ LITELLM_IMAGE_DIGEST: good, MIDDLEWARE_IMAGE_DIGEST: good }).settings.images).toMatchObject({ litellmDigest: good, middlewareDigest: good });
  });

  it("LITELLM_SOURCE_IMAGE: a repository without scheme, tag or digest, read from .env too", () => {
    expect(load({}).settings.images.litellmSourceImage).toBeUndefined();
    for (const good of ["registry.example.cn/mirror/berriai/litellm", "registry.example.cn:5000/litellm", "mirror.example/berriai/litellm__x"]) {
      expect(load({ LITELLM_SOURCE_IMAGE: good }).settings.images.litellmSourceImage, good).toBe(good);
    }
    expect(problem({ LITELLM_SOURCE_IMAGE: "https://registry.example.cn/litellm" }, "LITELLM_SOURCE_IMAGE")?.message).toMatch(/has a scheme; give the repository as host\/path/);
    for (const tagged of ["registry.example.cn/litellm:main-v1.80.0", "registry.example.cn/litellm@sha256:abc", "litellm:1"]) {
      expect(problem({ LITELLM_SOURCE_IMAGE: tagged }, "LITELLM_SOURCE_IMAGE")?.message, tagged).toMatch(/has a tag or digest; give the repository only \(the tag is always LITELLM_VERSION\)/);
    }
    for (const bad of ["Registry.Example/LiteLLM", "registry.example.cn/mirror litellm", "registry.example.cn//litellm"]) {
      expect(problem({ LITELLM_SOURCE_IMAGE: bad }, "LITELLM_SOURCE_IMAGE")?.message, bad).toMatch(/is not an image repository/);
    }
    const dir = mkdtempSync(join(tmpdir(), "gw-settings-"));
    try {
      writeFileSync(join(dir, ".env"), "LITELLM_SOURCE_IMAGE=registry.example.cn/mirror/berriai/litellm\n");
      const fromFile = loadSettings({ cwd: dir, env: {} });
      expect(fromFile.settings.images.litellmSourceImage).toBe("registry.example.cn/mirror/berriai/litellm");
      expect(fromFile.warnings.filter((w) => w.startsWith(".env"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("LangSmith project/run name without the key are ignored (warning)", () => {
    expect(load({ LANGSMITH_PROJECT: "gw" }).warnings).toContain("LANGSMITH_PROJECT/LANGSMITH_DEFAULT_RUN_NAME are ignored without LANGSMITH_API_KEY.");
  });

  it("LANGFUSE_HOST must be https, and is ignored without the keys", () => {
    expect(problem({ LANGFUSE_HOST: "http://langfuse.internal" }, "LANGFUSE_HOST")?.message).toBe('"http://langfuse.internal" is not an https:// URL');
    expect(load({ LANGFUSE_HOST: "https://langfuse.internal" }).warnings).toContain("LANGFUSE_HOST is ignored without the Langfuse keys.");
  });

  it("GLOBAL_BEDROCK_* outside China are ignored (warning)", () => {
    expect(load({ GLOBAL_BEDROCK_REGIONS: "us-west-2" }).warnings).toContain("GLOBAL_BEDROCK_* settings are ignored outside the China regions (Bedrock runs in-region).");
  });

  it("outbound-disabled mode: OIDC issuer reachability and endpoints of an existing VPC are warnings", () => {
    const off = { DISABLE_OUTBOUND_NETWORK_ACCESS: "true" };
    expect(load({ ...off, OIDC_ISSUER: "https://idp.example.com" }).warnings).toContain(
      "OIDC_ISSUER must be reachable from the isolated private subnets for JWKS discovery (DISABLE_OUTBOUND_NETWORK_ACCESS=true).",
    );
    const byo = load({ ...off, EXISTING_VPC_ID: "vpc-0123abcd" });
    expect(byo.warnings.some((w) => w.startsWith("DISABLE_OUTBOUND_NETWORK_ACCESS=true with EXISTING_VPC_ID") && w.includes("must already have endpoints"))).toBe(true);
    expect(load({ ...off, EXISTING_VPC_ID: "vpc-0123abcd", CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC: "true" }).warnings.some((w) => w.includes("must already have endpoints"))).toBe(false);
  });
});

describe("outbound-disabled mode and borrowed Bedrock catalogs", () => {
  it("a region that borrows another region's catalog cannot run without outbound access", () => {
    const p = problem({ AWS_REGION: "ca-west-1", DISABLE_OUTBOUND_NETWORK_ACCESS: "true" }, "AWS_REGION + DISABLE_OUTBOUND_NETWORK_ACCESS");
    expect(p?.message).toMatch(/ca-west-1 has no Bedrock catalog of its own and borrows ca-central-1's/);
    expect(p?.message).toMatch(/VPC endpoints reach Bedrock in ca-west-1 only/);
    expect(p?.message).toMatch(/add config\/litellm\/ca-west-1\.yaml .*, deploy in ca-central-1, or set DISABLE_OUTBOUND_NETWORK_ACCESS=false$/);
    // The name the region came from is the one to fix.
    expect(variablesOf({ AWS_DEFAULT_REGION: "af-south-1", DISABLE_OUTBOUND_NETWORK_ACCESS: "true" })).toEqual(["AWS_DEFAULT_REGION + DISABLE_OUTBOUND_NETWORK_ACCESS"]);
    // With outbound access, borrowing is allowed (the render warns about data residency).
    expect(problemsFor({ AWS_REGION: "ca-west-1" })).toEqual([]);
    expect(problemsFor({ AWS_REGION: "eu-west-2", DISABLE_OUTBOUND_NETWORK_ACCESS: "true" })).toEqual([]);
  });
});

describe("middleware: self sign-up policy and history size", () => {
  const oidc = { OIDC_ISSUER: "https://idp.example.com/oauth2/default" };

  it("defaults: the documented field list, no caps, the middleware's algorithms, 200 history messages", () => {
    const { middleware } = load(oidc).settings;
    expect(middleware.signup).toEqual({ allowedFields: ["user_email", "user_alias", "metadata"] });
    expect(middleware.oidcAlgorithms).toBeUndefined();
    expect(middleware.historyMaxMessages).toBe(200);
  });

  it("values are parsed, trimmed, de-duplicated and algorithm names canonical", () => {
    const { middleware } = load({
      ...oidc, OIDC_ALGORITHMS: "rs256, ES384 ,eddsa,RS256", SIGNUP_ALLOWED_FIELDS: "key_alias, models,max_budget,models",
      SIGNUP_MAX_BUDGET: "12.5", SIGNUP_ALLOWED_MODELS: "claude-haiku-4-5, nova-lite", SIGNUP_MAX_KEYS: "3", CHAT_HISTORY_MAX_MESSAGES: "0",
    }).settings;
    expect(middleware.oidcAlgorithms).toEqual(["RS256", "ES384", "EdDSA"]);
    expect(middleware.signup).toEqual({ allowedFields: ["key_alias", "models", "max_budget"], maxBudget: 12.5, allowedModels: ["claude-haiku-4-5", "nova-lite"], maxKeys: 3 });
    expect(middleware.historyMaxMessages).toBe(0);
  });

  it("OIDC_ALGORITHMS accepts asymmetric algorithms only", () => {
    const p = problem({ ...oidc, OIDC_ALGORITHMS: "RS256,HS256,none" }, "OIDC_ALGORITHMS");
    expect(p?.message).toMatch(/^HS256, none not accepted: only asymmetric algorithms/);
    expect(p?.message).toMatch(/use RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519$/);
    expect(problem({ ...oidc, OIDC_ALGORITHMS: "RSA256" }, "OIDC_ALGORITHMS")?.message).toMatch(/^RSA256 not accepted/);
    expect(problem({ ...oidc, OIDC_ALGORITHMS: " , " }, "OIDC_ALGORITHMS")?.message).toMatch(/lists nothing/);
  });

  it("SIGNUP_ALLOWED_FIELDS: field names only, never fields that grant tenancy or privileges", () => {
    expect(problem({ ...oidc, SIGNUP_ALLOWED_FIELDS: "user_alias,team_id,permissions" }, "SIGNUP_ALLOWED_FIELDS")?.message).toMatch(
      /^team_id, permissions grant tenancy or privileges and cannot be self-service .*remove them$/,
    );
    expect(problem({ ...oidc, SIGNUP_ALLOWED_FIELDS: "user alias,Models" }, "SIGNUP_ALLOWED_FIELDS")?.message).toMatch(/"user alias", "Models" is not a request field name/);
    expect(problem({ ...oidc, SIGNUP_ALLOWED_FIELDS: "," }, "SIGNUP_ALLOWED_FIELDS")?.message).toMatch(/lists nothing; .*remove the line for the default/);
  });

  it("SIGNUP_MAX_BUDGET must be a positive amount", () => {
    for (const bad of ["0", "-5", "ten", "1e3", "NaN"]) {
      expect(problem({ ...oidc, SIGNUP_MAX_BUDGET: bad }, "SIGNUP_MAX_BUDGET")?.message, bad).toMatch(/is not a positive amount; give the budget cap in USD/);
    }
  });

  it("SIGNUP_ALLOWED_MODELS must name at least one model (LiteLLM reads [] as every model)", () => {
    expect(problem({ ...oidc, SIGNUP_ALLOWED_MODELS: " , ," }, "SIGNUP_ALLOWED_MODELS")?.message).toMatch(/lists nothing; LiteLLM reads an empty model list as every model/);
  });

  it("SIGNUP_MAX_KEYS must be a whole number from 1", () => {
    expect(problem({ ...oidc, SIGNUP_MAX_KEYS: "0" }, "SIGNUP_MAX_KEYS")?.message).toMatch(/out of range; use a number from 1 to 1000000 keys per user/);
    expect(problem({ ...oidc, SIGNUP_MAX_KEYS: "2.5" }, "SIGNUP_MAX_KEYS")?.message).toMatch(/not a whole number/);
  });

  it("sign-up settings without OIDC_ISSUER are ignored (warning), still validated", () => {
    expect(load({ SIGNUP_MAX_KEYS: "2", OIDC_ALGORITHMS: "ES256" }).warnings).toContain("OIDC_ALGORITHMS, SIGNUP_MAX_KEYS are ignored without OIDC_ISSUER (self sign-up is off).");
    expect(load({ SIGNUP_MAX_BUDGET: "5" }).warnings).toContain("SIGNUP_MAX_BUDGET is ignored without OIDC_ISSUER (self sign-up is off).");
    expect(load(oidc).warnings.some((w) => w.includes("without OIDC_ISSUER"))).toBe(false);
    expect(variablesOf({ SIGNUP_MAX_KEYS: "0" })).toEqual(["SIGNUP_MAX_KEYS"]);
  });

  it("UI_USERNAME: admin by default, a plain user name, ignored (warning) without the admin UI", () => {
    expect(load({}).settings.middleware.adminUiUsername).toBe("admin");
    expect(load({ UI_USERNAME: "ops.team@example.com" }).settings.middleware.adminUiUsername).toBe("ops.team@example.com");
    for (const bad of ["two words", "-dash", "a".repeat(65), "admin:x", "ädmin"]) {
      expect(problem({ UI_USERNAME: bad }, "UI_USERNAME")?.message, bad).toMatch(/is not an admin UI user name; use 1–64 letters, digits and \. _ @ \+ -/);
    }
    expect(load({ DISABLE_ADMIN_UI: "true", UI_USERNAME: "ops" }).warnings).toContain("UI_USERNAME is ignored with DISABLE_ADMIN_UI=true (the admin UI is off).");
    expect(load({ DISABLE_ADMIN_UI: "true" }).warnings.some((w) => w.startsWith("UI_USERNAME"))).toBe(false);
  });

  it("CHAT_HISTORY_MAX_MESSAGES: 0 (unlimited) up to 100000", () => {
    expect(problem({ CHAT_HISTORY_MAX_MESSAGES: "-1" }, "CHAT_HISTORY_MAX_MESSAGES")?.message).toMatch(/out of range; use a number from 0 to 100000 messages \(0 = unlimited\)/);
    expect(problem({ CHAT_HISTORY_MAX_MESSAGES: "lots" }, "CHAT_HISTORY_MAX_MESSAGES")?.message).toMatch(/not a whole number/);
    expect(load({ CHAT_HISTORY_MAX_MESSAGES: "1000" }).settings.middleware.historyMaxMessages).toBe(1000);
  });

  it("CHAT_HISTORY_RETENTION_DAYS: 0 (forever) up to 36500", () => {
    expect(problem({ CHAT_HISTORY_RETENTION_DAYS: "36501" }, "CHAT_HISTORY_RETENTION_DAYS")?.message).toMatch(/out of range; use a number from 0 to 36500 days/);
    expect(load({ CHAT_HISTORY_RETENTION_DAYS: "0" }).settings.middleware.historyRetentionDays).toBe(0);
  });
});
