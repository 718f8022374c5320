// loadSettings(): environment + optional .env -> one validated Settings object. Every rule records a problem and
// carries on, so a configuration with several mistakes gets one SettingsError listing all of them.
import { resolve } from "node:path";
import {
  UnknownRegionError,
  bedrockTargetRegions,
  parseArn,
  partitionOf,
  regionCaveats,
  regionFacts,
  type PartitionId,
  type RegionFacts,
} from "@gw/partition";
import { borrowedCatalogOffline, chooseCatalog } from "./catalog";
import { readDotenvFile } from "./dotenv";
import { EnvReader } from "./env-reader";
import { SettingsError } from "./errors";
import { FARGATE_CPUS, FARGATE_SIZES, describeFargateMemory, isValidFargateSize } from "./fargate";
import { loadBalancerCertificatePlan } from "./load-balancer-tls";
import { SIGNUP_VARIABLES, readOidcAlgorithms, readSignupPolicy } from "./signup";
import type { CpuArchitecture, LoadedSettings, Platform, Settings, SettingsProblem } from "./types";
import { deepFreeze } from "./util";
import { KNOWN_VARIABLE_NAMES, PROVIDER_KEY_NAMES } from "./variables";

export interface LoadSettingsOptions {
  /** Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of a .env file, or false for none. Default: `.env` in cwd, read when present. A given path must exist. */
  readonly envFile?: string | false;
  /** Directory of the default .env file. Default process.cwd(). */
  readonly cwd?: string;
}

