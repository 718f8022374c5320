// RDS PostgreSQL 16 for LiteLLM (and the middleware's chat history database on the same instance).
import { Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Password } from "@cdktf/provider-random/lib/password";
import { managedPolicyArn, servicePrincipal } from "@gw/partition";
import { assumeRolePolicy } from "../iam";
import { GatewaySecret } from "../secret";
import { requireInteger } from "../validation";

export interface PostgresDatabaseProps {
  readonly region: string;
  /** DB instance identifier; also the prefix of the subnet group, parameter group, SG and role names. */
  readonly identifier: string;
  readonly vpcId: string;
  /** Private subnets (at least two AZs). */
  readonly subnetIds: string[];
  /** DB subnet group name. @default - `<identifier>-db` */
  readonly subnetGroupName?: string;
  /** Parameter group name prefix (the major version is appended). @default - identifier */
  readonly parameterGroupName?: string;
  /** Instance class. @default "db.t4g.small" */
  readonly instanceClass?: string;
  /** Initial storage in GiB (20-65536). @default 20 */
  readonly allocatedStorageGb?: number;
  /** Storage autoscaling ceiling in GiB. @default - 5 × allocatedStorageGb */
  readonly maxAllocatedStorageGb?: number;
  /** Standby in a second AZ. @default true */
  readonly multiAz?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Skip the final snapshot on destroy. @default false */
  readonly skipFinalSnapshot?: boolean;
  /** Automated backup retention in days (1-35). @default 7 */
  readonly backupRetentionDays?: number;
  /** Major engine version; the parameter group family follows it. @default "16" */
  readonly engineMajorVersion?: string;
  /** LiteLLM database name. @default "litellm" */
  readonly databaseName?: string;
  /** Middleware (chat history) database name; the middleware creates it on first start. @default "middleware" */
  readonly middlewareDatabaseName?: string;
  /** Master user name. @default "gateway_admin" */
  readonly masterUsername?: string;
  /** Performance Insights (7-day free tier). @default true */
  readonly performanceInsights?: boolean;
  /** Enhanced monitoring interval in seconds (0 disables). @default 60 */
  readonly monitoringIntervalSeconds?: 0 | 1 | 5 | 10 | 15 | 30 | 60;
  /** Retention of the PostgreSQL log group in days. @default 30 */
  readonly logRetentionDays?: number;
  /** KMS key for the PostgreSQL log group. @default - CloudWatch Logs service-owned encryption */
  readonly logsKmsKeyArn?: string;
  /** Name prefix of the LiteLLM DATABASE_URL secret (a unique suffix is appended). */
  readonly databaseUrlSecretNamePrefix: string;
  /** Name prefix of the middleware DATABASE_MIDDLEWARE_URL secret (a unique suffix is appended). */
  readonly middlewareDatabaseUrlSecretNamePrefix: string;
  /** @default 7 */
  readonly secretRecoveryWindowDays?: number;
}

