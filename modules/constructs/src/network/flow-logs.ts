// VPC flow logs to CloudWatch Logs with a role that can write only to its own log group.
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { servicePrincipal } from "@gw/partition";
import { assumeRolePolicy, policyDocument } from "../iam";
import { requireInteger } from "../validation";

export interface VpcFlowLogsProps {
  readonly region: string;
  readonly vpcId: string;
  /** Log group name. */
  readonly logGroupName: string;
  /** IAM role name of the delivery role. */
  readonly roleName: string;
  /** Log retention in days. @default 30 */
  readonly retentionDays?: number;
  /** KMS key ARN for the log group. @default - CloudWatch Logs service-owned encryption */
  readonly kmsKeyArn?: string;
  /** Account id that may use the role (confused-deputy guard). @default - no source-account condition */
  readonly accountId?: string;
  /** Traffic to record. @default "ALL" */
  readonly trafficType?: "ALL" | "ACCEPT" | "REJECT";
}

export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const retentionDays = requireInteger("VpcFlowLogs", "retentionDays", props.retentionDays ?? 30, 1);
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: props.logGroupName,
      retentionInDays: retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      assumeRolePolicy: assumeRolePolicy(servicePrincipal("vpc-flow-logs", props.region), { sourceAccount: props.accountId }),
    });
    new IamRolePolicy(this, "WriteOwnLogGroup", {
      role: this.role.id,
      name: "write-flow-logs",
      policy: policyDocument([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ]),
    });
    this.flowLog = new FlowLog(this, "Resource", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: 60,
    });
  }
}
