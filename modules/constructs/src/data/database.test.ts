import { describe, expect, it } from "vitest";
import { managedPolicyArn, servicePrincipal } from "@gw/partition";
import { PostgresDatabase, type PostgresDatabaseProps } from "./database";
import { resources, single, synthConstructs } from "../testing";

const props: PostgresDatabaseProps = {
  region: "cn-northwest-1",
  identifier: "gw-db",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  databaseUrlSecretNamePrefix: "gw/database-url",
  middlewareDatabaseUrlSecretNamePrefix: "gw/middleware-database-url",
  logsKmsKeyArn: "key-arn",
};

describe("PostgresDatabase", () => {
  const tf = synthConstructs((s) => new PostgresDatabase(s, "Db", props));
  const db = single(tf, "aws_db_instance");

  it("is an encrypted, private, Multi-AZ PostgreSQL 16 with safe destroy defaults", () => {
    expect(db).toMatchObject({
      engine: "postgres",
      engine_version: "16",
      storage_encrypted: true,
      publicly_accessible: false,
      multi_az: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "gw-db-final",
      backup_retention_period: 7,
      performance_insights_enabled: true,
      monitoring_interval: 60,
      enabled_cloudwatch_logs_exports: ["postgresql"],
    });
    expect(db.max_allocated_storage).toBeGreaterThan(db.allocated_storage);
    expect(db.password).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
  });

  it("forces TLS through a parameter group of the same major version", () => {
    expect(single(tf, "aws_db_parameter_group")).toMatchObject({ family: "postgres16", parameter: [{ name: "rds.force_ssl", value: "1" }] });
  });

  it("owns its PostgreSQL log group with retention and KMS", () => {
    expect(single(tf, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/rds/instance/gw-db/postgresql", retention_in_days: 30, kms_key_id: "key-arn" });
  });

  it("uses the partition's monitoring principal and managed policy", () => {
    const role = single(tf, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal.Service).toBe(servicePrincipal("monitoring.rds", props.region));
    expect(single(tf, "aws_iam_role_policy_attachment").policy_arn).toBe(
      managedPolicyArn("service-role/AmazonRDSEnhancedMonitoringRole", props.region),
    );
  });

  it("builds both database URLs from tokens (no password literal) in secrets with a recovery window", () => {
    const versions = resources(tf, "aws_secretsmanager_secret_version").map((v) => v.secret_string as string);
    expect(versions).toHaveLength(2);
    for (const v of versions) {
      expect(v).toMatch(/^postgresql:\/\/gateway_admin:\$\{random_password\.[^}]+\.result\}@\$\{aws_db_instance\.[^}]+\.address\}:/);
      expect(v).toMatch(/[?&]sslmode=require$/);
    }
    expect(versions.some((v) => v.includes("/litellm?"))).toBe(true);
    expect(versions.some((v) => v.includes("/middleware?"))).toBe(true);
    expect(resources(tf, "aws_secretsmanager_secret").every((s) => s.recovery_window_in_days === 7)).toBe(true);
    expect(tf.output ?? {}).toEqual({});
  });

  it("follows the settings for Multi-AZ and snapshots", () => {
    const t = synthConstructs((s) => new PostgresDatabase(s, "Db", { ...props, multiAz: false, skipFinalSnapshot: true, deletionProtection: false }));
    expect(single(t, "aws_db_instance")).toMatchObject({ multi_az: false, skip_final_snapshot: true, deletion_protection: false });
    expect(single(t, "aws_db_instance").final_snapshot_identifier).toBeUndefined();
  });

  it("names the offending prop", () => {
    expect(() => synthConstructs((s) => new PostgresDatabase(s, "D", { ...props, allocatedStorageGb: 5 }))).toThrow(/allocatedStorageGb/);
    expect(() => synthConstructs((s) => new PostgresDatabase(s, "D", { ...props, backupRetentionDays: 0 }))).toThrow(/backupRetentionDays/);
    expect(() => synthConstructs((s) => new PostgresDatabase(s, "D", { ...props, masterUsername: "Admin!" }))).toThrow(/masterUsername/);
  });
});
