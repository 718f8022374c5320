// The typed deployment settings every stack consumes. Produced only by loadSettings(), which validates the whole
// object and reports every problem at once. Field docs give the environment variable(s) and the default.
import type { PartitionId } from "@gw/partition";

export type Platform = "ecs" | "eks";
export type CpuArchitecture = "arm64" | "x86_64";

export interface NetworkSettings {
  /** EXISTING_VPC_ID. Default: undefined = create a VPC. */
  readonly existingVpcId?: string;
  /** VPC_CIDR. Default "10.0.0.0/16" (only for a new VPC). */
  readonly vpcCidr: string;
  /** AZ_COUNT. Default 2 (3 where the region has them and AZ_COUNT=3). */
  readonly azCount: number;
  /** DISABLE_OUTBOUND_NETWORK_ACCESS. Default false. true = no NAT, isolated private subnets, VPC endpoints only. */
  readonly outboundDisabled: boolean;
  /** CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC (always true for a new VPC). */
  readonly createVpcEndpoints: boolean;
  /** PUBLIC_LOAD_BALANCER. Default true. */
  readonly publicLoadBalancer: boolean;
}

export interface DnsSettings {
  /** USE_ROUTE53. Default false; true when HOSTED_ZONE_NAME and RECORD_NAME are both set (warning); always true on EKS. */
  readonly useRoute53: boolean;
  /** HOSTED_ZONE_NAME, e.g. "example.com" (no trailing dot). */
  readonly hostedZoneName?: string;
  /** RECORD_NAME as a label inside the zone ("gateway"); an FQDN inside the zone is accepted and reduced to its label. */
  readonly recordLabel?: string;
  /** Derived: `${recordLabel}.${hostedZoneName}` when both are set. */
  readonly fqdn?: string;
  /** CREATE_PRIVATE_HOSTED_ZONE_IN_EXISTING_VPC. Default false. */
  readonly createPrivateHostedZone: boolean;
  /** CERTIFICATE_ARN: ACM certificate for the ALB, in the deployment region. Default: an ACM certificate DNS-validated in
   * HOSTED_ZONE_NAME when the ALB's name lives in that public zone, else a generated self-signed one (warning); see
   * loadBalancerCertificatePlan(). */
  readonly albCertificateArn?: string;
  /** CLOUDFRONT_CERTIFICATE_ARN: us-east-1 ACM certificate (aws) or IAM server certificate id/ARN (aws-cn) for a custom
   * domain on CloudFront. In us-east-1 defaults to CERTIFICATE_ARN. Set only when CloudFront is enabled. */
  readonly cloudFrontCertificateArn?: string;
}

export interface CloudFrontSettings {
  /** USE_CLOUDFRONT. Default true in aws with ECS, a public load balancer and a name CloudFront can validate the origin
   * by (HOSTED_ZONE_NAME, or CLOUDFRONT_ORIGIN_DOMAIN with CERTIFICATE_ARN); false otherwise, in aws-cn (needs ICP
   * filing), on EKS and with a private load balancer; forbidden in aws-us-gov. */
  readonly enabled: boolean;
  /** CLOUDFRONT_ORIGIN_DOMAIN: the name CloudFront connects to, pointed at the load balancer by the operator and covered
   * by CERTIFICATE_ARN. Default undefined = `<label>-origin.<HOSTED_ZONE_NAME>` managed by the stack. Set only when
   * CloudFront is enabled. */
  readonly originDomain?: string;
  /** CLOUDFRONT_PRICE_CLASS. Default "PriceClass_100". */
  readonly priceClass: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
  /** CLOUDFRONT_ORIGIN_READ_TIMEOUT seconds. Default 60 (up to 180 with a quota increase). */
  readonly originReadTimeoutSeconds: number;
}

export interface CapacitySettings {
  /** MIN_CAPACITY. Default 2. */
  readonly min: number;
  /** DESIRED_CAPACITY. Default 2. */
  readonly desired: number;
  /** MAX_CAPACITY. Default 4. */
  readonly max: number;
  /** ECS_CPU_TARGET_UTILIZATION_PERCENTAGE. Default 50. */
  readonly cpuTargetPercent: number;
  /** ECS_MEMORY_TARGET_UTILIZATION_PERCENTAGE. Default 40. */
  readonly memoryTargetPercent: number;
  /** ECS_REQUESTS_PER_TARGET. Default 1000 (ALB requests per target per minute). */
  readonly requestsPerTarget: number;
}

