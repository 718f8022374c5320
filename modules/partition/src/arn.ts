import { PARTITION_BASICS, isPartitionId, type PartitionId } from "./partitions";
import { partitionOf } from "./regions";

/** Services whose ARNs carry no region (global services). */
const REGIONLESS_SERVICES: ReadonlySet<string> = new Set(["iam", "s3", "cloudfront", "route53", "sts", "organizations"]);

const ACCOUNT_ID = /^\d{12}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** ARN prefix of the region's partition, without the trailing colon (e.g. `arn:aws-cn`). */
export function arnPrefix(region: string): string {
  return PARTITION_BASICS[partitionOf(region)].arnPrefix;
}

/**
 * Builds `<prefix>:<service>:<region>:<account>:<resource>`. The region is left empty for global services
 * (iam, s3, cloudfront, route53, sts, organizations) unless `regionless: false` is given, and always when
 * `regionless: true`. The account is empty unless given (as for S3 buckets and AWS-managed policies).
 */
export function arn(
  region: string,
  service: string,
  resource: string,
  opts: { account?: string; regionless?: boolean } = {},
): string {
  if (!/^[a-z0-9-]+$/.test(service)) throw new Error(`arn(): invalid service "${service}" (lower-case letters, digits, dashes).`);
  if (resource.length === 0) throw new Error("arn(): resource must not be empty.");
  if (opts.account !== undefined && opts.account !== "aws") assertAccount(opts.account, "arn");
  const regionless = opts.regionless ?? REGIONLESS_SERVICES.has(service);
  return `${arnPrefix(region)}:${service}:${regionless ? "" : region}:${opts.account ?? ""}:${resource}`;
}

/**
 * `<prefix>:<service>:*:<account>:<resource>`: the resource in every region of `region`'s partition (IAM resource
 * patterns for services called in a region named by the request, e.g. Bedrock prompts in their own region). The
 * partition stays that of `region`; only the region field is a wildcard.
 */
export function arnInAnyRegion(region: string, service: string, resource: string, opts: { account?: string } = {}): string {
  const exact = arn(region, service, resource, { ...opts, regionless: true });
  const prefix = `${arnPrefix(region)}:${service}:`;
  return `${prefix}*${exact.slice(prefix.length)}`;
}

/**
 * Throws unless `value` is a 12-digit account id or an unresolved cdktf token (`${TfToken[...]}`), which stands in for
 * an account id known only at apply time (e.g. from `DataAwsCallerIdentity`).
 */
export function assertAccount(value: string, fn: string): void {
  if (isAccountId(value) || value.includes("${") || value.includes("TfToken")) return;
  throw new Error(`${fn}(): "${value}" is not a 12-digit account id.`);
}

/** Root principal of an account (`<prefix>:iam::<account>:root`). */
export function accountRootArn(account: string, region: string): string {
  return arn(region, "iam", "root", { account });
}

/**
 * AWS-managed IAM policy ARN, e.g. `managedPolicyArn("service-role/AmazonECSTaskExecutionRolePolicy", region)`.
 */
export function managedPolicyArn(name: string, region: string): string {
  if (!/^([A-Za-z0-9+=,.@_-]+\/)*[A-Za-z0-9+=,.@_-]+$/.test(name) || name.startsWith("arn:")) {
    throw new Error(`managedPolicyArn(): "${name}" is not a policy name like "AmazonEKSClusterPolicy" or "service-role/AmazonECSTaskExecutionRolePolicy".`);
  }
  return arn(region, "iam", `policy/${name}`, { account: "aws" });
}

/** EKS access policy ARN (access entries), e.g. `eksAccessPolicyArn("AmazonEKSClusterAdminPolicy", region)`. */
export function eksAccessPolicyArn(name: string, region: string): string {
  if (!/^[A-Za-z0-9]+$/.test(name)) throw new Error(`eksAccessPolicyArn(): invalid policy name "${name}".`);
  return arn(region, "eks", `cluster-access-policy/${name}`, { account: "aws", regionless: true });
}

const ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/s;

/** True for any ARN of the three partitions this module knows. */
export function isPartitionArn(value: string): boolean {
  return parseArn(value) !== undefined;
}

export function parseArn(
  value: string,
): { partition: PartitionId; service: string; region: string; account: string; resource: string } | undefined {
  const m = ARN_RE.exec(value);
  if (!m) return undefined;
  const [, partition, service, region, account, resource] = m;
  if (!isPartitionId(partition!)) return undefined;
  return { partition, service: service!, region: region!, account: account ?? "", resource: resource! };
}


/** The account id AWS documentation uses in examples; for tests and fixtures outside this package. */
export const EXAMPLE_ACCOUNT_ID = "123456789012";
