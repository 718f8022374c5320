import { describe, expect, it } from "vitest";
import { regionFacts, vpcEndpointServiceName } from "@gw/partition";
import { DEFAULT_INTERFACE_ENDPOINT_SERVICES, VpcEndpoints, WORKLOAD_ENDPOINT_SERVICES, workloadServicesWithoutEndpoint } from "./endpoints";
import { resources, synthConstructs } from "../testing";

const props = (region: string) => ({
  region,
  namePrefix: "gw",
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/16",
  subnetIds: ["subnet-a", "subnet-b"],
  routeTableIds: ["rtb-a"],
});

describe("VpcEndpoints", () => {
  for (const region of ["us-east-1", "cn-north-1", "us-gov-west-1"]) {
    it(`creates only endpoints offered in ${region}, with partition-aware names`, () => {
      const tf = synthConstructs((s) => new VpcEndpoints(s, "E", props(region)));
      const endpoints = resources(tf, "aws_vpc_endpoint");
      const offered = regionFacts(region).vpcEndpointServices;
      const expectedInterfaces = DEFAULT_INTERFACE_ENDPOINT_SERVICES.filter((x) => offered.includes(x));
      const interfaces = endpoints.filter((e) => e.vpc_endpoint_type === "Interface");
      expect(interfaces.map((e) => e.service_name).sort()).toEqual(expectedInterfaces.map((x) => vpcEndpointServiceName(x, region)).sort());
      expect(interfaces.every((e) => e.private_dns_enabled === true)).toBe(true);
      const gateway = endpoints.filter((e) => e.vpc_endpoint_type === "Gateway");
      expect(gateway.map((e) => e.service_name)).toEqual(offered.includes("s3") ? [vpcEndpointServiceName("s3", region)] : []);
    });
  }

  it("covers every service the workload calls, including bedrock-agent for managed prompts", () => {
    expect(Object.keys(WORKLOAD_ENDPOINT_SERVICES).sort()).toEqual(
      ["bedrock-agent", "bedrock-runtime", "ecr.api", "ecr.dkr", "logs", "s3", "secretsmanager", "ssm", "sts"],
    );
    for (const service of Object.keys(WORKLOAD_ENDPOINT_SERVICES).filter((x) => x !== "s3")) {
      expect(DEFAULT_INTERFACE_ENDPOINT_SERVICES).toContain(service);
    }
  });

  // One region per partition: each workload service gets an endpoint exactly when the region offers it.
  for (const region of ["us-east-1", "cn-north-1", "us-gov-west-1"]) {
    it(`reports the workload services ${region} offers no endpoint for, and creates all the others`, () => {
      let endpoints: VpcEndpoints | undefined;
      const tf = synthConstructs((s) => {
        endpoints = new VpcEndpoints(s, "E", props(region));
      });
      const created = new Set(resources(tf, "aws_vpc_endpoint").map((e) => e.service_name));
      const offered = regionFacts(region).vpcEndpointServices;
      const workload = Object.keys(WORKLOAD_ENDPOINT_SERVICES);
      expect(endpoints!.unavailableWorkloadServices).toEqual(workload.filter((x) => !offered.includes(x)));
      expect(workloadServicesWithoutEndpoint(region)).toEqual(endpoints!.unavailableWorkloadServices);
      for (const x of workload.filter((w) => offered.includes(w))) expect(created).toContain(vpcEndpointServiceName(x, region));
    });
  }
  it("admits HTTPS from the VPC CIDR only", () => {
    const tf = synthConstructs((s) => new VpcEndpoints(s, "E", props("us-east-1")));
    expect(resources(tf, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ cidr_ipv4: "10.0.0.0/16", from_port: 443, to_port: 443, ip_protocol: "tcp" }),
    ]);
  });

  it("rejects a service the region does not offer, naming the prop", () => {
    const missing = DEFAULT_INTERFACE_ENDPOINT_SERVICES.find((x) => !regionFacts("cn-north-1").vpcEndpointServices.includes(x)) ?? "no-such-service";
    expect(() => synthConstructs((s) => new VpcEndpoints(s, "E", { ...props("cn-north-1"), interfaceServices: [missing] }))).toThrow(
      /interfaceServices/,
    );
  });
});
