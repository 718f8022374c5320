import { EXAMPLE_ACCOUNT_ID, arn, arnPrefix, cloudFrontHostedZoneId, cloudFrontOriginFacingPrefixListName } from "@gw/partition";
import { HEALTH_PATHS, MIDDLEWARE_PORT, MIDDLEWARE_ROUTES } from "@gw/middleware/routes";
import { describe, expect, it } from "vitest";
import { EcsStack } from "./ecs-stack";
import { formatViolations, runPolicies } from "./policy/index";
import { noPlaintextForwardingListener } from "./policy/no-plaintext-forwarding-listener";
import { noSecretsInTaskEnv } from "./policy/no-secrets-in-task-env";
import { resourceEntries, settingsFor, single, type SynthesizedStackJson, synthStack } from "@gw/constructs/testing";
import { REGION_MATRIX } from "./region-matrix";
import { stackWarnings as warningsOf } from "@gw/constructs/warnings";

function synthEcs(env: Record<string, string> = {}) {
  return synthStack((app) => new EcsStack(app, "ecs", { loaded: settingsFor(env), localStateDir: "/tmp" }));
}

function containers(json: SynthesizedStackJson): { name: string; environment: { name: string; value: string }[]; secrets: { name: string; valueFrom: string }[]; image: string; healthCheck: { command: string[] }; command?: string[] }[] {
  return JSON.parse(single(json, "aws_ecs_task_definition").container_definitions as string);
}

/** Name of the hand-off data source whose parameter name ends with `/key`. */
function handoffRef(json: SynthesizedStackJson, key: string): string {
  const entry = Object.entries(json.data.aws_ssm_parameter ?? {}).find(([, c]) => String(c.name).endsWith(`/${key}`));
  if (!entry) throw new Error(`no hand-off read of ${key}`);
  return `\${data.aws_ssm_parameter.${entry[0]}.value}`;
}

function policyOf(json: SynthesizedStackJson, nameSuffix: string): { Sid?: string; Action: string[]; Resource: string[] }[] {
  const p = resourceEntries(json, "aws_iam_role_policy").find(([, c]) => c.name === nameSuffix);
  if (!p) throw new Error(`no policy ${nameSuffix}`);
  return JSON.parse(p[1].policy as string).Statement;
}

const ownPolicies = [noPlaintextForwardingListener, noSecretsInTaskEnv];

const acm = (region: string, id: string) => arn(region, "acm", `certificate/${id}`, { account: EXAMPLE_ACCOUNT_ID });

