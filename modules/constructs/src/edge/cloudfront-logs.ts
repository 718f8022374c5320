// CloudFront standard logging (v2): access logs delivered by CloudWatch Logs to a log group we own. v2 needs no
// S3 bucket with ACLs (legacy logging's ObjectOwnership=BucketOwnerPreferred) and keeps the logs encrypted with our
// key and expired by retention like every other log group. CloudFront's delivery source only exists in the
// CloudFront control region (us-east-1), so every resource here is created with that region's provider.
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { requireInteger } from "../validation";

export interface DistributionAccessLogsProps {
  /** ARN of the distribution whose access logs are delivered. */
  readonly distributionArn: string;
  /** Name of the delivery source and destination (1-60 letters, digits, "_" or "-"), unique in the account. */
  readonly name: string;
  /** Provider in the CloudFront control region (cloudFrontControlRegion()). */
  readonly provider: TerraformProvider;
  /** Log group name (under /aws/vendedlogs/, which keeps the delivery resource policy small). @default - `/aws/vendedlogs/cloudfront/<name>` */
  readonly logGroupName?: string;
  /** Retention in days. @default 30 */
  readonly retentionDays?: number;
  /** KMS key of the log group, in the control region. @default - CloudWatch Logs service-owned encryption */
  readonly kmsKeyArn?: string;
}

/** CloudFront's log type for its standard (access) logs in CloudWatch Logs delivery. */
export const CLOUDFRONT_ACCESS_LOG_TYPE = "ACCESS_LOGS";

export class DistributionAccessLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly delivery: CloudwatchLogDelivery;

  constructor(scope: Construct, id: string, props: DistributionAccessLogsProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,60}$/.test(props.name)) {
      throw new Error(`DistributionAccessLogs: name must be 1-60 letters, digits, "_" or "-" (got "${props.name}")`);
    }
    const retentionDays = requireInteger("DistributionAccessLogs", "retentionDays", props.retentionDays ?? 30, 1);
    const provider = props.provider;
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      provider,
      name: props.logGroupName ?? `/aws/vendedlogs/cloudfront/${props.name}`,
      retentionInDays: retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const source = new CloudwatchLogDeliverySource(this, "source", {
      provider,
      name: props.name,
      logType: CLOUDFRONT_ACCESS_LOG_TYPE,
      resourceArn: props.distributionArn,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, "destination", {
      provider,
      name: props.name,
      outputFormat: "json",
      deliveryDestinationConfiguration: [{ destinationResourceArn: this.logGroup.arn }],
    });
    this.delivery = new CloudwatchLogDelivery(this, "delivery", {
      provider,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
    });
  }
}