const DEPLOYMENT_NAME_RE = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){2,23}$/;
const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const VPC_ID_RE = /^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const BUCKET_RE = /^(?!xn--)(?!sthree-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IMAGE_TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const IAM_CERT_ID_RE = /^ASC[A-Z0-9]{15,}$/;
const ACCESS_KEY_ID_RE = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/;
const UI_USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
/** A container repository reference: registry host (optional port) and path components, lower case. */
const REPOSITORY_RE = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const FARGATE_VCPUS = [0.25, 0.5, 1, 2, 4, 8, 16];
const LANGFUSE_CLOUD_RE = /(^|\.)langfuse\.com$/i;

const PLATFORMS: Readonly<Record<string, Platform>> = { ecs: "ecs", eks: "eks" };
const ARCHITECTURES: Readonly<Record<string, CpuArchitecture>> = {
  arm: "arm64", arm64: "arm64", aarch64: "arm64", x86: "x86_64", x86_64: "x86_64", amd64: "x86_64",
};
const PRICE_CLASSES: Readonly<Record<string, Settings["cloudFront"]["priceClass"]>> = {
  priceclass_100: "PriceClass_100", priceclass_200: "PriceClass_200", priceclass_all: "PriceClass_All",
};

/** Loads, validates and returns the deployment settings; throws SettingsError listing every problem. */
export function loadSettings(opts: LoadSettingsOptions = {}): LoadedSettings {
  const warnings: string[] = [];
  const fileProblems: SettingsProblem[] = [];
  const env = mergeEnvironment(opts, fileProblems, warnings);
  const r = new EnvReader(env);
  r.problems.push(...fileProblems);
  const secrets: Record<string, string> = {};

  // --- general -------------------------------------------------------------------------------------------------
  const deploymentName = r.string("DEPLOYMENT_NAME")!;
  if (!DEPLOYMENT_NAME_RE.test(deploymentName) || deploymentName.startsWith("internal-")) {
    r.problem(
      "DEPLOYMENT_NAME",
      `"${deploymentName}" is not a valid deployment name; use 3–24 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen (e.g. "genai-gateway")`,
    );
  }
  const regionRaw = r.raw("AWS_REGION", { firstWins: true })!;
  const region = regionRaw.value;
  let partition: PartitionId | undefined;
  let facts: RegionFacts | undefined;
  try {
    partition = partitionOf(region);
    facts = regionFacts(region);
  } catch (e) {
    if (!(e instanceof UnknownRegionError)) throw e;
    r.problem(regionRaw.from, e.message);
  }
  const platform = r.oneOf("DEPLOYMENT_PLATFORM", PLATFORMS, "ECS or EKS") ?? "ecs";
  const architecture = r.oneOf("CPU_ARCHITECTURE", ARCHITECTURES, "arm64 (or arm, aarch64) or x86_64 (or x86, amd64)") ?? "arm64";
  const stateBucket = r.string("TERRAFORM_S3_BUCKET_NAME");
  if (stateBucket !== undefined && !BUCKET_RE.test(stateBucket)) {
    r.problem("TERRAFORM_S3_BUCKET_NAME", `"${stateBucket}" is not a valid S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)`);
  }
  const stateRegion = r.string("TERRAFORM_STATE_REGION");
  if (stateRegion !== undefined) {
    try {
      const p = partitionOf(stateRegion);
      if (partition && p !== partition) {
        r.problem("TERRAFORM_STATE_REGION", `${stateRegion} is in partition ${p} but the deployment is in ${partition}; the state bucket must be in the deployment's partition`);
      }
    } catch (e) {
      if (!(e instanceof UnknownRegionError)) throw e;
      r.problem("TERRAFORM_STATE_REGION", e.message);
    }
  }
  const tags = parseTags(r, deploymentName);

  // --- network -------------------------------------------------------------------------------------------------
  const existingVpcId = r.string("EXISTING_VPC_ID");
  if (existingVpcId !== undefined && !VPC_ID_RE.test(existingVpcId)) {
    r.problem("EXISTING_VPC_ID", `"${existingVpcId}" is not a VPC id; use the id shown by the VPC console (vpc- followed by 8 or 17 hex digits)`);
  }
  const vpcCidr = r.string("VPC_CIDR")!;
  checkCidr(r, vpcCidr);
  const maxAz = Math.min(6, facts?.availabilityZoneCount ?? 6);
  const azCount = r.int("AZ_COUNT", 2, maxAz, facts ? `(${region} offers ${facts.availabilityZoneCount} availability zones)` : "") ?? 2;
  const outboundDisabled = r.bool("DISABLE_OUTBOUND_NETWORK_ACCESS") ?? false;
  const endpointsInExisting = r.bool("CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC") ?? false;
  const createVpcEndpoints = existingVpcId === undefined ? true : endpointsInExisting;
  if (existingVpcId === undefined && r.user("CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC")) {
    warnings.push("CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC only applies with EXISTING_VPC_ID; a new VPC always gets its endpoints.");
  }
  const publicLoadBalancer = r.bool("PUBLIC_LOAD_BALANCER") ?? true;

  // --- DNS -----------------------------------------------------------------------------------------------------
  const useRoute53Raw = r.bool("USE_ROUTE53");
  const hostedZoneName = normalizeDomain(r.string("HOSTED_ZONE_NAME"));
  if (hostedZoneName !== undefined && !DOMAIN_RE.test(hostedZoneName)) {
    r.problem("HOSTED_ZONE_NAME", `"${hostedZoneName}" is not a domain name; give the zone's name, e.g. example.com`);
  }
  const recordRaw = normalizeDomain(r.string("RECORD_NAME"));
  let useRoute53: boolean;
  if (platform === "eks") {
    if (useRoute53Raw === false) {
      r.problem("USE_ROUTE53", "must not be false on EKS: the ingress publishes the gateway under RECORD_NAME.HOSTED_ZONE_NAME; remove USE_ROUTE53 or set it to true");
    }
    useRoute53 = true;
  } else if (useRoute53Raw === undefined && hostedZoneName && recordRaw) {
    useRoute53 = true;
    warnings.push("USE_ROUTE53 is not set; enabled because HOSTED_ZONE_NAME and RECORD_NAME are both set (set USE_ROUTE53=false to keep the load balancer's own name).");
  } else {
    useRoute53 = useRoute53Raw ?? false;
  }
  if (useRoute53) {
    const missing = [!hostedZoneName && "HOSTED_ZONE_NAME", !recordRaw && "RECORD_NAME"].filter((x): x is string => !!x);
    if (missing.length > 0) {
      const why = platform === "eks"
        ? "the EKS ingress needs a host name (RECORD_NAME inside HOSTED_ZONE_NAME) and an ACM certificate (CERTIFICATE_ARN)"
        : "USE_ROUTE53=true publishes RECORD_NAME inside HOSTED_ZONE_NAME";
      r.problem(missing.join(" + "), `not set; ${why}: set ${missing.join(" and ")}${platform === "ecs" ? " or USE_ROUTE53=false" : ""}`);
    }
    if (facts && !facts.publicRoute53 && publicLoadBalancer) {
      r.problem(
        "USE_ROUTE53 + PUBLIC_LOAD_BALANCER",
        `${region} has no public Route 53 hosted zones (public DNS lives in the commercial partition); use PUBLIC_LOAD_BALANCER=false with a private zone, or create the public record in a commercial account and set USE_ROUTE53=false`,
      );
    }
  }
  const recordLabel = reduceRecordName(r, recordRaw, hostedZoneName, warnings);
  const fqdn = recordLabel && hostedZoneName ? `${recordLabel}.${hostedZoneName}` : undefined;
  const createPrivateHostedZone = r.bool("CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC") ?? false;
  if (createPrivateHostedZone && (publicLoadBalancer || !existingVpcId)) {
    warnings.push("CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC only applies with PUBLIC_LOAD_BALANCER=false and EXISTING_VPC_ID.");
  }
  const albCertificateArn = r.string("CERTIFICATE_ARN");
  if (albCertificateArn !== undefined && partition) {
    const a = parseArn(albCertificateArn);
    if (!a || a.service !== "acm" || a.partition !== partition || a.region !== region) {
      r.problem("CERTIFICATE_ARN", `must be the ARN of an ACM certificate in ${region} (partition ${partition}) for the load balancer; request or import one there`);
    }
  }
  if (!albCertificateArn && platform === "eks") {
    r.problem("CERTIFICATE_ARN", `not set; the EKS ingress needs an ACM certificate in ${region} for ${fqdn ?? "RECORD_NAME.HOSTED_ZONE_NAME"}`);
  }

  // --- CloudFront ----------------------------------------------------------------------------------------------
  // CloudFront validates the origin's certificate against the origin's DNS name, which can never be the ALB's own
  // name: it needs a public zone for a stack-managed origin name, or an operator-managed name with its certificate.
  const cfRaw = r.bool("USE_CLOUDFRONT");
  const originDomain = normalizeDomain(r.string("CLOUDFRONT_ORIGIN_DOMAIN"));
  if (originDomain !== undefined && !DOMAIN_RE.test(originDomain)) {
    r.problem("CLOUDFRONT_ORIGIN_DOMAIN", `"${originDomain}" is not a domain name; give the name that CERTIFICATE_ARN covers and that points at the load balancer, e.g. gateway-origin.example.com`);
  }
  const originNameable = (hostedZoneName !== undefined && !!facts?.publicRoute53) || (originDomain !== undefined && albCertificateArn !== undefined);
  const cfDefaultCandidate = partition === "aws" && platform === "ecs" && publicLoadBalancer;
  const cfEnabled = cfRaw ?? (cfDefaultCandidate && originNameable);
  const originHowTo =
    "set HOSTED_ZONE_NAME to a public Route 53 zone (the stack points <record>-origin.<zone> at the load balancer and issues a DNS-validated ACM certificate for it; " +
    "clients still use the *.cloudfront.net domain unless USE_ROUTE53 publishes RECORD_NAME), or set CLOUDFRONT_ORIGIN_DOMAIN to a name you point at the load balancer " +
    "and CERTIFICATE_ARN to a certificate covering it";
  if (cfRaw === undefined && cfDefaultCandidate && !cfEnabled) {
    warnings.push(
      "USE_CLOUDFRONT defaults to false because HOSTED_ZONE_NAME is not set: CloudFront validates the origin's certificate against the origin's DNS name, " +
        "and no certificate can match the load balancer's own name, so clients reach the load balancer directly. To put CloudFront in front, " +
        `${originHowTo}.`,
    );
  }
  if (facts && cfEnabled && facts.cloudFront === "available" && publicLoadBalancer && !originNameable && originDomain === undefined) {
    r.problem(
      "USE_CLOUDFRONT + HOSTED_ZONE_NAME",
      "CloudFront validates the origin's certificate against the origin's DNS name, and no certificate can match the load balancer's own name " +
        `(every request would fail with 502): ${originHowTo}; or set USE_CLOUDFRONT=false`,
    );
  }
  if (originDomain !== undefined) {
    if (!cfEnabled) {
      warnings.push("CLOUDFRONT_ORIGIN_DOMAIN is ignored because CloudFront is off (USE_CLOUDFRONT).");
    } else {
      if (!albCertificateArn) {
        r.problem(
          "CLOUDFRONT_ORIGIN_DOMAIN + CERTIFICATE_ARN",
          `CloudFront validates the load balancer's certificate against ${originDomain}, and the stack cannot issue one for a name outside a zone it manages: ` +
            `set CERTIFICATE_ARN to an ACM certificate in ${region} covering ${originDomain}, or remove CLOUDFRONT_ORIGIN_DOMAIN and set HOSTED_ZONE_NAME`,
        );
      }
      if (originDomain === fqdn) {
        r.problem("CLOUDFRONT_ORIGIN_DOMAIN", `${originDomain} is the name clients use, which points at CloudFront; the origin needs its own name pointing at the load balancer`);
      }
    }
  }
  if (!useRoute53 && (hostedZoneName || recordRaw) && !(cfEnabled && hostedZoneName && originDomain === undefined)) {
    warnings.push("HOSTED_ZONE_NAME/RECORD_NAME are ignored because USE_ROUTE53=false.");
  }
  const cfCertRaw = r.string("CLOUDFRONT_CERTIFICATE_ARN");
  let cloudFrontCertificateArn = cfCertRaw;
  if (facts && cfEnabled) {
    if (facts.cloudFront === "absent") {
      r.problem("USE_CLOUDFRONT", `CloudFront does not exist in ${partition} (${region}); set USE_CLOUDFRONT=false and expose the load balancer directly`);
    } else {
      if (!publicLoadBalancer) {
        r.problem("USE_CLOUDFRONT + PUBLIC_LOAD_BALANCER", "CloudFront cannot reach an internal load balancer; set PUBLIC_LOAD_BALANCER=true or USE_CLOUDFRONT=false");
      }
      if (facts.cloudFront === "icp-required" && !(useRoute53 && fqdn)) {
        r.problem(
          "USE_CLOUDFRONT",
          "CloudFront in China cannot serve its default *.cloudfront.cn domain: it needs an ICP-recorded custom domain (USE_ROUTE53=true, HOSTED_ZONE_NAME, RECORD_NAME) and an IAM server certificate (CLOUDFRONT_CERTIFICATE_ARN); otherwise set USE_CLOUDFRONT=false",
        );
      }
    }
  }
  if (cfCertRaw !== undefined && facts) {
    if (facts.cloudFront === "absent") {
      warnings.push(`CLOUDFRONT_CERTIFICATE_ARN is ignored: there is no CloudFront in ${partition}.`);
    } else if (facts.cloudFront === "icp-required") {
      const a = parseArn(cfCertRaw);
      const iamArn = a && a.service === "iam" && a.partition === partition && a.resource.startsWith("server-certificate/");
      if (!iamArn && !IAM_CERT_ID_RE.test(cfCertRaw)) {
        r.problem("CLOUDFRONT_CERTIFICATE_ARN", "CloudFront in China does not support ACM: give the id (ASC…) or ARN of a certificate uploaded to IAM under the /cloudfront/ path");
      }
    } else {
      const a = parseArn(cfCertRaw);
      if (!a || a.service !== "acm" || a.partition !== "aws" || a.region !== "us-east-1") {
        r.problem("CLOUDFRONT_CERTIFICATE_ARN", "CloudFront only uses ACM certificates from us-east-1: request or import the certificate for your domain in us-east-1 and give its ARN");
      }
    }
  }
  if (cloudFrontCertificateArn === undefined && partition === "aws" && region === "us-east-1" && albCertificateArn) {
    // In us-east-1 one ACM certificate serves both the load balancer and CloudFront.
    cloudFrontCertificateArn = albCertificateArn;
  }
  if (facts && cfEnabled && useRoute53 && cloudFrontCertificateArn === undefined && facts.cloudFront === "available") {
    r.problem(
      "USE_CLOUDFRONT + CLOUDFRONT_CERTIFICATE_ARN",
      `a custom domain on CloudFront needs a certificate in us-east-1 (CloudFront rejects an alternate name on its default certificate); set CLOUDFRONT_CERTIFICATE_ARN to an ACM certificate in us-east-1 for ${fqdn ?? "your domain"}, or set USE_CLOUDFRONT=false`,
    );
  }
  if (facts && cfEnabled && useRoute53 && cloudFrontCertificateArn === undefined && facts.cloudFront === "icp-required") {
    r.problem("CLOUDFRONT_CERTIFICATE_ARN", "not set; CloudFront in China needs an IAM server certificate for the ICP-recorded domain");
  }
  const priceClass = r.oneOf("CLOUDFRONT_PRICE_CLASS", PRICE_CLASSES, "PriceClass_100, PriceClass_200 or PriceClass_All") ?? "PriceClass_100";
  const originReadTimeoutSeconds = r.int("CLOUDFRONT_ORIGIN_READ_TIMEOUT", 1, 180, "seconds") ?? 60;
  if (cfEnabled && originReadTimeoutSeconds > 60) {
    warnings.push(`CLOUDFRONT_ORIGIN_READ_TIMEOUT=${originReadTimeoutSeconds}: timeouts above 60 s need a CloudFront quota increase.`);
  }

  // --- capacity and ECS ----------------------------------------------------------------------------------------
  const min = r.int("MIN_CAPACITY", 1, 1000);
  const desired = r.int("DESIRED_CAPACITY", 1, 1000);
  const max = r.int("MAX_CAPACITY", 1, 1000);
  if (min !== undefined && desired !== undefined && max !== undefined && !(min <= desired && desired <= max)) {
    r.problem("MIN_CAPACITY + DESIRED_CAPACITY + MAX_CAPACITY", `must satisfy MIN_CAPACITY <= DESIRED_CAPACITY <= MAX_CAPACITY (got ${min}, ${desired}, ${max})`);
  }
  const cpuTargetPercent = r.int("ECS_CPU_TARGET_UTILIZATION_PERCENTAGE", 1, 100, "%") ?? 50;
  const memoryTargetPercent = r.int("ECS_MEMORY_TARGET_UTILIZATION_PERCENTAGE", 1, 100, "%") ?? 40;
  const requestsPerTarget = r.int("ECS_REQUESTS_PER_TARGET", 1, 1_000_000) ?? 1000;
  const ecs = fargateSize(r, platform);

  // --- EKS -----------------------------------------------------------------------------------------------------
  const existingClusterName = r.string("EXISTING_EKS_CLUSTER_NAME");
  if (existingClusterName !== undefined) {
    if (platform !== "eks") warnings.push("EXISTING_EKS_CLUSTER_NAME is ignored with DEPLOYMENT_PLATFORM=ECS.");
    else if (!existingVpcId) {
      r.problem("EXISTING_EKS_CLUSTER_NAME + EXISTING_VPC_ID", "a bring-your-own EKS cluster runs in its own VPC: set EXISTING_VPC_ID to that VPC's id");
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(existingClusterName)) {
      r.problem("EXISTING_EKS_CLUSTER_NAME", `"${existingClusterName}" is not an EKS cluster name (letters, digits, hyphens, underscores; up to 100)`);
    }
  }
  const installAddOnsInExistingCluster = r.bool("INSTALL_ADD_ONS_IN_EXISTING_EKS_CLUSTER") ?? false;
  if (installAddOnsInExistingCluster && !existingClusterName) {
    warnings.push("INSTALL_ADD_ONS_IN_EXISTING_EKS_CLUSTER only applies with EXISTING_EKS_CLUSTER_NAME; a new cluster always gets its add-ons.");
  }
  const clusterVersion = r.string("EKS_CLUSTER_VERSION")!;
  if (!/^1\.\d{2}$/.test(clusterVersion)) r.problem("EKS_CLUSTER_VERSION", `"${clusterVersion}" is not a Kubernetes version like 1.33`);
  const arm = architecture === "arm64";
  const instanceVar = arm ? "EKS_ARM_INSTANCE_TYPE" : "EKS_X86_INSTANCE_TYPE";
  const amiVar = arm ? "EKS_ARM_AMI_TYPE" : "EKS_X86_AMI_TYPE";
  const instanceType = r.string(instanceVar)!;
  const amiType = r.string(amiVar)!;
  if (platform === "eks") checkEksNodes(r, { arm, instanceVar, instanceType, amiVar, amiType, clusterVersion });

  // --- database and Redis --------------------------------------------------------------------------------------
  const instanceClass = r.string("RDS_INSTANCE_CLASS")!;
  if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) r.problem("RDS_INSTANCE_CLASS", `"${instanceClass}" is not an RDS instance class like db.t4g.small`);
  const allocatedStorageGb = r.int("RDS_ALLOCATED_STORAGE_GB", 20, 65536, "GiB") ?? 20;
  const multiAz = r.bool("RDS_MULTI_AZ") ?? true;
  const deletionProtection = r.bool("RDS_DELETION_PROTECTION") ?? true;
  const skipFinalSnapshot = r.bool("RDS_SKIP_FINAL_SNAPSHOT") ?? false;
  const backupRetentionDays = r.int("RDS_BACKUP_RETENTION_DAYS", 0, 35, "days") ?? 7;
  if (backupRetentionDays === 0) warnings.push("RDS_BACKUP_RETENTION_DAYS=0 disables automated database backups.");
  const nodeType = r.string("REDIS_NODE_TYPE")!;
  if (!/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(nodeType)) r.problem("REDIS_NODE_TYPE", `"${nodeType}" is not an ElastiCache node type like cache.t4g.micro`);
  const numCacheClusters = r.int("REDIS_NUM_CACHE_CLUSTERS", 1, 6, "nodes") ?? 2;
  const failoverRaw = r.bool("REDIS_AUTOMATIC_FAILOVER");
  if (numCacheClusters < 2 && failoverRaw !== false) {
    r.problem(
      "REDIS_NUM_CACHE_CLUSTERS",
      `${numCacheClusters} node cannot fail over: automatic failover and Multi-AZ need at least 2; set REDIS_NUM_CACHE_CLUSTERS=2, or accept a single node without failover by also setting REDIS_AUTOMATIC_FAILOVER=false`,
    );
  } else if (numCacheClusters < 2) {
    warnings.push("Redis runs as a single node without failover (REDIS_NUM_CACHE_CLUSTERS=1, REDIS_AUTOMATIC_FAILOVER=false).");
  }
  const automaticFailover = numCacheClusters >= 2 && failoverRaw !== false;

  // --- images --------------------------------------------------------------------------------------------------
  const litellmTag = imageTag(r, "LITELLM_VERSION");
  const middlewareTag = imageTag(r, "MIDDLEWARE_IMAGE_TAG");
  const litellmDigest = digest(r, "LITELLM_IMAGE_DIGEST");
  const middlewareDigest = digest(r, "MIDDLEWARE_IMAGE_DIGEST");
  const buildFromSource = r.bool("BUILD_FROM_SOURCE") ?? false;
  const litellmSourceImage = sourceRepository(r, "LITELLM_SOURCE_IMAGE");

  // --- observability -------------------------------------------------------------------------------------------
  const logRetentionDays = r.int("LOG_RETENTION_DAYS", 1, 3653, "days") ?? 30;
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    r.problem("LOG_RETENTION_DAYS", `${logRetentionDays} is not a CloudWatch retention period; use one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  const langsmithKey = r.string("LANGSMITH_API_KEY");
  const langsmithProject = r.string("LANGSMITH_PROJECT");
  const langsmithDefaultRunName = r.string("LANGSMITH_DEFAULT_RUN_NAME");
  if (!langsmithKey && (langsmithProject || langsmithDefaultRunName)) {
    warnings.push("LANGSMITH_PROJECT/LANGSMITH_DEFAULT_RUN_NAME are ignored without LANGSMITH_API_KEY.");
  }
  const langfusePublicKey = r.string("LANGFUSE_PUBLIC_KEY");
  const langfuseSecret = r.string("LANGFUSE_SECRET_KEY");
  const langfuseHost = r.string("LANGFUSE_HOST");
  if (!!langfusePublicKey !== !!langfuseSecret) {
    const missing = langfusePublicKey ? "LANGFUSE_SECRET_KEY" : "LANGFUSE_PUBLIC_KEY";
    r.problem(missing, `not set while ${missing === "LANGFUSE_SECRET_KEY" ? "LANGFUSE_PUBLIC_KEY" : "LANGFUSE_SECRET_KEY"} is; Langfuse needs both keys (or neither)`);
  }
  if (langfuseHost !== undefined && !isHttpsUrl(langfuseHost)) r.problem("LANGFUSE_HOST", `"${langfuseHost}" is not an https:// URL`);
  if (langfuseHost && !langfusePublicKey && !langfuseSecret) warnings.push("LANGFUSE_HOST is ignored without the Langfuse keys.");
  const callbacks = ["s3", ...(langsmithKey ? ["langsmith"] : []), ...(langfusePublicKey && langfuseSecret ? ["langfuse"] : [])];
  if (langsmithKey) secrets.LANGSMITH_API_KEY = langsmithKey;
  if (langfuseSecret) secrets.LANGFUSE_SECRET_KEY = langfuseSecret;

  // --- middleware ----------------------------------------------------------------------------------------------
  const oidcIssuer = r.string("OIDC_ISSUER");
  if (oidcIssuer !== undefined && !isHttpsUrl(oidcIssuer)) {
    r.problem(r.user("OIDC_ISSUER")!.from, `"${oidcIssuer}" is not an https:// issuer URL (e.g. https://example.okta.com/oauth2/default)`);
  }
  const oidcAudience = r.string("OIDC_AUDIENCE")!;
  const oidcAlgorithms = readOidcAlgorithms(r);
  const signup = readSignupPolicy(r);
  if (oidcIssuer === undefined) {
    const ignored = SIGNUP_VARIABLES.filter((n) => r.user(n));
    if (ignored.length > 0) warnings.push(`${ignored.join(", ")} ${ignored.length > 1 ? "are" : "is"} ignored without OIDC_ISSUER (self sign-up is off).`);
  }
  const historyRetentionDays = r.int("CHAT_HISTORY_RETENTION_DAYS", 0, 36500, "days") ?? 90;
  const historyMaxMessages = r.int("CHAT_HISTORY_MAX_MESSAGES", 0, 100_000, "messages (0 = unlimited)") ?? 200;
  const disableSwaggerPage = r.bool("DISABLE_SWAGGER_PAGE") ?? false;
  const disableAdminUi = r.bool("DISABLE_ADMIN_UI") ?? false;
  const adminUiUsername = r.string("UI_USERNAME") ?? "admin";
  if (!UI_USERNAME_RE.test(adminUiUsername)) {
    r.problem("UI_USERNAME", `"${adminUiUsername}" is not an admin UI user name; use 1–64 letters, digits and . _ @ + - starting with a letter or digit (e.g. admin)`);
  }
  if (disableAdminUi && r.user("UI_USERNAME")) warnings.push("UI_USERNAME is ignored with DISABLE_ADMIN_UI=true (the admin UI is off).");

  // --- China: Bedrock in global regions ------------------------------------------------------------------------
  const china = facts?.bedrock.mode === "cross-partition";
  const configuredGlobal = r.string("GLOBAL_BEDROCK_REGIONS")?.split(",").map((s) => s.trim()).filter(Boolean);
  let globalRegions: readonly string[] = [];
  const gKey = r.string("GLOBAL_BEDROCK_ACCESS_KEY_ID");
  const gSecret = r.string("GLOBAL_BEDROCK_SECRET_ACCESS_KEY");
  if (china) {
    try {
      globalRegions = bedrockTargetRegions(region, configuredGlobal).regions;
    } catch (e) {
      r.problem("GLOBAL_BEDROCK_REGIONS", `${(e as Error).message} Use commercial regions with Bedrock, e.g. us-east-1,us-west-2`);
    }
    if (!gKey && !gSecret) {
      warnings.push(
        "GLOBAL_BEDROCK_ACCESS_KEY_ID/GLOBAL_BEDROCK_SECRET_ACCESS_KEY are not set: Bedrock does not run in China, so every Bedrock model will fail until credentials of a global-partition IAM user are stored in the global-Bedrock secret.",
      );
    } else if (!gKey || !gSecret) {
      r.problem(gKey ? "GLOBAL_BEDROCK_SECRET_ACCESS_KEY" : "GLOBAL_BEDROCK_ACCESS_KEY_ID", "not set; the global Bedrock credentials need both the access key id and the secret access key");
    } else {
      if (!ACCESS_KEY_ID_RE.test(gKey)) r.problem("GLOBAL_BEDROCK_ACCESS_KEY_ID", "is not an access key id (20 characters starting with AKIA or ASIA)");
      secrets.GLOBAL_BEDROCK_ACCESS_KEY_ID = gKey;
      secrets.GLOBAL_BEDROCK_SECRET_ACCESS_KEY = gSecret;
    }
  } else if (partition && (configuredGlobal || gKey || gSecret)) {
    warnings.push("GLOBAL_BEDROCK_* settings are ignored outside the China regions (Bedrock runs in-region).");
  }

  // --- provider keys -------------------------------------------------------------------------------------------
  const providerKeys: string[] = [];
  for (const name of PROVIDER_KEY_NAMES) {
    const value = r.user(name)?.value;
    if (value !== undefined && value.toLowerCase() !== "placeholder") {
      providerKeys.push(name);
      secrets[name] = value;
    }
  }

  // --- outbound-disabled mode: nothing may need the internet ---------------------------------------------------
  if (outboundDisabled) {
    if (providerKeys.length > 0) {
      r.problem(
        `DISABLE_OUTBOUND_NETWORK_ACCESS + ${providerKeys.join(", ")}`,
        "third-party models need the internet, which this mode removes; unset those keys (or set them to placeholder), or set DISABLE_OUTBOUND_NETWORK_ACCESS=false",
      );
    }
    if (langsmithKey) {
      r.problem("DISABLE_OUTBOUND_NETWORK_ACCESS + LANGSMITH_API_KEY", "the LangSmith callback calls api.smith.langchain.com on the internet; unset LANGSMITH_API_KEY or allow outbound access");
    }
    if (langfusePublicKey && langfuseSecret) {
      if (!langfuseHost || LANGFUSE_CLOUD_RE.test(hostOf(langfuseHost))) {
        r.problem("DISABLE_OUTBOUND_NETWORK_ACCESS + LANGFUSE_PUBLIC_KEY", "the Langfuse callback calls Langfuse cloud on the internet; point LANGFUSE_HOST at a Langfuse reachable inside the VPC, unset the Langfuse keys, or allow outbound access");
      } else {
        warnings.push(`LANGFUSE_HOST ${langfuseHost} must be reachable from the isolated private subnets (DISABLE_OUTBOUND_NETWORK_ACCESS=true).`);
      }
    }
    if (china) {
      r.problem("DISABLE_OUTBOUND_NETWORK_ACCESS", `${region} reaches Bedrock in global regions over the internet (there is no cross-partition private link); set DISABLE_OUTBOUND_NETWORK_ACCESS=false`);
    }
    const catalog = facts && !china ? chooseCatalog(region) : undefined;
    if (catalog?.kind === "nearest") r.problem(`${regionRaw.from} + DISABLE_OUTBOUND_NETWORK_ACCESS`, borrowedCatalogOffline(region, catalog.catalogRegion));
    if (oidcIssuer) warnings.push("OIDC_ISSUER must be reachable from the isolated private subnets for JWKS discovery (DISABLE_OUTBOUND_NETWORK_ACCESS=true).");
    if (existingVpcId && !createVpcEndpoints) {
      warnings.push("DISABLE_OUTBOUND_NETWORK_ACCESS=true with EXISTING_VPC_ID and no CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC: the VPC must already have endpoints for ECR, logs, Secrets Manager, S3 and Bedrock.");
    }
  }

  // --- auxiliary stacks ----------------------------------------------------------------------------------------
  const auxiliary = {
    bastionKeyPairName: r.string("EC2_KEY_PAIR_NAME"),
    fakeLlmCertificateArn: r.string("FAKE_LLM_LOAD_TESTING_ENDPOINT_CERTIFICATE_ARN"),
    fakeLlmHostedZoneName: normalizeDomain(r.string("FAKE_LLM_LOAD_TESTING_ENDPOINT_HOSTED_ZONE_NAME")),
    fakeLlmRecordName: normalizeDomain(r.string("FAKE_LLM_LOAD_TESTING_ENDPOINT_RECORD_NAME")),
  };

  if (r.problems.length > 0 || !partition || !facts) throw new SettingsError(r.problems);
  warnings.unshift(...regionCaveats(region).map((c) => `${region}: ${c}`));

  const settings: Settings = {
    deploymentName,
    region,
    partition,
    platform,
    architecture,
    ...(stateBucket ? { stateBucket, stateRegion: stateRegion ?? region } : stateRegion ? { stateRegion } : {}),
    network: { ...(existingVpcId ? { existingVpcId } : {}), vpcCidr, azCount, outboundDisabled, createVpcEndpoints, publicLoadBalancer },
    dns: {
      useRoute53,
      ...defined({ hostedZoneName, recordLabel, fqdn, albCertificateArn, cloudFrontCertificateArn: cfEnabled ? cloudFrontCertificateArn : undefined }),
      createPrivateHostedZone,
    },
    cloudFront: { enabled: cfEnabled, priceClass, originReadTimeoutSeconds, ...defined({ originDomain: cfEnabled ? originDomain : undefined }) },
    capacity: { min: min ?? 2, desired: desired ?? 2, max: max ?? 4, cpuTargetPercent, memoryTargetPercent, requestsPerTarget },
    ecs,
    eks: { ...defined({ existingClusterName }), installAddOnsInExistingCluster, clusterVersion, instanceType, amiType },
    database: { instanceClass, allocatedStorageGb, multiAz, deletionProtection, skipFinalSnapshot, backupRetentionDays },
    redis: { nodeType, numCacheClusters, automaticFailover },
    images: { litellmTag: litellmTag!, middlewareTag: middlewareTag!, ...defined({ litellmDigest, middlewareDigest, litellmSourceImage }), buildFromSource },
    observability: {
      logRetentionDays,
      ...defined({ langsmithProject, langsmithDefaultRunName, langfusePublicKey, langfuseHost }),
      callbacks: Object.freeze(callbacks),
    },
    middleware: { ...defined({ oidcIssuer, oidcAlgorithms }), oidcAudience, signup, historyRetentionDays, historyMaxMessages, disableSwaggerPage, disableAdminUi, adminUiUsername },
    chinaBedrock: { globalRegions: Object.freeze([...globalRegions]) },
    providerKeys: Object.freeze(providerKeys),
    tags,
    auxiliary: defined(auxiliary),
  };
  const certificate = loadBalancerCertificatePlan(settings);
  if (platform === "ecs" && certificate.kind === "self-signed") warnings.push(selfSignedWarning(settings, certificate.commonName));
  return { settings: deepFreeze(settings), warnings: Object.freeze(warnings), secrets: Object.freeze(secrets) };
}

function selfSignedWarning(s: Settings, commonName: string): string {
  const zoneHint =
    s.network.publicLoadBalancer && regionFacts(s.region).publicRoute53
      ? ", or USE_ROUTE53 with HOSTED_ZONE_NAME and RECORD_NAME in a public zone (the stack then issues a DNS-validated ACM certificate)"
      : "";
  return (
    `CERTIFICATE_ARN is not set and no public Route 53 zone holds the load balancer's name: it serves a generated self-signed ` +
    `certificate for "${commonName}", so HTTPS clients that reach it directly must be told to trust it. Set CERTIFICATE_ARN${zoneHint}.`
  );
}

/** Process env over the .env file; unknown .env names become warnings with a suggestion. */
function mergeEnvironment(opts: LoadSettingsOptions, problems: SettingsProblem[], warnings: string[]): Record<string, string | undefined> {
  const env = opts.env ?? process.env;
  const merged: Record<string, string | undefined> = {};
  if (opts.envFile !== false) {
    const explicit = typeof opts.envFile === "string";
    const path = resolve(opts.cwd ?? process.cwd(), explicit ? (opts.envFile as string) : ".env");
    const parsed = readDotenvFile(path);
    if (!parsed && explicit) problems.push({ variable: ".env", message: `${path} does not exist; create it or leave the .env file out` });
    if (parsed) {
      for (const err of parsed.errors) problems.push({ variable: ".env", message: `${path} ${err}` });
      for (const e of parsed.entries) {
        merged[e.key] = e.value;
        if (!KNOWN_VARIABLE_NAMES.has(e.key)) {
          const hint = closestName(e.key);
          warnings.push(`.env line ${e.line}: ${e.key} is not a known setting and is ignored${hint ? ` (did you mean ${hint}?)` : ""}.`);
        }
      }
    }
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  return merged;
}

function fargateSize(r: EnvReader, platform: Platform): Settings["ecs"] {
  const vcpus = r.user("ECS_VCPUS");
  const cpuSet = r.user("ECS_CPU");
  const memSet = r.user("ECS_MEMORY");
  if (vcpus) {
    if (cpuSet || memSet) {
      r.problem("ECS_VCPUS + ECS_CPU/ECS_MEMORY", "set either ECS_VCPUS (older sizing) or ECS_CPU and ECS_MEMORY, not both");
      return { cpu: 2048, memory: 4096 };
    }
    const n = Number(vcpus.value);
    if (!/^\d+(\.\d+)?$/.test(vcpus.value) || !FARGATE_VCPUS.includes(n)) {
      r.problem("ECS_VCPUS", `"${vcpus.value}" vCPUs is not a Fargate size; use ${FARGATE_VCPUS.join(", ")} (memory is 2 GiB per vCPU), or set ECS_CPU and ECS_MEMORY`);
      return { cpu: 2048, memory: 4096 };
    }
    return { cpu: n * 1024, memory: n * 2048 };
  }
  const cpu = r.int("ECS_CPU", 256, 16384, "CPU units");
  const memory = memSet ? r.int("ECS_MEMORY", 512, 122880, "MiB") : cpu !== undefined ? cpu * 2 : undefined;
  if (cpu === undefined || memory === undefined) return { cpu: cpu ?? 2048, memory: memory ?? 4096 };
  if (platform === "ecs") {
    if (!FARGATE_SIZES.has(cpu)) {
      r.problem("ECS_CPU", `${cpu} is not a Fargate CPU size; use one of ${FARGATE_CPUS.join(", ")}`);
    } else if (!isValidFargateSize(cpu, memory)) {
      r.problem("ECS_CPU + ECS_MEMORY", `${cpu} CPU units with ${memory} MiB is not a Fargate size; with ${cpu} units use ${describeFargateMemory(cpu)}`);
    }
  }
  return { cpu, memory };
}

function checkEksNodes(
  r: EnvReader,
  o: { arm: boolean; instanceVar: string; instanceType: string; amiVar: string; amiType: string; clusterVersion: string },
): void {
  const m = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/.exec(o.instanceType);
  if (!m) {
    r.problem(o.instanceVar, `"${o.instanceType}" is not an EC2 instance type like t4g.medium`);
  } else {
    // Graviton types carry a "g" right after the generation digit (t4g, m7gd, c6gn).
    const graviton = m[3]!.startsWith("g");
    if (graviton !== o.arm) {
      r.problem(o.instanceVar, `${o.instanceType} is ${graviton ? "an arm64 (Graviton)" : "an x86_64"} instance type but CPU_ARCHITECTURE is ${o.arm ? "arm64" : "x86_64"}; pick a matching type or change CPU_ARCHITECTURE`);
    }
  }
  const amiArm = /ARM/i.test(o.amiType);
  if (amiArm !== o.arm) {
    r.problem(o.amiVar, `${o.amiType} does not match CPU_ARCHITECTURE=${o.arm ? "arm64" : "x86_64"}; use ${o.arm ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD"}`);
  }
  const minor = Number(o.clusterVersion.split(".")[1]);
  if (/^AL2_/.test(o.amiType) && minor >= 33) {
    r.problem(o.amiVar, `${o.amiType} (Amazon Linux 2) is not published for Kubernetes ${o.clusterVersion}; use ${o.arm ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD"}`);
  }
}

function reduceRecordName(r: EnvReader, record: string | undefined, zone: string | undefined, warnings: string[]): string | undefined {
  if (record === undefined) return undefined;
  if (!record.includes(".")) {
    if (!LABEL_RE.test(record)) r.problem("RECORD_NAME", `"${record}" is not a DNS label (letters, digits, inner hyphens, up to 63)`);
    return record;
  }
  if (!zone) {
    r.problem("RECORD_NAME", `"${record}" is a full name; give the label inside HOSTED_ZONE_NAME (e.g. gateway) and set HOSTED_ZONE_NAME`);
    return undefined;
  }
  if (record === zone) {
    r.problem("RECORD_NAME", `"${record}" is the zone apex; use a label inside the zone, e.g. gateway`);
    return undefined;
  }
  if (!record.endsWith(`.${zone}`)) {
    r.problem("RECORD_NAME", `"${record}" is not inside HOSTED_ZONE_NAME ${zone}; give a label (e.g. gateway) or a full name ending in .${zone}`);
    return undefined;
  }
  const label = record.slice(0, -(zone.length + 1));
  if (!LABEL_RE.test(label)) {
    r.problem("RECORD_NAME", `"${record}" must be one label inside ${zone} (e.g. gateway.${zone}), not "${label}"`);
    return undefined;
  }
  warnings.push(`RECORD_NAME "${record}" is a full name; using its label "${label}" inside ${zone}. Set RECORD_NAME=${label} to silence this.`);
  return label;
}

function imageTag(r: EnvReader, name: "LITELLM_VERSION" | "MIDDLEWARE_IMAGE_TAG"): string | undefined {
  if (r.isExplicitlyEmpty(name)) {
    r.problem(name, `is set but empty; remove the line to use the pinned default, or give an immutable tag`);
    return undefined;
  }
  const raw = r.raw(name)!;
  const tag = raw.value;
  if (tag.toLowerCase() === "placeholder") {
    r.problem(raw.from, "is still \"placeholder\"; remove the line to use the pinned default, or give an immutable tag");
  } else if (/latest$/i.test(tag) || !/\d/.test(tag)) {
    // "latest", "main-latest", "main-stable", "nightly" ...: a tag without a version number moves.
    r.problem(raw.from, `"${tag}" is a moving tag; use an immutable version tag (e.g. ${name === "LITELLM_VERSION" ? "main-v1.82.3-stable.patch.2" : "0.1.0"}) so that deployments are reproducible`);
  } else if (!IMAGE_TAG_RE.test(tag)) {
    r.problem(raw.from, `"${tag}" is not a valid image tag (letters, digits, _ . -; up to 128)`);
  } else {
    return tag;
  }
  return undefined;
}

/** A repository to copy an image from: no scheme, no tag or digest (the tag comes from the version setting). */
function sourceRepository(r: EnvReader, name: string): string | undefined {
  const value = r.string(name);
  if (value === undefined) return undefined;
  const lastSegment = value.slice(value.lastIndexOf("/") + 1);
  if (value.includes("://")) {
    r.problem(name, `"${value}" has a scheme; give the repository as host/path without http(s)://, e.g. registry.example.cn/mirror/berriai/litellm`);
  } else if (value.includes("@") || lastSegment.includes(":")) {
    r.problem(name, `"${value}" has a tag or digest; give the repository only (the tag is always LITELLM_VERSION), e.g. registry.example.cn/mirror/berriai/litellm`);
  } else if (!REPOSITORY_RE.test(value)) {
    r.problem(name, `"${value}" is not an image repository (lower-case host[:port]/path, e.g. registry.example.cn/mirror/berriai/litellm)`);
  } else {
    return value;
  }
  return undefined;
}

function digest(r: EnvReader, name: string): string | undefined {
  const value = r.string(name);
  if (value !== undefined && !DIGEST_RE.test(value)) r.problem(name, `"${value}" is not an image digest (sha256: followed by 64 hex digits)`);
  return value;
}

function parseTags(r: EnvReader, deploymentName: string): Readonly<Record<string, string>> {
  const tags: Record<string, string> = {};
  const raw = r.string("TAGS");
  for (const pair of raw ? raw.split(",") : []) {
    const eq = pair.indexOf("=");
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = eq < 0 ? "" : pair.slice(eq + 1).trim();
    if (eq < 0 || key === "") r.problem("TAGS", `"${pair.trim()}" is not key=value; use TAGS=key=value,key2=value2`);
    else if (key.toLowerCase().startsWith("aws:")) r.problem("TAGS", `"${key}": the aws: prefix is reserved for AWS`);
    else if (key.length > 128 || value.length > 256) r.problem("TAGS", `"${key}": tag keys are limited to 128 characters and values to 256`);
    else tags[key] = value;
  }
  tags.Deployment = deploymentName;
  return tags;
}

function checkCidr(r: EnvReader, cidr: string): void {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const ok = m && m.slice(1, 5).every((o) => Number(o) <= 255);
  if (!ok) {
    r.problem("VPC_CIDR", `"${cidr}" is not an IPv4 CIDR like 10.0.0.0/16`);
    return;
  }
  const prefix = Number(m[5]);
  if (prefix < 16 || prefix > 22) r.problem("VPC_CIDR", `/${prefix} is outside /16–/22; the VPC needs room for public and private subnets in each availability zone`);
}

function normalizeDomain(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.toLowerCase().replace(/\.$/, "");
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** Drops undefined properties so optional fields are absent rather than present-and-undefined. */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}


/** Closest known variable name within edit distance 2 (typo hints for .env files). */
function closestName(name: string): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const known of KNOWN_VARIABLE_NAMES) {
    if (Math.abs(known.length - name.length) >= bestDist) continue;
    const d = editDistance(name, known, bestDist);
    if (d < bestDist) {
      bestDist = d;
      best = known;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]!);
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return prev[b.length]!;
}