describe("EcsStack: workload", () => {
  const { json } = synthEcs();
  const [litellm, middleware] = containers(json);

  it("puts the config hash and the content-addressed key from the hand-off into the task definition", () => {
    const env = Object.fromEntries(litellm!.environment.map((e) => [e.name, e.value]));
    expect(env.LITELLM_CONFIG_HASH).toBe(handoffRef(json, "config-hash"));
    expect(env.LITELLM_CONFIG_BUCKET_OBJECT_KEY).toBe(handoffRef(json, "config-object-key"));
    expect(env.LITELLM_CONFIG_BUCKET_NAME).toBe(handoffRef(json, "config-bucket"));
  });

  it("pins images by tag from our ECR, never :latest", () => {
    expect(litellm!.image.startsWith(`${handoffRef(json, "ecr-litellm-url")}:`)).toBe(true);
    expect(middleware!.image.startsWith(`${handoffRef(json, "ecr-middleware-url")}:`)).toBe(true);
    for (const c of [litellm!, middleware!]) expect(c.image).not.toMatch(/:latest$/);
  });

  it("keeps LiteLLM on loopback and exposes only the middleware to the target group", () => {
    expect(litellm!.command).toEqual(["--host", "127.0.0.1", "--port", "4000"]);
    const service = single(json, "aws_ecs_service") as { load_balancer: { container_name: string; container_port: number }[] };
    expect(service.load_balancer).toEqual([expect.objectContaining({ container_name: "middleware", container_port: MIDDLEWARE_PORT })]);
  });

  it("has real container health checks on the health paths", () => {
    for (const c of [litellm!, middleware!]) {
      expect(c.healthCheck.command.join(" ")).toContain(HEALTH_PATHS.liveliness);
      expect(c.healthCheck.command.join(" ")).not.toMatch(/exit 0/);
    }
    const tg = single(json, "aws_lb_target_group") as { health_check: { path: string }; port: number };
    expect(tg.health_check.path).toBe(HEALTH_PATHS.readiness);
    expect(tg.port).toBe(MIDDLEWARE_PORT);
  });

  it("passes secrets only by Secrets Manager reference", () => {
    const refs = [...litellm!.secrets, ...middleware!.secrets];
    expect(refs.map((r) => r.name)).toEqual(expect.arrayContaining(["LITELLM_MASTER_KEY", "DATABASE_URL", "REDIS_PASSWORD", "DATABASE_MIDDLEWARE_URL"]));
    for (const r of refs) expect(r.valueFrom).toMatch(/^\$\{data\.aws_ssm_parameter\.handoff-secret-arn-/);
    expect(runPolicies({ ecs: json as never }, [noSecretsInTaskEnv])).toEqual([]);
  });

  it("leaves desired_count to autoscaling after creation and rolls back failed deployments", () => {
    const service = single(json, "aws_ecs_service") as Record<string, any>;
    expect(service.lifecycle.ignore_changes).toEqual(["desired_count"]);
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    const metrics = resourceEntries(json, "aws_appautoscaling_policy").map(
      ([, p]) => (p as any).target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type,
    );
    expect(metrics.sort()).toEqual(["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"]);
  });

  it("sizes the Fargate task and platform from the settings", () => {
    const task = single(synthEcs({ CPU_ARCHITECTURE: "x86_64", ECS_CPU: "1024", ECS_MEMORY: "3072" }).json, "aws_ecs_task_definition") as any;
    expect(task.runtime_platform.cpu_architecture).toBe("X86_64");
    expect([task.cpu, task.memory]).toEqual(["1024", "3072"]);
    expect((single(json, "aws_ecs_task_definition") as any).runtime_platform.cpu_architecture).toBe("ARM64");
  });

  it("grants the task role no wildcard actions and scopes Bedrock to model and profile ARNs", () => {
    const statements = policyOf(json, "workload");
    for (const s of statements) for (const a of s.Action) expect(a).not.toMatch(/\*/);
    const bedrock = statements.find((s) => s.Sid === "BedrockInvoke")!;
    expect(bedrock.Action).toEqual(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]);
    for (const r of bedrock.Resource) expect(r.startsWith(`${arnPrefix("us-east-1")}:bedrock:`)).toBe(true);
    expect(bedrock.Resource.some((r) => r.includes("foundation-model/"))).toBe(true);
    expect(bedrock.Resource.some((r) => r.includes("inference-profile/"))).toBe(true);
    const actions = statements.flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(["bedrock:GetPrompt", "bedrock:ApplyGuardrail", "sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"]));
    const s3 = statements.filter((s) => s.Action.some((a) => a.startsWith("s3:"))).flatMap((s) => s.Resource);
    for (const r of s3) expect(r).toMatch(/handoff-(config-bucket|litellm-log-bucket)/);
  });

  it("lets the execution role read exactly the referenced secrets", () => {
    const secrets = policyOf(json, "pull-logs-secrets").find((s) => s.Sid === "Secrets")!;
    const referenced = new Set([...litellm!.secrets, ...middleware!.secrets].map((r) => r.valueFrom.split(":")[0]));
    expect(new Set(secrets.Resource)).toEqual(referenced);
  });

  it("opens the task only to the ALB on the middleware port and reaches db/redis through their security groups", () => {
    const ingress = resourceEntries(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r as any);
    const intoTask = ingress.filter((r) => r.security_group_id === "${aws_security_group.task-sg.id}");
    expect(intoTask).toHaveLength(1);
    expect(intoTask[0]).toMatchObject({ from_port: MIDDLEWARE_PORT, to_port: MIDDLEWARE_PORT });
    expect(intoTask[0].referenced_security_group_id).toMatch(/aws_security_group\.edge_alb_sg/);
    for (const key of ["db-security-group-id", "redis-security-group-id"]) {
      expect(ingress.some((r) => r.security_group_id === handoffRef(json, key) && r.referenced_security_group_id === "${aws_security_group.task-sg.id}")).toBe(true);
    }
    const egress = resourceEntries(json, "aws_vpc_security_group_egress_rule").map(([, r]) => r as any);
    const fromTask = egress.filter((r) => r.security_group_id === "${aws_security_group.task-sg.id}");
    expect(fromTask.map((r) => r.from_port)).toEqual(expect.arrayContaining([443, 5432, handoffRef(json, "redis-port")]));
    expect(fromTask).toHaveLength(3);
  });
});

