// The optional `bastion` stack: one small EC2 instance in the base VPC for reaching a private load balancer through
// SSM Session Manager port forwarding. No inbound rule by default: sessions (and SSH-over-SSM when a key pair is
// set) go through SSM. In no-egress mode it adds the Session Manager endpoints the base stack does not create
// (ssmmessages, ec2messages; base creates ssm). The few knobs only this stack uses are read from the environment by
// bastionOptionsFromEnv().
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { CpuArchitecture } from "@gw/config/types";
import { VpcEndpoints } from "@gw/constructs/network/endpoints";
import { assumeRolePolicy } from "@gw/constructs/iam";
import { managedPolicyArn, regionFacts, servicePrincipal } from "@gw/partition";
import { Annotations, Fn, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { GatewayStack, type GatewayStackProps } from "./gateway-stack";

export interface BastionOptions {
  /** BASTION_SUBNET: "private" (default; needs NAT or SSM endpoints) or "public" (public IP, needed only for direct SSH). */
  readonly subnet: "private" | "public";
  /** BASTION_INSTANCE_TYPE. Default t4g.nano (arm64) / t3.nano (x86_64) following CPU_ARCHITECTURE. */
  readonly instanceType?: string;
  /** BASTION_SSH_CIDR: allow direct SSH (22) from this IPv4 CIDR; needs a public subnet and EC2_KEY_PAIR_NAME. Default none. */
  readonly sshCidr?: string;
}

const CIDR_V4 = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;

/** Reads the bastion's own knobs; throws listing every invalid one. */
export function bastionOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): BastionOptions {
  const problems: string[] = [];
  const subnet = (env.BASTION_SUBNET ?? "private").trim().toLowerCase();
  if (subnet !== "private" && subnet !== "public") problems.push(`BASTION_SUBNET: "${subnet}" must be private or public`);
  const sshCidr = env.BASTION_SSH_CIDR?.trim() || undefined;
  if (sshCidr !== undefined && !CIDR_V4.test(sshCidr)) problems.push(`BASTION_SSH_CIDR: "${sshCidr}" is not an IPv4 CIDR`);
  if (sshCidr === "0.0.0.0/0") problems.push("BASTION_SSH_CIDR: SSH from the whole internet is refused; give your own address range or use SSM");
  if (sshCidr !== undefined && subnet !== "public") problems.push("BASTION_SSH_CIDR + BASTION_SUBNET: direct SSH needs BASTION_SUBNET=public");
  const instanceType = env.BASTION_INSTANCE_TYPE?.trim() || undefined;
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return { subnet: subnet as BastionOptions["subnet"], instanceType, sshCidr };
}

