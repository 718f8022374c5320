/** The three AWS partitions this project deploys to (anchors §B.1). */
export type PartitionId = "aws" | "aws-cn" | "aws-us-gov";

export interface PartitionFacts {
  readonly id: PartitionId;
  /** DNS suffix of service endpoints, e.g. `ecr.<region>.<dnsSuffix>`. */
  readonly dnsSuffix: string;
  /** ARN prefix without the trailing colon, e.g. `arn:aws-cn`. */
  readonly arnPrefix: string;
  readonly name: string;
  /** Reverse-DNS prefix of the partition (`com.amazonaws`, `cn.com.amazonaws`), as in Terraform's `aws_partition`. */
  readonly reverseDnsPrefix: string;
  /** Regions of this partition known to the module (the supported ones). */
  readonly regions: readonly string[];
}

export const PARTITION_IDS: readonly PartitionId[] = ["aws", "aws-cn", "aws-us-gov"];

/** Partition-wide constants; `regions` is filled from the region table. */
export const PARTITION_BASICS: Readonly<Record<PartitionId, Omit<PartitionFacts, "regions">>> = {
  aws: { id: "aws", dnsSuffix: "amazonaws.com", arnPrefix: "arn:aws", name: "AWS Standard (commercial)", reverseDnsPrefix: "com.amazonaws" },
  "aws-cn": { id: "aws-cn", dnsSuffix: "amazonaws.com.cn", arnPrefix: "arn:aws-cn", name: "AWS China", reverseDnsPrefix: "cn.com.amazonaws" },
  "aws-us-gov": {
    id: "aws-us-gov",
    dnsSuffix: "amazonaws.com",
    arnPrefix: "arn:aws-us-gov",
    name: "AWS GovCloud (US)",
    reverseDnsPrefix: "com.amazonaws",
  },
};

export function isPartitionId(value: string): value is PartitionId {
  return (PARTITION_IDS as readonly string[]).includes(value);
}