describe("EcsStack: credentials per container and managed prompts", () => {
  const env = (c: { environment: { name: string; value: string }[] }) => Object.fromEntries(c.environment.map((e) => [e.name, e.value]));
  const secretsOf = (c: { secrets: { name: string; valueFrom: string }[] }) => Object.fromEntries(c.secrets.map((s) => [s.name, s.valueFrom]));

  it("lets the task read this account's prompts in any region of the partition (GetPrompt goes to the ARN's region)", () => {
    for (const region of ["us-east-1", "us-gov-west-1"]) {
      const { json } = synthEcs({ AWS_REGION: region });
      const prompts = policyOf(json, "workload").find((s) => s.Sid === "BedrockManagedPrompts")!;
      expect(prompts.Action).toEqual(["bedrock:GetPrompt"]);
      expect(prompts.Resource).toEqual([`${arnPrefix(region)}:bedrock:*:\${data.aws_caller_identity.account.account_id}:prompt/*`]);
    }
  });

  it("signs in to the admin UI with UI_USERNAME and the UI-password secret; the middleware gets no master key without OIDC", () => {
    const { json } = synthEcs();
    const [litellm, middleware] = containers(json);
    expect(env(litellm!).UI_USERNAME).toBe("admin");
    expect(secretsOf(litellm!).UI_PASSWORD).toBe(handoffRef(json, "secret-arn/uiPassword"));
    expect(secretsOf(litellm!).UI_PASSWORD).not.toBe(secretsOf(litellm!).LITELLM_MASTER_KEY);
    expect(secretsOf(middleware!)).not.toHaveProperty("LITELLM_MASTER_KEY");
    expect(Object.keys(secretsOf(middleware!)).join(",")).not.toMatch(/GLOBAL_BEDROCK/);
    const readable = policyOf(json, "pull-logs-secrets").find((s) => s.Sid === "Secrets")!.Resource;
    expect(readable).toContain(handoffRef(json, "secret-arn/uiPassword"));
  });

  it("without the admin UI passes neither UI credential nor reads their secret", () => {
    const { json } = synthEcs({ DISABLE_ADMIN_UI: "true" });
    const [litellm] = containers(json);
    expect(env(litellm!)).not.toHaveProperty("UI_USERNAME");
    expect(secretsOf(litellm!)).not.toHaveProperty("UI_PASSWORD");
    expect(() => handoffRef(json, "secret-arn/uiPassword")).toThrow(/no hand-off read/);
  });

  it("China: the middleware gets the global Bedrock credentials (prompts of the global partition) and, with OIDC, the master key", () => {
    const { json } = synthEcs({ AWS_REGION: "cn-north-1", OIDC_ISSUER: "https://idp.example.com/oauth2/default" });
    const [litellm, middleware] = containers(json);
    const global = handoffRef(json, "secret-arn/globalBedrockCredentials");
    for (const c of [litellm!, middleware!]) {
      expect(secretsOf(c), c.name).toMatchObject({
        GLOBAL_BEDROCK_ACCESS_KEY_ID: `${global}:GLOBAL_BEDROCK_ACCESS_KEY_ID::`,
        GLOBAL_BEDROCK_SECRET_ACCESS_KEY: `${global}:GLOBAL_BEDROCK_SECRET_ACCESS_KEY::`,
      });
    }
    expect(secretsOf(middleware!).LITELLM_MASTER_KEY).toBe(handoffRef(json, "secret-arn/masterKey"));
    // No in-partition Bedrock (nor prompts) for the task role in China.
    expect(policyOf(json, "workload").some((s) => s.Action.some((a) => a.startsWith("bedrock:")))).toBe(false);
    expect(runPolicies({ ecs: json as never }, ownPolicies)).toEqual([]);
  });
});

