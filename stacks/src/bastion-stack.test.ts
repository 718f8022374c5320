import { managedPolicyArn, servicePrincipal } from "@gw/partition";
import { describe, expect, it } from "vitest";
import { BastionStack, amazonLinuxAmiParameter, bastionOptionsFromEnv } from "./bastion-stack";
import { formatViolations, runPolicies } from "./policy/index";
import { REGION_MATRIX, onlyResource, resourcesOf, settingsFor, synthStack } from "./testing/settings";
import { stackWarnings } from "./warnings";

function synthBastion(env: Record<string, string> = {}, optionsEnv: Record<string, string> = {}) {
  return synthStack(
    (app) => new BastionStack(app, "bastion", { loaded: settingsFor(env), localStateDir: "/tmp", options: bastionOptionsFromEnv(optionsEnv) }),
  );
}

describe("bastionOptionsFromEnv", () => {
  it("defaults to a private subnet without SSH", () => {
    expect(bastionOptionsFromEnv({})).toEqual({ subnet: "private", instanceType: undefined, sshCidr: undefined });
  });

  it("refuses SSH from anywhere and SSH into a private subnet", () => {
    expect(() => bastionOptionsFromEnv({ BASTION_SUBNET: "public", BASTION_SSH_CIDR: "0.0.0.0/0" })).toThrow(/BASTION_SSH_CIDR/);
    expect(() => bastionOptionsFromEnv({ BASTION_SSH_CIDR: "203.0.113.0/24" })).toThrow(/BASTION_SUBNET=public/);
    expect(() => bastionOptionsFromEnv({ BASTION_SUBNET: "dmz" })).toThrow(/BASTION_SUBNET/);
  });
});

describe("BastionStack", () => {
  it("is an SSM-managed instance with no inbound rule, IMDSv2 and an encrypted disk", () => {
    const { json } = synthBastion();
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    const instance = onlyResource(json, "aws_instance") as any;
    expect(instance.metadata_options.http_tokens).toBe("required");
    expect(instance.root_block_device.encrypted).toBe(true);
    expect(instance.associate_public_ip_address).toBe(false);
    expect(instance.key_name).toBeUndefined();
    expect(instance.instance_type).toBe("t4g.nano");
    expect(instance.subnet_id).toContain("handoff-private-subnet-ids");
    expect(Object.values(json.data.aws_ssm_parameter ?? {})).toContainEqual({ name: amazonLinuxAmiParameter("arm64") });
    expect((onlyResource(json, "aws_iam_role_policy_attachment") as any).policy_arn).toBe(managedPolicyArn("AmazonSSMManagedInstanceCore", "us-east-1"));
    const trust = JSON.parse((onlyResource(json, "aws_iam_role") as any).assume_role_policy);
    expect(trust.Statement[0].Principal.Service).toBe(servicePrincipal("ec2", "us-east-1"));
    expect(json.output.port_forward_command).toBeDefined();
  });

  it("opens SSH only from the given CIDR in a public subnet with a key pair", () => {
    const { json } = synthBastion({ EC2_KEY_PAIR_NAME: "ops" }, { BASTION_SUBNET: "public", BASTION_SSH_CIDR: "203.0.113.0/24" });
    const [[, ingress]] = resourcesOf(json, "aws_vpc_security_group_ingress_rule") as [string, any][];
    expect(ingress).toMatchObject({ from_port: 22, to_port: 22, cidr_ipv4: "203.0.113.0/24" });
    const instance = onlyResource(json, "aws_instance") as any;
    expect([instance.key_name, instance.associate_public_ip_address]).toEqual(["ops", true]);
    expect(() => synthBastion({}, { BASTION_SUBNET: "public", BASTION_SSH_CIDR: "203.0.113.0/24" })).toThrow(/EC2_KEY_PAIR_NAME/);
  });

  it("warns that an isolated subnet needs the Session Manager endpoints", () => {
    const { stack } = synthBastion({ DISABLE_OUTBOUND_NETWORK_ACCESS: "true" });
    expect(stackWarnings(stack).join("\n")).toMatch(/ssmmessages/);
  });

  for (const region of REGION_MATRIX) {
    it(`synthesizes in ${region} with the partition's managed policy and EC2 principal`, () => {
      const { json } = synthBastion({ AWS_REGION: region, CPU_ARCHITECTURE: "x86_64" });
      expect((onlyResource(json, "aws_iam_role_policy_attachment") as any).policy_arn).toBe(managedPolicyArn("AmazonSSMManagedInstanceCore", region));
      const trust = JSON.parse((onlyResource(json, "aws_iam_role") as any).assume_role_policy);
      expect(trust.Statement[0].Principal.Service).toBe(servicePrincipal("ec2", region));
      expect((onlyResource(json, "aws_instance") as any).instance_type).toBe("t3.nano");
      const all = runPolicies({ bastion: json as never });
      expect(all, formatViolations(all)).toEqual([]);
    });
  }
});
