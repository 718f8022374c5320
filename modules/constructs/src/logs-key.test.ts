import { describe, expect, it } from "vitest";
import { accountRootArn, arnPrefix, dnsSuffix } from "@gw/partition";
import { LogsKmsKey, regionalLogsPrincipal } from "./logs-key";
import { single, synthConstructs } from "./testing";

describe("LogsKmsKey", () => {
  for (const region of ["us-east-1", "cn-north-1", "us-gov-west-1"]) {
    it(`grants CloudWatch Logs in ${region} use of a rotating key`, () => {
      const tf = synthConstructs((s) => new LogsKmsKey(s, "K", { region, accountId: "${data.aws_caller_identity.c.account_id}", aliasName: "gw-logs" }));
      const key = single(tf, "aws_kms_key");
      expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
      const [admin, logs] = JSON.parse(key.policy).Statement;
      expect(admin.Principal.AWS).toBe(accountRootArn("${data.aws_caller_identity.c.account_id}", region));
      expect(logs.Principal.Service).toBe(regionalLogsPrincipal(region));
      expect(logs.Principal.Service.endsWith(`.${region}.${dnsSuffix(region)}`)).toBe(true);
      expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"].startsWith(`${arnPrefix(region)}:logs:${region}:`)).toBe(true);
      expect(single(tf, "aws_kms_alias").name).toBe("alias/gw-logs");
    });
  }
  it("names the offending prop", () => {
    expect(() => synthConstructs((s) => new LogsKmsKey(s, "K", { region: "us-east-1", accountId: "${x}", aliasName: "a", deletionWindowDays: 3 }))).toThrow(
      /deletionWindowDays/,
    );
  });
});