describe("EcsStack: ALB", () => {
  it("serves HTTPS with a TLS 1.2+ policy, drops invalid headers, idles 600 s and logs to the base bucket", () => {
    const { json } = synthEcs({ USE_CLOUDFRONT: "false" });
    const lb = single(json, "aws_lb") as any;
    expect(lb.idle_timeout).toBe(600);
    expect(lb.drop_invalid_header_fields).toBe(true);
    expect(lb.access_logs.bucket).toBe(handoffRef(json, "alb-log-bucket"));
    const listeners = resourceEntries(json, "aws_lb_listener").map(([, l]) => l as any);
    const https = listeners.find((l) => l.protocol === "HTTPS");
    expect(https.ssl_policy).toMatch(/TLS13-1-2/);
    const http = listeners.find((l) => l.protocol === "HTTP");
    expect(http.default_action).toEqual([expect.objectContaining({ type: "redirect", redirect: expect.objectContaining({ protocol: "HTTPS" }) })]);
    expect(runPolicies({ ecs: json as never }, ownPolicies)).toEqual([]);
  });

  it("generates listener rules covering every middleware route pattern within the ALB quota", () => {
    for (const env of [{}, { HOSTED_ZONE_NAME: "example.com" }] as Record<string, string>[]) {
      const { json } = synthEcs(env);
      const rules = resourceEntries(json, "aws_lb_listener_rule").map(([, r]) => r as any);
      const patterns = rules.flatMap((r) => r.condition.flatMap((c: any) => c.path_pattern?.values ?? []));
      for (const route of MIDDLEWARE_ROUTES) expect(patterns).toContain(route.albPattern);
      for (const r of rules) {
        const values = r.condition.reduce((n: number, c: any) => n + (c.path_pattern?.values.length ?? 0) + (c.http_header?.values.length ?? 0), 0);
        expect(values).toBeLessThanOrEqual(5);
      }
    }
  });

  it("associates the base regional web ACL", () => {
    const { json } = synthEcs();
    const assoc = single(json, "aws_wafv2_web_acl_association") as any;
    expect(assoc.web_acl_arn).toBe(handoffRef(json, "waf-regional-arn"));
  });

  it("falls back to a self-signed certificate (the settings warn), and uses the given one otherwise", () => {
    const selfSigned = synthEcs({ USE_CLOUDFRONT: "false" });
    expect(selfSigned.json.resource.tls_self_signed_cert).toBeDefined();
    expect(settingsFor({ USE_CLOUDFRONT: "false" }).warnings.join("\n")).toMatch(/CERTIFICATE_ARN is not set .* self-signed certificate/);
    const cert = acm("us-east-1", "alb");
    const given = synthEcs({ USE_CLOUDFRONT: "false", CERTIFICATE_ARN: cert });
    expect(given.json.resource.tls_self_signed_cert).toBeUndefined();
    expect(settingsFor({ USE_CLOUDFRONT: "false", CERTIFICATE_ARN: cert }).warnings.join("\n")).not.toMatch(/self-signed/);
    const https = resourceEntries(given.json, "aws_lb_listener").map(([, l]) => l as any).find((l) => l.protocol === "HTTPS");
    expect(https.certificate_arn).toBe(cert);
  });
});