/** Public SSM parameter holding the latest Amazon Linux 2023 AMI for the architecture (published in every partition). */
export function amazonLinuxAmiParameter(architecture: CpuArchitecture): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture === "arm64" ? "arm64" : "x86_64"}`;
}

/** Interface endpoints Session Manager needs besides `ssm`, which the base stack already creates. */
export const SESSION_MANAGER_ENDPOINT_SERVICES = ["ssmmessages", "ec2messages"] as const;

export interface BastionStackProps extends GatewayStackProps {
  /** Default: bastionOptionsFromEnv(process.env). */
  readonly options?: BastionOptions;
}

export class BastionStack extends GatewayStack {
  constructor(scope: Construct, id: string, props: BastionStackProps) {
    super(scope, id, props);
    const s = this.settings;
    const options = props.options ?? bastionOptionsFromEnv();
    const prefix = `${this.names.prefix}-bastion`;
    const keyName = s.auxiliary?.bastionKeyPairName;
    if (options.sshCidr && !keyName) throw new Error("BASTION_SSH_CIDR + EC2_KEY_PAIR_NAME: direct SSH needs a key pair");
    const vpcId = this.handoff("vpc-id");

    const sg = new SecurityGroup(this, "sg", {
      namePrefix: `${prefix}-`,
      description: "Bastion: no inbound by default; out to HTTPS (SSM, the load balancer)",
      vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupEgressRule(this, "out-https", {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "Session Manager, the load balancer",
    });
    if (options.sshCidr) {
      new VpcSecurityGroupIngressRule(this, "in-ssh", {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: options.sshCidr,
        description: "SSH from BASTION_SSH_CIDR",
      });
    }

    const role = new IamRole(this, "role", {
      name: prefix,
      assumeRolePolicy: assumeRolePolicy(servicePrincipal("ec2", s.region)),
    });
    new IamRolePolicyAttachment(this, "ssm-core", { role: role.name, policyArn: managedPolicyArn("AmazonSSMManagedInstanceCore", s.region) });
    const profile = new IamInstanceProfile(this, "profile", { name: prefix, role: role.name });

    const ami = new DataAwsSsmParameter(this, "ami", { name: amazonLinuxAmiParameter(s.architecture) });
    const subnetIds = Fn.split(",", this.handoff(options.subnet === "public" ? "public-subnet-ids" : "private-subnet-ids"));
    const instance = new Instance(this, "instance", {
      ami: ami.value,
      instanceType: options.instanceType ?? (s.architecture === "arm64" ? "t4g.nano" : "t3.nano"),
      subnetId: Fn.element(subnetIds, 0),
      vpcSecurityGroupIds: [sg.id],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: options.subnet === "public",
      keyName,
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8, deleteOnTermination: true },
      monitoring: false,
      tags: { Name: prefix },
      lifecycle: { ignoreChanges: ["ami"] },
    });

    if (options.subnet === "private" && s.network.outboundDisabled) this.sessionManagerEndpoints(s.region, prefix, s.network.createVpcEndpoints);
    new TerraformOutput(this, "bastion_instance_id", { value: instance.id });
    new TerraformOutput(this, "port_forward_command", {
      description: "Forward local port 8443 to the private load balancer (replace ALB_DNS_NAME with the ecs stack's alb_dns_name)",
      value: Fn.format(
        "aws ssm start-session --target %s --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host=ALB_DNS_NAME,portNumber=443,localPortNumber=8443",
        [instance.id],
      ),
    });
  }

  /**
   * Without egress the instance reaches Session Manager only through VPC endpoints: adds the ones the base stack does
   * not create, where the region offers them, and warns about the rest. In an existing VPC without
   * CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC the operator owns the endpoints (private DNS allows one per service).
   */
  private sessionManagerEndpoints(region: string, prefix: string, createEndpoints: boolean): void {
    if (!createEndpoints) {
      Annotations.of(this).addWarning(
        `The bastion is in an isolated private subnet of an existing VPC: Session Manager needs VPC endpoints for ssm, ${SESSION_MANAGER_ENDPOINT_SERVICES.join(" and ")} ` +
          "there; create them, set CREATE_VPC_ENDPOINTS_IN_EXISTING_VPC=true, or set BASTION_SUBNET=public.",
      );
      return;
    }
    const offered = new Set(regionFacts(region).vpcEndpointServices);
    const services = SESSION_MANAGER_ENDPOINT_SERVICES.filter((service) => offered.has(service));
    const missing = SESSION_MANAGER_ENDPOINT_SERVICES.filter((service) => !offered.has(service));
    if (services.length > 0) {
      new VpcEndpoints(this, "session-manager-endpoints", {
        region,
        namePrefix: prefix,
        vpcId: this.handoff("vpc-id"),
        vpcCidr: this.handoff("vpc-cidr"),
        subnetIds: Fn.split(",", this.handoff("private-subnet-ids")),
        routeTableIds: [],
        interfaceServices: services,
        s3Gateway: false,
      });
    }
    if (missing.length > 0) {
      Annotations.of(this).addWarning(
        `${region} offers no VPC endpoint for ${missing.join(", ")}: Session Manager cannot reach the bastion in an isolated private subnet; set BASTION_SUBNET=public.`,
      );
    }
  }
}