export interface EcsSettings {
  /** Fargate CPU units. ECS_CPU, or ECS_VCPUS×1024. Default 2048. */
  readonly cpu: number;
  /** Fargate memory MiB. ECS_MEMORY (default 2 × cpu), or ECS_VCPUS×2048. Default 4096. Validated against Fargate's
   * combinations when the platform is ECS. */
  readonly memory: number;
}

export interface EksSettings {
  /** EXISTING_EKS_CLUSTER_NAME. Default undefined = create a cluster. Requires EXISTING_VPC_ID. */
  readonly existingClusterName?: string;
  /** INSTALL_ADD_ONS_IN_EXISTING_EKS_CLUSTER. Default false. */
  readonly installAddOnsInExistingCluster: boolean;
  /** EKS_CLUSTER_VERSION. Default "1.33". */
  readonly clusterVersion: string;
  /** EKS_ARM_INSTANCE_TYPE / EKS_X86_INSTANCE_TYPE by architecture. Defaults t4g.medium / t3.medium. */
  readonly instanceType: string;
  /** EKS_ARM_AMI_TYPE / EKS_X86_AMI_TYPE. Defaults AL2023_ARM_64_STANDARD / AL2023_x86_64_STANDARD. */
  readonly amiType: string;
}

export interface DatabaseSettings {
  /** RDS_INSTANCE_CLASS. Default "db.t4g.small" (db.t3.small where t4g is absent). */
  readonly instanceClass: string;
  /** RDS_ALLOCATED_STORAGE_GB. Default 20. */
  readonly allocatedStorageGb: number;
  /** RDS_MULTI_AZ. Default true. */
  readonly multiAz: boolean;
  /** RDS_DELETION_PROTECTION. Default true. */
  readonly deletionProtection: boolean;
  /** RDS_SKIP_FINAL_SNAPSHOT. Default false (a final snapshot is taken). */
  readonly skipFinalSnapshot: boolean;
  /** RDS_BACKUP_RETENTION_DAYS. Default 7. */
  readonly backupRetentionDays: number;
}

export interface RedisSettings {
  /** REDIS_NODE_TYPE. Default "cache.t4g.micro". */
  readonly nodeType: string;
  /** REDIS_NUM_CACHE_CLUSTERS. Default 2. Automatic failover and Multi-AZ need >= 2. */
  readonly numCacheClusters: number;
  /** REDIS_AUTOMATIC_FAILOVER (default true; also enables Multi-AZ). One node is accepted only with an explicit
   * REDIS_AUTOMATIC_FAILOVER=false; true always means numCacheClusters >= 2. */
  readonly automaticFailover: boolean;
}

export interface ImageSettings {
  /** LITELLM_VERSION: the LiteLLM image tag in our ECR (immutable). Default pinned in config/src/defaults.ts. */
  readonly litellmTag: string;
  /** MIDDLEWARE_IMAGE_TAG. Default "0.1.0". "latest" is rejected. */
  readonly middlewareTag: string;
  /** LITELLM_IMAGE_DIGEST / MIDDLEWARE_IMAGE_DIGEST: optional sha256 digests that pin the images instead of tags. */
  readonly litellmDigest?: string;
  readonly middlewareDigest?: string;
  /** BUILD_FROM_SOURCE (image scripts). Default false. */
  readonly buildFromSource?: boolean;
  /** LITELLM_SOURCE_IMAGE (image scripts): repository, without tag, digest or scheme, that `pnpm images:push` copies
   * LiteLLM from at LITELLM_VERSION, e.g. a mirror for China. Default undefined = the published image (or
   * `--source-registry`). */
  readonly litellmSourceImage?: string;
}

