import { managedPolicyArn, regionFacts, servicePrincipal, vpcEndpointServiceName } from "@gw/partition";
import { describe, expect, it } from "vitest";
import { BastionStack, SESSION_MANAGER_ENDPOINT_SERVICES, amazonLinuxAmiParameter, bastionOptionsFromEnv } from "./bastion-stack";
import { formatViolations, runPolicies } from "./policy/index";
import { resourceEntries, settingsFor, single, synthStack } from "@gw/constructs/testing";
import { REGION_MATRIX } from "./region-matrix";
import { stackWarnings } from "@gw/constructs/warnings";

function synthBastion(env: Record<string, string> = {}, optionsEnv: Record<string, string> = {}) {
  return synthStack(
    (app) => new BastionStack(app, "bastion", { loaded: settingsFor(env), localStateDir: "/tmp", options: bastionOptionsFromEnv(optionsEnv) }),
  );
}

/** The value token of the hand-off parameter `key` as the bastion stack reads it. */
const handoffValue = (key: string) => `\${data.aws_ssm_parameter.handoff-${key.replace(/\//g, "-")}.value}`;

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
    const instance = single(json, "aws_instance") as any;
    expect(instance.metadata_options.http_tokens).toBe("required");
    expect(instance.root_block_device.encrypted).toBe(true);
    expect(instance.associate_public_ip_address).toBe(false);
    expect(instance.key_name).toBeUndefined();
    expect(instance.instance_type).toBe("t4g.nano");
    expect(instance.subnet_id).toContain("handoff-private-subnet-ids");
    expect(Object.values(json.data.aws_ssm_parameter ?? {})).toContainEqual({ name: amazonLinuxAmiParameter("arm64") });
    expect((single(json, "aws_iam_role_policy_attachment") as any).policy_arn).toBe(managedPolicyArn("AmazonSSMManagedInstanceCore", "us-east-1"));
    const trust = JSON.parse((single(json, "aws_iam_role") as any).assume_role_policy);
    expect(trust.Statement[0].Principal.Service).toBe(servicePrincipal("ec2", "us-east-1"));
    expect(json.output.port_forward_command).toBeDefined();
  });

  it("opens SSH only from the given CIDR in a public subnet with a key pair", () => {
    const { json } = synthBastion({ EC2_KEY_PAIR_NAME: "ops" }, { BASTION_SUBNET: "public", BASTION_SSH_CIDR: "203.0.113.0/24" });
    const [[, ingress]] = resourceEntries(json, "aws_vpc_security_group_ingress_rule") as [string, any][];
    expect(ingress).toMatchObject({ from_port: 22, to_port: 22, cidr_ipv4: "203.0.113.0/24" });
    const instance = single(json, "aws_instance") as any;
    expect([instance.key_name, instance.associate_public_ip_address]).toEqual(["ops", true]);
    expect(() => synthBastion({}, { BASTION_SUBNET: "public", BASTION_SSH_CIDR: "203.0.113.0/24" })).toThrow(/EC2_KEY_PAIR_NAME/);
  });

  it("adds the Session Manager endpoints the base stack lacks when the private subnets have no egress", () => {
    for (const region of REGION_MATRIX.filter((r) => regionFacts(r).bedrock.mode !== "cross-partition")) {
      const { json, stack } = synthBastion({ AWS_REGION: region, DISABLE_OUTBOUND_NETWORK_ACCESS: "true" });
      const offered = SESSION_MANAGER_ENDPOINT_SERVICES.filter((svc) => regionFacts(region).vpcEndpointServices.includes(svc));
      expect(offered, region).toEqual(["ssmmessages", "ec2messages"]);
      const endpoints = resourceEntries(json, "aws_vpc_endpoint").map(([, e]) => e);
      expect(endpoints.map((e) => e.service_name).sort(), region).toEqual(offered.map((svc) => vpcEndpointServiceName(svc, region)).sort());
      for (const e of endpoints) {
        expect(e).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: true, vpc_id: handoffValue("vpc-id") });
        expect(e.subnet_ids).toContain("handoff-private-subnet-ids");
      }
      const [[, https]] = resourceEntries(json, "aws_vpc_security_group_ingress_rule");
      expect(https).toMatchObject({ from_port: 443, to_port: 443, cidr_ipv4: handoffValue("vpc-cidr") });
      expect(stackWarnings(stack).join("\n")).not.toMatch(/ssmmessages/);
    }
  });

  it("adds no endpoints with egress, in a public subnet, or in an existing VPC whose endpoints the operator owns", () => {
    expect(synthBastion().json.resource.aws_vpc_endpoint).toBeUndefined();
    expect(synthBastion({ DISABLE_OUTBOUND_NETWORK_ACCESS: "true" }, { BASTION_SUBNET: "public" }).json.resource.aws_vpc_endpoint).toBeUndefined();
    const existing = { DISABLE_OUTBOUND_NETWORK_ACCESS: "true", EXISTING_VPC_ID: "vpc-0123abcd" };
    const owned = synthBastion(existing);
    expect(owned.json.resource.aws_vpc_endpoint).toBeUndefined();
    expect(stackWarnings(owned.stack).join("\n")).toMatch(/ssmmessages and ec2messages.*CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC/);
    const created = synthBastion({ ...existing, CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC: "true" });
    expect(resourceEntries(created.json, "aws_vpc_endpoint")).toHaveLength(2);
  });

  for (const region of REGION_MATRIX) {
    it(`synthesizes in ${region} with the partition's managed policy and EC2 principal`, () => {
      const { json } = synthBastion({ AWS_REGION: region, CPU_ARCHITECTURE: "x86_64" });
      expect((single(json, "aws_iam_role_policy_attachment") as any).policy_arn).toBe(managedPolicyArn("AmazonSSMManagedInstanceCore", region));
      const trust = JSON.parse((single(json, "aws_iam_role") as any).assume_role_policy);
      expect(trust.Statement[0].Principal.Service).toBe(servicePrincipal("ec2", region));
      expect((single(json, "aws_instance") as any).instance_type).toBe("t3.nano");
      const all = runPolicies({ bastion: json as never });
      expect(all, formatViolations(all)).toEqual([]);
    });
  }
});
