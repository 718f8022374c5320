import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { boundedName } from "./names";
import { chunkPathPatterns } from "./route-rules";
import { requireInteger } from "../validation";

/** TLS 1.3 + 1.2 policy, available in every partition. */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** A JSON fixed response in the error shape clients of the gateway expect. */
function fixedResponse(statusCode: string, message: string) {
  return {
    type: "fixed-response",
    fixedResponse: { statusCode, contentType: "application/json", messageBody: JSON.stringify({ error: { message, code: statusCode } }) },
  };
}

/** Who may open connections to the load balancer. */
export type LoadBalancerIngress =
  | { readonly kind: "cidr"; readonly ipv4: readonly string[]; readonly ipv6?: readonly string[] }
  /** A managed prefix list, e.g. CloudFront's origin-facing list (counts as its max entries against the SG quota). */
  | { readonly kind: "prefix-list"; readonly prefixListId: string };

export interface OriginHeaderCheck {
  readonly name: string;
  /** Secret value (token). Alphanumeric so it is matched literally. */
  readonly value: string;
}

export interface GatewayLoadBalancerProps {
  /** Prefix of the security group name. */
  readonly baseName: string;
  /** ALB name (ResourceNames.alb); 1-32 characters. Default `<baseName>-alb`, shortened with a hash if needed. */
  readonly loadBalancerName?: string;
  /** Target group name (ResourceNames.targetGroups.middleware); 1-32 characters. Default `<baseName>-tg`. */
  readonly targetGroupName?: string;
  /** internet-facing (false) or internal (true). */
  readonly internal: boolean;
  readonly vpcId: string;
  /** Subnets of the load balancer (public for internet-facing, private for internal). */
  readonly subnetIds: string[];
  /** ACM certificate ARN for the HTTPS listener. */
  readonly certificateArn: string;
  readonly ingress: LoadBalancerIngress;
  /** Also listen on :80, only to redirect to HTTPS. Default true. Nothing is ever forwarded over plain HTTP. */
  readonly httpRedirect?: boolean;
  /** Target port and the readiness path the target group checks. */
  readonly targetPort: number;
  readonly healthCheckPath: string;
  /**
   * ALB path patterns of the routes the target serves explicitly (from the middleware route table); forwarded by
   * generated listener rules. Default: none.
   */
  readonly routePatterns?: readonly string[];
  /**
   * Where requests that match no route pattern go. "forward": to the same target (the middleware proxies every
   * other path to LiteLLM). "reject": 404. Default "forward".
   */
  readonly unmatched?: "forward" | "reject";
  /** Path patterns answered with 404 by the load balancer (e.g. admin endpoints). Default none. */
  readonly blockedPatterns?: readonly string[];
  /** When set, every forwarding rule also requires this header (CloudFront origin protection); others get 403. */
  readonly originHeader?: OriginHeaderCheck;
  /** Access-log bucket (base hand-off `alb-log-bucket`) and key prefix. */
  readonly accessLogBucket?: string;
  readonly accessLogPrefix?: string;
  /** Seconds an idle connection stays open; LLM calls can be silent for minutes. Default 600. */
  readonly idleTimeoutSeconds?: number;
  /** Seconds in-flight requests (streams) get to finish when a target deregisters. Default 120. */
  readonly deregistrationDelaySeconds?: number;
  /** Default false. */
  readonly deletionProtection?: boolean;
}

/** What the listener on `port` receives: 80 only answers a redirect to HTTPS. */
function ingressDescription(port: number): string {
  return port === 80 ? "HTTP to the redirect-to-HTTPS listener" : `HTTPS to the listener on ${port}`;
}

/**
 * Application Load Balancer with an HTTPS listener, an optional HTTP listener that only redirects, one IP target
 * group, listener rules generated from route patterns, and a security group whose ingress is exactly `ingress` on
 * the listener ports and whose egress reaches only the targets (see allowTargets()).
 */
export class GatewayLoadBalancer extends Construct {
  readonly lb: Lb;
  readonly securityGroup: SecurityGroup;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  readonly httpListener?: LbListener;
  readonly rules: LbListenerRule[] = [];
  private readonly targetPort: number;

