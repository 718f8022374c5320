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