export class PostgresDatabase extends Construct {
  readonly instance: DbInstance;
  readonly securityGroup: SecurityGroup;
  readonly databaseUrlSecret: GatewaySecret;
  readonly middlewareDatabaseUrlSecret: GatewaySecret;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const storage = requireInteger("PostgresDatabase", "allocatedStorageGb", props.allocatedStorageGb ?? 20, 20, 65536);
    const maxStorage = props.maxAllocatedStorageGb ?? Math.min(storage * 5, 65536);
    if (!Number.isInteger(maxStorage) || maxStorage < storage) {
      throw new Error(`PostgresDatabase: maxAllocatedStorageGb must be an integer >= allocatedStorageGb (got ${maxStorage})`);
    }
    const backups = requireInteger("PostgresDatabase", "backupRetentionDays", props.backupRetentionDays ?? 7, 1, 35);
    const major = props.engineMajorVersion ?? "16";
    if (!/^\d{2}$/.test(major)) throw new Error(`PostgresDatabase: engineMajorVersion must be a major version like "16" (got "${major}")`);
    const user = props.masterUsername ?? "gateway_admin";
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(user)) throw new Error(`PostgresDatabase: masterUsername must match [a-z][a-z0-9_]* (got "${user}")`);
    const dbName = props.databaseName ?? "litellm";
    const mwDbName = props.middlewareDatabaseName ?? "middleware";
    const monitoring = props.monitoringIntervalSeconds ?? 60;
    const name = props.identifier;

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: `${name}-db`,
      description: "PostgreSQL; ingress rules are added by the workload stacks",
      vpcId: props.vpcId,
      tags: { Name: `${name}-db` },
    });
    const subnetGroup = new DbSubnetGroup(this, "SubnetGroup", { name: props.subnetGroupName ?? `${name}-db`, subnetIds: props.subnetIds });
    const parameters = new DbParameterGroup(this, "Parameters", {
      name: `${props.parameterGroupName ?? name}-postgres${major}`,
      family: `postgres${major}`,
      parameter: [{ name: "rds.force_ssl", value: "1" }],
    });
    // Created here so that retention and encryption are ours, not RDS's never-expiring default.
    const logGroup = new CloudwatchLogGroup(this, "PostgresLogs", {
      name: `/aws/rds/instance/${name}/postgresql`,
      retentionInDays: props.logRetentionDays ?? 30,
      kmsKeyId: props.logsKmsKeyArn,
    });
    const monitoringRole =
      monitoring > 0
        ? new IamRole(this, "MonitoringRole", {
            name: `${name}-rds-monitoring`,
            assumeRolePolicy: assumeRolePolicy(servicePrincipal("monitoring.rds", props.region)),
          })
        : undefined;
    if (monitoringRole) {
      new IamRolePolicyAttachment(this, "MonitoringPolicy", {
        role: monitoringRole.name,
        policyArn: managedPolicyArn("service-role/AmazonRDSEnhancedMonitoringRole", props.region),
      });
    }
    // Alphanumeric only, so the password can sit in a URL without escaping.
    const password = new Password(this, "MasterPassword", { length: 40, special: false });

    this.instance = new DbInstance(this, "Resource", {
      identifier: name,
      engine: "postgres",
      engineVersion: major,
      autoMinorVersionUpgrade: true,
      instanceClass: props.instanceClass ?? "db.t4g.small",
      allocatedStorage: storage,
      maxAllocatedStorage: maxStorage,
      storageType: "gp3",
      storageEncrypted: true,
      dbName,
      username: user,
      password: password.result,
      parameterGroupName: parameters.name,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      multiAz: props.multiAz ?? true,
      backupRetentionPeriod: backups,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: props.skipFinalSnapshot ?? false,
      finalSnapshotIdentifier: props.skipFinalSnapshot ? undefined : `${name}-final`,
      copyTagsToSnapshot: true,
      performanceInsightsEnabled: props.performanceInsights ?? true,
      performanceInsightsRetentionPeriod: (props.performanceInsights ?? true) ? 7 : undefined,
      monitoringInterval: monitoring,
      monitoringRoleArn: monitoringRole?.arn,
      enabledCloudwatchLogsExports: ["postgresql"],
      dependsOn: [logGroup],
    });
    const base = `${user}:${password.result}@${this.instance.address}:${this.instance.port}`;
    this.databaseUrlSecret = new GatewaySecret(this, "DatabaseUrl", {
      namePrefix: props.databaseUrlSecretNamePrefix,
      description: "LiteLLM DATABASE_URL (TLS required)",
      value: `postgresql://${base}/${dbName}?sslmode=require`,
      recoveryWindowDays: props.secretRecoveryWindowDays,
    });
    this.middlewareDatabaseUrlSecret = new GatewaySecret(this, "MiddlewareDatabaseUrl", {
      namePrefix: props.middlewareDatabaseUrlSecretNamePrefix,
      description: "Middleware DATABASE_MIDDLEWARE_URL (TLS required)",
      // node-postgres reads sslmode=require as verify-full, which fails without the RDS CA bundle; libpq semantics
      // (encrypted, as for LiteLLM) until the middleware image ships the bundle.
      value: `postgresql://${base}/${mwDbName}?uselibpqcompat=true&sslmode=require`,
      recoveryWindowDays: props.secretRecoveryWindowDays,
    });
  }
}
