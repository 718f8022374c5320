import { describe, expect, it } from "vitest";
import { servicePrincipal } from "@gw/partition";
import { GatewayNetwork, MIN_SUBNETS_PER_TIER, SUBNET_TIER_TAG, ZONE_NAME_LETTERS } from "./network";
import { dataSources, resourceEntries, resources, single, synthConstructs } from "../testing";

const base = { region: "eu-central-2", namePrefix: "gw" } as const;

describe("GatewayNetwork (new VPC)", () => {
  const tf = synthConstructs((s) => new GatewayNetwork(s, "Net", { ...base, azCount: 3, cidr: "10.20.0.0/16", logsKmsKeyArn: "key-arn" }));

  it("spreads public and private subnets over azCount AZs with tier tags", () => {
    const subnets = resources(tf, "aws_subnet");
    expect(subnets).toHaveLength(6);
    expect(subnets.filter((s) => s.tags[SUBNET_TIER_TAG] === "private")).toHaveLength(3);
    expect(subnets.filter((s) => s.tags[SUBNET_TIER_TAG] === "public")).toHaveLength(3);
    expect(subnets.every((s) => s.map_public_ip_on_launch !== true)).toBe(true);
    expect(single(tf, "aws_vpc")).toMatchObject({ cidr_block: "10.20.0.0/16", enable_dns_hostnames: true, enable_dns_support: true });
  });

  it("pins subnets by zone id from a zone list closed by name and not filtered on state", () => {
    const [[azsId, azs]] = Object.entries(tf.data!.aws_availability_zones!);
    expect(azs.state).toBeUndefined();
    expect(azs.filter).toEqual([
      { name: "opt-in-status", values: ["opt-in-not-required"] },
      { name: "zone-name", values: ZONE_NAME_LETTERS.map((l) => `eu-central-2${l}`) },
    ]);
    expect(azs.lifecycle.postcondition).toEqual([
      { condition: "${length(self.zone_ids) >= 3}", error_message: expect.stringContaining("fewer than 3 availability zones (azCount)") },
    ]);
    const subnets = resourceEntries(tf, "aws_subnet");
    for (const [name, subnet] of subnets) {
      const i = Number(/(\d+)$/.exec(name.replace(/_[0-9A-F]{8}$/, ""))![1]);
      expect(subnet.availability_zone).toBeUndefined();
      expect(subnet.availability_zone_id).toBe(`\${element(data.aws_availability_zones.${azsId}.zone_ids, ${i})}`);
      expect(subnet.lifecycle.ignore_changes).toEqual(["availability_zone_id", "availability_zone"]);
    }
    expect(subnets.map(([name]) => name.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual(
      ["Net_Private0", "Net_Private1", "Net_Private2", "Net_Public0", "Net_Public1", "Net_Public2"],
    );
  });

  it("has one NAT gateway per AZ and a default route through it from each private route table", () => {
    expect(resources(tf, "aws_nat_gateway")).toHaveLength(3);
    const natRoutes = resources(tf, "aws_route").filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(3);
  });

  it("locks down the default security group", () => {
    expect(single(tf, "aws_default_security_group")).toMatchObject({ ingress: [], egress: [] });
  });

  it("sends all flow logs to an encrypted group with retention, via a least-privilege role", () => {
    expect(single(tf, "aws_flow_log")).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    expect(single(tf, "aws_cloudwatch_log_group")).toMatchObject({ retention_in_days: 30, kms_key_id: "key-arn" });
    const trust = JSON.parse(single(tf, "aws_iam_role").assume_role_policy);
    expect(trust.Statement[0].Principal.Service).toBe(servicePrincipal("vpc-flow-logs", base.region));
    const policy = JSON.parse(single(tf, "aws_iam_role_policy").policy);
    expect(policy.Statement[0].Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
    expect(policy.Statement[0].Resource.every((r: string) => r.includes("aws_cloudwatch_log_group"))).toBe(true);
  });
});

describe("GatewayNetwork variants", () => {
  it("has no NAT, EIP or default route from private subnets when outbound is disabled", () => {
    const tf = synthConstructs((s) => new GatewayNetwork(s, "Net", { ...base, outboundDisabled: true }));
    expect(resources(tf, "aws_nat_gateway")).toHaveLength(0);
    expect(resources(tf, "aws_eip")).toHaveLength(0);
    expect(resources(tf, "aws_route").filter((r) => !r.gateway_id)).toHaveLength(0);
  });

  it("shares one NAT gateway when asked", () => {
    const tf = synthConstructs((s) => new GatewayNetwork(s, "Net", { ...base, natGateways: "single" }));
    expect(resources(tf, "aws_nat_gateway")).toHaveLength(1);
    expect(resources(tf, "aws_route").filter((r) => r.nat_gateway_id)).toHaveLength(2);
  });

  it("classifies an existing VPC's subnets by the Tier tag only and creates no network", () => {
    const tf = synthConstructs((s) => new GatewayNetwork(s, "Net", { ...base, existingVpcId: "vpc-0123456789abcdef0" }));
    expect(resources(tf, "aws_vpc")).toHaveLength(0);
    expect(resources(tf, "aws_flow_log")).toHaveLength(0);
    const filters = dataSources(tf, "aws_subnets").map((d) => d.filter);
    expect(filters).toHaveLength(2);
    for (const f of filters) {
      expect(f.map((x: { name: string }) => x.name)).toEqual(["vpc-id", `tag:${SUBNET_TIER_TAG}`]);
    }
    expect(filters.map((f) => f[1].values[0]).sort()).toEqual(["private", "public"]);
  });

  it("stops the plan with a postcondition when an existing VPC lacks two subnets of a required tier", () => {
    const conditions = (requirePublicSubnets?: boolean) => {
      const tf = synthConstructs((s) => new GatewayNetwork(s, "Net", { ...base, existingVpcId: "vpc-0123456789abcdef0", requirePublicSubnets }));
      return Object.fromEntries(
        dataSources(tf, "aws_subnets").map((d) => [
          d.filter.find((f: { name: string }) => f.name === `tag:${SUBNET_TIER_TAG}`).values[0],
          d.lifecycle?.postcondition as { condition: string; error_message: string }[] | undefined,
        ]),
      );
    };
    const both = conditions();
    for (const tier of ["private", "public"]) {
      expect(both[tier]).toEqual([
        { condition: `\${length(self.ids) >= ${MIN_SUBNETS_PER_TIER}}`, error_message: expect.stringContaining(`tagged ${SUBNET_TIER_TAG}=${tier}`) },
      ]);
      expect(both[tier]![0]!.error_message).toContain("vpc-0123456789abcdef0");
    }
    const privateOnly = conditions(false);
    expect(privateOnly.private).toHaveLength(1);
    expect(privateOnly.public).toBeUndefined();
  });

  it("names the offending prop", () => {
    expect(() => synthConstructs((s) => new GatewayNetwork(s, "N", { ...base, azCount: 4 }))).toThrow(/azCount/);
    expect(() => synthConstructs((s) => new GatewayNetwork(s, "N", { ...base, cidr: "10.0.0.0/8" }))).toThrow(/cidr/);
    expect(() => synthConstructs((s) => new GatewayNetwork(s, "N", { ...base, existingVpcId: "vpc-xyz" }))).toThrow(/existingVpcId/);
    expect(() => synthConstructs((s) => new GatewayNetwork(s, "N", { ...base, flowLogRetentionDays: 0 }))).toThrow(/retentionDays/);
  });
});