export interface ObservabilitySettings {
  /** LOG_RETENTION_DAYS. Default 30. */
  readonly logRetentionDays: number;
  /** LANGSMITH_PROJECT / LANGSMITH_DEFAULT_RUN_NAME (plain); LANGSMITH_API_KEY is a secret. */
  readonly langsmithProject?: string;
  readonly langsmithDefaultRunName?: string;
  /** LANGFUSE_PUBLIC_KEY / LANGFUSE_HOST (plain); LANGFUSE_SECRET_KEY is a secret. */
  readonly langfusePublicKey?: string;
  readonly langfuseHost?: string;
  /** Derived: litellm success callbacks enabled by the keys present ("langsmith", "langfuse", "s3"). */
  readonly callbacks: readonly string[];
}

/** What an OIDC-authenticated user may ask LiteLLM for on their own (the middleware's self-service policy). */
export interface SignupPolicySettings {
  /** SIGNUP_ALLOWED_FIELDS. Default ["user_email", "user_alias", "metadata"]; admin fields are refused. */
  readonly allowedFields: readonly string[];
  /** SIGNUP_MAX_BUDGET: cap (and default) of max_budget / soft_budget. Default undefined = no cap. */
  readonly maxBudget?: number;
  /** SIGNUP_ALLOWED_MODELS: non-empty allow-list. Default undefined = every model. */
  readonly allowedModels?: readonly string[];
  /** SIGNUP_MAX_KEYS: keys per user, >= 1. Default undefined = no limit. */
  readonly maxKeys?: number;
}

export interface MiddlewareSettings {
  /** OIDC_ISSUER, or OKTA_ISSUER. Default undefined = self sign-up disabled. */
  readonly oidcIssuer?: string;
  /** OIDC_AUDIENCE, or OKTA_AUDIENCE. Default "api://default". */
  readonly oidcAudience: string;
  /** OIDC_ALGORITHMS: accepted JWS algorithms (asymmetric only, canonical spelling). Default undefined = the
   * middleware's own list. */
  readonly oidcAlgorithms?: readonly string[];
  /** Self sign-up policy; passed to the middleware only when oidcIssuer is set. */
  readonly signup: SignupPolicySettings;
  /** CHAT_HISTORY_RETENTION_DAYS. Default 90; 0 keeps history forever. */
  readonly historyRetentionDays: number;
  /** CHAT_HISTORY_MAX_MESSAGES (middleware env HISTORY_MAX_MESSAGES). Default 200; 0 = unlimited. */
  readonly historyMaxMessages: number;
  /** DISABLE_SWAGGER_PAGE / DISABLE_ADMIN_UI. Default false. */
  readonly disableSwaggerPage: boolean;
  readonly disableAdminUi: boolean;
  /** UI_USERNAME: user name of LiteLLM's admin UI login; its password is the generated UI-password secret (never the
   * master key). Default "admin". Not passed to LiteLLM when disableAdminUi. */
  readonly adminUiUsername: string;
}

export interface ChinaBedrockSettings {
  /** GLOBAL_BEDROCK_REGIONS: global-partition regions a China deployment calls Bedrock in. Default: @gw/partition's
   * DEFAULT_CHINA_BEDROCK_REGIONS. Empty outside aws-cn (Bedrock runs in-region there). */
  readonly globalRegions: readonly string[];
}

/** Optional auxiliary stacks (bastion, fake-llm) of the older implementation. */
export interface AuxiliarySettings {
  /** EC2_KEY_PAIR_NAME: bastion key pair. Default undefined (SSM Session Manager only). */
  readonly bastionKeyPairName?: string;
  /** FAKE_LLM_LOAD_TESTING_ENDPOINT_CERTIFICATE_ARN / _HOSTED_ZONE_NAME / _RECORD_NAME. */
  readonly fakeLlmCertificateArn?: string;
  readonly fakeLlmHostedZoneName?: string;
  readonly fakeLlmRecordName?: string;
}