describe("EcsStack: distribution scenarios", () => {
  it("no settings: the public ALB directly on a self-signed certificate, with both warnings and no CloudFront", () => {
    const { json, stack } = synthEcs();
    const loaded = settingsFor();
    expect(json.resource.aws_cloudfront_distribution).toBeUndefined();
    expect(json.resource.aws_wafv2_web_acl).toBeUndefined();
    expect((single(json, "aws_lb") as any).internal).toBe(false);
    expect(json.resource.tls_self_signed_cert).toBeDefined();
    const listeners = resourceEntries(json, "aws_lb_listener").map(([, l]) => l as any);
    expect(listeners.map((l) => l.protocol).sort()).toEqual(["HTTP", "HTTPS"]);
    expect(json.output.service_url.value).toMatch(/^https:\/\/\$\{aws_lb\./);
    expect(loaded.warnings.filter((w) => w.startsWith("USE_CLOUDFRONT defaults to false") || w.startsWith("CERTIFICATE_ARN is not set"))).toHaveLength(2);
    expect(warningsOf(stack)).toEqual([]);
  });

  it("(a) CloudFront default domain: https-only origin with the secret header, checked by the ALB", () => {
    // HOSTED_ZONE_NAME only names the origin; clients keep the *.cloudfront.net default domain.
    const { json, text, stack } = synthEcs({ HOSTED_ZONE_NAME: "example.com" });
    const d = single(json, "aws_cloudfront_distribution") as any;
    const origin = d.origin[0];
    expect(origin.custom_origin_config.origin_protocol_policy).toBe("https-only");
    expect(origin.custom_origin_config.origin_ssl_protocols).toEqual(["TLSv1.2"]);
    expect(origin.custom_origin_config.origin_read_timeout).toBe(60);
    expect(origin.custom_header).toEqual([{ name: "X-Origin-Verify", value: expect.stringMatching(/^\$\{random_password\./) }]);
    expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(d.aliases).toBeUndefined();
    // The ALB forwards only requests with that header; anything else gets 403.
    const https = resourceEntries(json, "aws_lb_listener").map(([, l]) => l as any);
    expect(https).toHaveLength(1);
    expect(https[0].default_action[0].fixed_response.status_code).toBe("403");
    for (const [, r] of resourceEntries(json, "aws_lb_listener_rule")) {
      expect((r as any).condition).toContainEqual({ http_header: { http_header_name: "X-Origin-Verify", values: [origin.custom_header[0].value] } });
    }
    // The secret is stored in Secrets Manager and never an output.
    const version = single(json, "aws_secretsmanager_secret_version") as any;
    expect(version.secret_string).toBe(origin.custom_header[0].value);
    expect((single(json, "aws_secretsmanager_secret") as any).name_prefix).toBe("genai-gateway/cloudfront-origin-secret-");
    expect(JSON.stringify(json.output)).not.toMatch(/random_password/);
    // The ALB admits only CloudFront's origin-facing prefix list, on 443 only.
    expect(Object.values(json.data.aws_ec2_managed_prefix_list ?? {})).toEqual([{ name: cloudFrontOriginFacingPrefixListName() }]);
    const albIngress = resourceEntries(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r as any).filter((r) => /edge_alb_sg/.test(r.security_group_id));
    expect(albIngress).toHaveLength(1);
    expect(albIngress[0]).toMatchObject({ from_port: 443, prefix_list_id: expect.stringContaining("aws_ec2_managed_prefix_list") });
    // Caching disabled, all viewer headers but Host, by managed-policy lookups.
    expect(Object.values(json.data.aws_cloudfront_cache_policy ?? {})).toEqual([{ name: "Managed-CachingDisabled" }]);
    expect(Object.values(json.data.aws_cloudfront_origin_request_policy ?? {})).toEqual([{ name: "Managed-AllViewerExceptHostHeader" }]);
    // CLOUDFRONT-scope WAF through the us-east-1 provider.
    const acl = single(json, "aws_wafv2_web_acl") as any;
    expect(acl.scope).toBe("CLOUDFRONT");
    expect(acl.provider).toBe("aws.us_east_1");
    expect(json.provider.aws).toContainEqual(expect.objectContaining({ alias: "us_east_1", region: "us-east-1" }));
    expect(d.web_acl_id).toMatch(/aws_wafv2_web_acl\./);
    expect(json.output.cloudfront_domain_name).toBeDefined();
    expect(json.output.service_url.value).toMatch(/^https:\/\/\$\{aws_cloudfront_distribution\./);
    expect(text).not.toMatch(/"origin_protocol_policy": "http-only"/);
    // The origin is <deployment>-origin.<zone>, an alias of the ALB, with an ACM certificate validated in that zone.
    expect(origin.domain_name).toBe("genai-gateway-origin.example.com");
    const records = resourceEntries(json, "aws_route53_record").map(([, r]) => r as any);
    const originRecord = records.find((r) => r.name === "genai-gateway-origin.example.com");
    expect(originRecord).toMatchObject({ type: "A", alias: { name: expect.stringMatching(/aws_lb\./) } });
    expect(records.some((r) => r.name !== "genai-gateway-origin.example.com" && r.alias?.name?.includes("aws_cloudfront_distribution"))).toBe(false);
    expect(json.resource.tls_self_signed_cert).toBeUndefined();
    const requested = single(json, "aws_acm_certificate") as any;
    expect(requested).toMatchObject({ domain_name: "genai-gateway-origin.example.com", validation_method: "DNS" });
    const validation = single(json, "aws_acm_certificate_validation") as any;
    expect(validation.validation_record_fqdns[0]).toMatch(/aws_route53_record\./);
    expect(https[0].certificate_arn).toMatch(/aws_acm_certificate_validation\./);
    expect(Object.values(json.data.aws_route53_zone ?? {})).toEqual([{ name: "example.com", private_zone: false }]);
    expect(warningsOf(stack)).toEqual([]);
    expect(settingsFor({ HOSTED_ZONE_NAME: "example.com" }).warnings.filter((w) => /self-signed|USE_CLOUDFRONT|ignored/.test(w))).toEqual([]);
  });

  it("(a) with CLOUDFRONT_ORIGIN_DOMAIN and CERTIFICATE_ARN: no zone, CloudFront connects to the operator's name", () => {
    const cert = acm("eu-central-2", "origin");
    const { json, stack } = synthEcs({ AWS_REGION: "eu-central-2", CLOUDFRONT_ORIGIN_DOMAIN: "lb.example.org", CERTIFICATE_ARN: cert });
    const d = single(json, "aws_cloudfront_distribution") as any;
    expect(d.origin[0].domain_name).toBe("lb.example.org");
    expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    const https = resourceEntries(json, "aws_lb_listener").map(([, l]) => l as any);
    expect(https.map((l) => [l.protocol, l.certificate_arn])).toEqual([["HTTPS", cert]]);
    expect(json.resource.aws_route53_record).toBeUndefined();
    expect(json.resource.aws_acm_certificate).toBeUndefined();
    expect(json.data.aws_route53_zone).toBeUndefined();
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/^CloudFront connects to lb\.example\.org \(CLOUDFRONT_ORIGIN_DOMAIN\): point that name at the load balancer/)]);
    expect(json.output.alb_dns_name).toBeDefined();
  });

  it("(b) custom domain on CloudFront: separate us-east-1 and regional certificates, alias records, origin record", () => {
    const cfCert = acm("us-east-1", "cloudfront");
    const albCert = acm("eu-central-2", "alb");
    const { json, stack } = synthEcs({
      AWS_REGION: "eu-central-2",
      USE_ROUTE53: "true",
      HOSTED_ZONE_NAME: "example.com",
      RECORD_NAME: "gateway",
      CLOUDFRONT_CERTIFICATE_ARN: cfCert,
      CERTIFICATE_ARN: albCert,
    });
    const d = single(json, "aws_cloudfront_distribution") as any;
    expect(d.aliases).toEqual(["gateway.example.com"]);
    expect(d.viewer_certificate).toMatchObject({ acm_certificate_arn: cfCert, ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
    expect(d.origin[0].domain_name).toBe("gateway-origin.example.com");
    const https = resourceEntries(json, "aws_lb_listener").map(([, l]) => l as any).find((l) => l.protocol === "HTTPS");
    expect(https.certificate_arn).toBe(albCert);
    const records = resourceEntries(json, "aws_route53_record").map(([, r]) => r as any);
    const viewer = records.filter((r) => r.name === "gateway.example.com");
    expect(viewer.map((r) => r.type).sort()).toEqual(["A", "AAAA"]);
    for (const r of viewer) expect(r.alias.zone_id).toBe(cloudFrontHostedZoneId("eu-central-2"));
    expect(records.find((r) => r.name === "gateway-origin.example.com")?.alias.name).toMatch(/aws_lb\./);
    expect(json.output.service_url.value).toBe("https://gateway.example.com");
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/gateway-origin\.example\.com: the certificate in CERTIFICATE_ARN must be valid/)]);
    expect(Object.keys(json.data.aws_route53_zone ?? {})).toHaveLength(1);
  });

  it("(c) ALB directly with a Route 53 alias, no CloudFront", () => {
    const { json } = synthEcs({
      USE_CLOUDFRONT: "false",
      USE_ROUTE53: "true",
      HOSTED_ZONE_NAME: "example.com",
      RECORD_NAME: "gateway",
      CERTIFICATE_ARN: acm("us-east-1", "alb"),
    });
    expect(json.resource.aws_cloudfront_distribution).toBeUndefined();
    expect(json.resource.aws_wafv2_web_acl).toBeUndefined();
    expect((single(json, "aws_lb") as any).internal).toBe(false);
    const record = single(json, "aws_route53_record") as any;
    expect(record).toMatchObject({ name: "gateway.example.com", type: "A" });
    expect(record.alias.name).toMatch(/aws_lb\./);
    expect(Object.values(json.data.aws_route53_zone ?? {})).toEqual([{ name: "example.com", private_zone: false }]);
    const ingress = resourceEntries(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r as any).filter((r) => /edge_alb_sg/.test(r.security_group_id));
    expect(ingress.map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([[443, "0.0.0.0/0"], [80, "0.0.0.0/0"]]);
    expect(json.output.service_url.value).toBe("https://gateway.example.com");
    expect(json.output.cloudfront_distribution_id).toBeUndefined();
    // Without CERTIFICATE_ARN the record's own name gets a DNS-validated ACM certificate.
    const issued = synthEcs({ USE_CLOUDFRONT: "false", USE_ROUTE53: "true", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gateway" });
    expect((single(issued.json, "aws_acm_certificate") as any).domain_name).toBe("gateway.example.com");
    expect(issued.json.resource.tls_private_key).toBeUndefined();
  });

  it("(d) private ALB: internal, private subnets, VPC CIDR only, private zone record", () => {
    const { json } = synthEcs({
      PUBLIC_LOAD_BALANCER: "false",
      USE_ROUTE53: "true",
      HOSTED_ZONE_NAME: "corp.internal",
      RECORD_NAME: "gateway",
    });
    expect(json.resource.aws_cloudfront_distribution).toBeUndefined();
    const lb = single(json, "aws_lb") as any;
    expect(lb.internal).toBe(true);
    expect(lb.subnets).toContain("handoff-private-subnet-ids");
    const ingress = resourceEntries(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r as any).filter((r) => /edge_alb_sg/.test(r.security_group_id));
    for (const r of ingress) expect(r.cidr_ipv4).toBe(handoffRef(json, "vpc-cidr"));
    const zone = Object.values(json.data.aws_route53_zone ?? {})[0] as any;
    expect(zone).toMatchObject({ name: "corp.internal", private_zone: true });
    expect((single(json, "aws_route53_record") as any).name).toBe("gateway.corp.internal");
  });
});

describe("EcsStack: region matrix", () => {
  for (const region of REGION_MATRIX) {
    it(`synthesizes in ${region} with partition-correct ARNs and passes the policy rules`, () => {
      const { json, text } = synthEcs({ AWS_REGION: region, ...(region.startsWith("cn-") ? { DISABLE_OUTBOUND_NETWORK_ACCESS: "false" } : {}) });
      const prefix = arnPrefix(region);
      for (const m of text.matchAll(/"(arn:[a-z-]+):/g)) expect(m[1]).toBe(prefix);
      const violations = runPolicies({ ecs: json as never }, ownPolicies);
      expect(violations, formatViolations(violations)).toEqual([]);
      const all = runPolicies({ ecs: json as never });
      expect(all, formatViolations(all)).toEqual([]);
      const [litellm] = containers(json);
      const names = litellm!.secrets.map((s) => s.name);
      if (region.startsWith("cn-")) {
        // No CloudFront by default in China (ICP), Bedrock via global credentials, not the task role.
        expect(json.resource.aws_cloudfront_distribution).toBeUndefined();
        expect(names).toEqual(expect.arrayContaining(["GLOBAL_BEDROCK_ACCESS_KEY_ID", "GLOBAL_BEDROCK_SECRET_ACCESS_KEY"]));
        expect(policyOf(json, "workload").some((s) => s.Action.some((a) => a.startsWith("bedrock:")))).toBe(false);
      } else if (region.startsWith("us-gov-")) {
        expect(json.resource.aws_cloudfront_distribution).toBeUndefined();
        expect(json.resource.aws_wafv2_web_acl).toBeUndefined();
        expect(json.data.aws_ec2_managed_prefix_list).toBeUndefined();
        expect(names).not.toContain("GLOBAL_BEDROCK_ACCESS_KEY_ID");
      } else {
        // No zone for an origin name: no CloudFront by default; with one, CloudFront also passes the policy rules.
        expect(json.resource.aws_cloudfront_distribution).toBeUndefined();
        const withZone = synthEcs({ AWS_REGION: region, HOSTED_ZONE_NAME: "example.com" }).json;
        expect(withZone.resource.aws_cloudfront_distribution).toBeDefined();
        const cfViolations = runPolicies({ ecs: withZone as never });
        expect(cfViolations, formatViolations(cfViolations)).toEqual([]);
      }
    });
  }

  it("China opt-in: CloudFront on an ICP domain with an IAM server certificate, header protection, no CloudFront WAF", () => {
    const iamCert = arn("cn-north-1", "iam", "server-certificate/cloudfront/gateway-cn", { account: EXAMPLE_ACCOUNT_ID });
    const { json, stack } = synthEcs({
      AWS_REGION: "cn-north-1",
      USE_CLOUDFRONT: "true",
      USE_ROUTE53: "true",
      HOSTED_ZONE_NAME: "example.cn",
      RECORD_NAME: "gateway",
      CLOUDFRONT_CERTIFICATE_ARN: iamCert,
      CERTIFICATE_ARN: acm("cn-north-1", "alb"),
    });
    const d = single(json, "aws_cloudfront_distribution") as any;
    expect(Object.values(json.data.aws_iam_server_certificate ?? {})).toEqual([{ name: "gateway-cn" }]);
    expect(d.viewer_certificate.iam_certificate_id).toMatch(/data\.aws_iam_server_certificate\./);
    expect(d.aliases).toEqual(["gateway.example.cn"]);
    expect(d.web_acl_id).toBeUndefined();
    expect(json.resource.aws_wafv2_web_acl).toBeUndefined();
    expect(json.data.aws_ec2_managed_prefix_list).toBeUndefined();
    expect(d.default_cache_behavior.response_headers_policy_id).toMatch(/aws_cloudfront_response_headers_policy\./);
    expect(json.resource.aws_cloudwatch_log_delivery).toBeUndefined();
    expect(warningsOf(stack)).toContain("CloudFront access logs are not configured in cn-north-1: this partition has no CloudFront control region for log delivery.");
    const records = resourceEntries(json, "aws_route53_record").map(([, r]) => r as any).filter((r) => r.name === "gateway.example.cn");
    for (const r of records) expect(r.alias.zone_id).toBe(cloudFrontHostedZoneId("cn-north-1"));
    const https = resourceEntries(json, "aws_lb_listener").map(([, l]) => l as any);
    expect(https).toHaveLength(1);
    expect(https[0].default_action[0].fixed_response.status_code).toBe("403");
  });

  it("refuses CloudFront in GovCloud, and without an origin name elsewhere, with messages naming the variables", () => {
    expect(() => synthEcs({ AWS_REGION: "us-gov-west-1", USE_CLOUDFRONT: "true" })).toThrow(/USE_CLOUDFRONT/);
    expect(() => synthEcs({ USE_CLOUDFRONT: "true" })).toThrow(/USE_CLOUDFRONT \+ HOSTED_ZONE_NAME: .*set HOSTED_ZONE_NAME/);
  });
});