  constructor(scope: Construct, id: string, props: GatewayLoadBalancerProps) {
    super(scope, id);
    this.targetPort = props.targetPort;
    const idle = requireInteger("GatewayLoadBalancer", "idleTimeoutSeconds", props.idleTimeoutSeconds ?? 600, 1, 4000);
    const httpRedirect = props.httpRedirect ?? true;
    const lbName = props.loadBalancerName ?? boundedName(props.baseName, "alb");
    const tgName = props.targetGroupName ?? boundedName(props.baseName, "tg");
    for (const [prop, name] of [["loadBalancerName", lbName], ["targetGroupName", tgName]] as const) {
      if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name)) {
        throw new Error(`${prop}: "${name}" must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen`);
      }
    }

    this.securityGroup = new SecurityGroup(this, "sg", {
      namePrefix: `${props.baseName}-alb-`,
      description: "Load balancer: HTTPS in from the allowed sources, out to the targets only",
      vpcId: props.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    const ports = httpRedirect ? [443, 80] : [443];
    for (const port of ports) this.addIngress(port, props.ingress);

    this.lb = new Lb(this, "alb", {
      name: lbName,
      loadBalancerType: "application",
      internal: props.internal,
      subnets: props.subnetIds,
      securityGroups: [this.securityGroup.id],
      idleTimeout: idle,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? false,
      enableHttp2: true,
      ...(props.accessLogBucket
        ? { accessLogs: { bucket: props.accessLogBucket, prefix: props.accessLogPrefix ?? props.baseName, enabled: true } }
        : {}),
    });

    this.targetGroup = new LbTargetGroup(this, "tg", {
      name: tgName,
      port: props.targetPort,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 120),
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath,
        port: "traffic-port",
        protocol: "HTTP",
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      lifecycle: { createBeforeDestroy: true },
    });

    const forward = { type: "forward", targetGroupArn: this.targetGroup.arn };
    const unmatched = props.unmatched ?? "forward";
    const notFound = fixedResponse("404", "Not found");
    const denied = props.originHeader ? fixedResponse("403", "Forbidden") : notFound;
    this.httpsListener = new LbListener(this, "https", {
      loadBalancerArn: this.lb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: ALB_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [props.originHeader || unmatched === "reject" ? denied : forward],
    });
    if (httpRedirect) {
      this.httpListener = new LbListener(this, "http", {
        loadBalancerArn: this.lb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      });
    }

    const blocked = chunkPathPatterns(props.blockedPatterns ?? []);
    if (blocked.length > 9) throw new Error("blockedPatterns: at most 9 rules (45 patterns)");
    blocked.forEach((patterns, i) => {
      this.rules.push(
        new LbListenerRule(this, `blocked-${i + 1}`, {
          listenerArn: this.httpsListener.arn,
          priority: 1 + i,
          condition: [{ pathPattern: { values: patterns } }],
          action: [notFound],
        }),
      );
    });

    const headerCondition = props.originHeader
      ? [{ httpHeader: { httpHeaderName: props.originHeader.name, values: [props.originHeader.value] } }]
      : [];
    const chunks = chunkPathPatterns(props.routePatterns ?? [], { usedValues: headerCondition.length });
    chunks.forEach((patterns, i) => {
      this.rules.push(
        new LbListenerRule(this, `route-${i + 1}`, {
          listenerArn: this.httpsListener.arn,
          priority: 10 + i,
          condition: [{ pathPattern: { values: patterns } }, ...headerCondition],
          action: [forward],
        }),
      );
    });
    if (props.originHeader && unmatched === "forward") {
      // Any other path from CloudFront goes to the middleware, which proxies it to LiteLLM.
      this.rules.push(
        new LbListenerRule(this, "origin-any-path", {
          listenerArn: this.httpsListener.arn,
          priority: 1000,
          condition: [...headerCondition],
          action: [forward],
        }),
      );
    }
  }

  private addIngress(port: number, ingress: LoadBalancerIngress): void {
    const base = { securityGroupId: this.securityGroup.id, ipProtocol: "tcp", fromPort: port, toPort: port };
    if (ingress.kind === "prefix-list") {
      new VpcSecurityGroupIngressRule(this, `in-${port}-pl`, { ...base, prefixListId: ingress.prefixListId, description: `${ingressDescription(port)} from CloudFront origin-facing` });
      return;
    }
    const description = ingressDescription(port);
    ingress.ipv4.forEach((cidr, i) => new VpcSecurityGroupIngressRule(this, `in-${port}-v4-${i}`, { ...base, cidrIpv4: cidr, description }));
    (ingress.ipv6 ?? []).forEach((cidr, i) => new VpcSecurityGroupIngressRule(this, `in-${port}-v6-${i}`, { ...base, cidrIpv6: cidr, description }));
  }

  /** Opens the target port from this load balancer to the targets' security group (egress here, ingress there). */
  allowTargets(targetSecurityGroupId: string): void {
    const rule = { ipProtocol: "tcp", fromPort: this.targetPort, toPort: this.targetPort };
    new VpcSecurityGroupEgressRule(this, "out-targets", {
      ...rule,
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: targetSecurityGroupId,
      description: "Load balancer to targets",
    });
    new VpcSecurityGroupIngressRule(this, "targets-in", {
      ...rule,
      securityGroupId: targetSecurityGroupId,
      referencedSecurityGroupId: this.securityGroup.id,
      description: "From the load balancer",
    });
  }
}