export interface Settings {
  /** DEPLOYMENT_NAME. Default "genai-gateway". Lowercase letters, digits, hyphens; every resource name derives from it. */
  readonly deploymentName: string;
  /** AWS_REGION (or AWS_DEFAULT_REGION). Default DEFAULT_REGION from @gw/partition ("us-east-1"). */
  readonly region: string;
  /** Derived from region. */
  readonly partition: PartitionId;
  /** DEPLOYMENT_PLATFORM: "ECS" | "EKS" (case-insensitive). Default ecs. */
  readonly platform: Platform;
  /** CPU_ARCHITECTURE: x86 | x86_64 | amd64 | arm | arm64 | aarch64. Default arm64. */
  readonly architecture: CpuArchitecture;
  /** TERRAFORM_S3_BUCKET_NAME. Default undefined = local state. With it: S3 backend with native locking. */
  readonly stateBucket?: string;
  /** TERRAFORM_STATE_REGION. Default: the deployment region. */
  readonly stateRegion?: string;
  readonly network: NetworkSettings;
  readonly dns: DnsSettings;
  readonly cloudFront: CloudFrontSettings;
  readonly capacity: CapacitySettings;
  readonly ecs: EcsSettings;
  readonly eks: EksSettings;
  readonly database: DatabaseSettings;
  readonly redis: RedisSettings;
  readonly images: ImageSettings;
  readonly observability: ObservabilitySettings;
  readonly middleware: MiddlewareSettings;
  readonly chinaBedrock: ChinaBedrockSettings;
  /** Names of provider-key variables that are set to a real value (never their values): they become keys of the provider-keys secret. */
  readonly providerKeys: readonly string[];
  /** Tags applied to every resource (TAGS="k=v,k2=v2" plus Deployment=<name>). */
  readonly tags: Readonly<Record<string, string>>;
  /** Auxiliary stacks' settings (always present when produced by loadSettings). */
  readonly auxiliary?: AuxiliarySettings;
}

export interface SettingsProblem {
  /** The variable to fix, e.g. "USE_CLOUDFRONT". Several variables joined by " + ". */
  readonly variable: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export interface LoadedSettings {
  readonly settings: Settings;
  /** Non-fatal caveats (partition caveats, self-signed certificate ...), printed at synth time. */
  readonly warnings: readonly string[];
  /** Secret values read from the environment (provider keys, LANGSMITH_API_KEY, LANGFUSE_SECRET_KEY, global Bedrock
   * credentials for China). Kept apart from Settings so that nothing logs them by accident. */
  readonly secrets: Readonly<Record<string, string>>;
}

/** Deterministic names derived from the deployment name; base writes them, ecs/eks look them up. */
export interface ResourceNames {
  readonly prefix: string;
  /** SSM parameter path prefix, "/<name>/". base writes the values ecs/eks need under it. */
  readonly ssmPrefix: string;
  readonly vpc: string;
  readonly dbIdentifier: string;
  readonly redisReplicationGroup: string;
  /** S3 bucket names WITHOUT the account suffix: `<name>-<purpose>-<region>`. Bucket names are global, so the base
   * stack appends `-<account id>` from the caller identity (see withAccountSuffix); each base name leaves room for it
   * (ACCOUNT_SUFFIX_LENGTH characters) within S3's 63. ecs/eks read the final names from SSM, never rebuild them. */
  readonly configBucket: string;
  readonly litellmLogBucket: string;
  readonly albLogBucket: string;
  /** Application load balancer (<= 32 characters). */
  readonly alb: string;
  /** Target groups (<= 32 characters each). */
  readonly targetGroups: { readonly litellm: string; readonly middleware: string };
  readonly dbSubnetGroup: string;
  readonly dbParameterGroup: string;
  readonly cacheSubnetGroup: string;
  readonly secrets: {
    readonly masterKey: string;
    readonly saltKey: string;
    readonly databaseUrl: string;
    readonly middlewareDatabaseUrl: string;
    readonly redisAuth: string;
    readonly providerKeys: string;
    readonly globalBedrockCredentials: string;
    readonly historyHashKey: string;
    /** Password of LiteLLM's admin UI login (UI_PASSWORD), generated. */
    readonly uiPassword: string;
  };
  readonly ecrRepositories: { readonly litellm: string; readonly middleware: string; readonly fakeLlm: string };
  readonly wafRegional: string;
  readonly cluster: string;
  readonly service: string;
  readonly logGroups: { readonly litellm: string; readonly middleware: string; readonly flowLogs: string };
}
