import { EXAMPLE_ACCOUNT_ID, arn, arnPrefix } from "@gw/partition";
import { describe, expect, it } from "vitest";
import { FAKE_LLM_HEALTH_PATH, FAKE_LLM_PORT, FakeLlmStack, fakeLlmFqdn, fakeLlmOptionsFromEnv } from "./fake-llm-stack";
import { formatViolations, runPolicies } from "./policy/index";
import { noPlaintextForwardingListener } from "./policy/no-plaintext-forwarding-listener";
import { noSecretsInTaskEnv } from "./policy/no-secrets-in-task-env";
import { resourceEntries, settingsFor, single, synthStack } from "@gw/constructs/testing";
import { REGION_MATRIX } from "./region-matrix";
import { stackWarnings } from "@gw/constructs/warnings";

function synthFake(env: Record<string, string> = {}, optionsEnv: Record<string, string> = {}) {
  return synthStack(
    (app) => new FakeLlmStack(app, "fake-llm", { loaded: settingsFor(env), localStateDir: "/tmp", options: fakeLlmOptionsFromEnv(optionsEnv) }),
  );
}

describe("fakeLlmOptionsFromEnv", () => {
  it("has defaults and reads the stack's own variables", () => {
    expect(fakeLlmOptionsFromEnv({})).toEqual({ imageTag: "0.1.0", desiredCount: 2, cpu: 1024, memory: 2048, publicLoadBalancer: false, behaviour: {} });
    const o = fakeLlmOptionsFromEnv({ FAKE_LLM_IMAGE_TAG: "1.2.3", FAKE_LLM_DESIRED_COUNT: "4", FAKE_LLM_PUBLIC_LOAD_BALANCER: "true", FAKE_LLM_TTFT_MS: "200" });
    expect(o).toMatchObject({ imageTag: "1.2.3", desiredCount: 4, publicLoadBalancer: true, behaviour: { FAKE_LLM_TTFT_MS: "200" } });
  });

  it("lists every invalid variable at once", () => {
    const call = () => fakeLlmOptionsFromEnv({ FAKE_LLM_DESIRED_COUNT: "0", FAKE_LLM_PUBLIC_LOAD_BALANCER: "maybe" });
    expect(call).toThrow(/FAKE_LLM_DESIRED_COUNT/);
    expect(call).toThrow(/FAKE_LLM_PUBLIC_LOAD_BALANCER/);
  });

  it("refuses a mutable image tag at synth", () => {
    expect(() => synthFake({}, { FAKE_LLM_IMAGE_TAG: "latest" })).toThrow(/FAKE_LLM_IMAGE_TAG/);
  });
});

describe("FakeLlmStack", () => {
  it("runs the fake image from its ECR repository behind an internal HTTPS load balancer by default", () => {
    const { json, stack } = synthFake();
    const [container] = JSON.parse(single(json, "aws_ecs_task_definition").container_definitions as string);
    expect(container.image).toMatch(/^\$\{data\.aws_ssm_parameter\.handoff-ecr-fake-llm-url\.value\}:0\.1\.0$/);
    expect(container.environment).toContainEqual({ name: "FAKE_LLM_HOST", value: "0.0.0.0" });
    expect(container.environment).toContainEqual({ name: "FAKE_LLM_ACCEPT_ANY_KEY", value: "true" });
    const pull = JSON.parse(resourceEntries(json, "aws_iam_role_policy").find(([, p]) => p.name === "pull-logs-secrets")![1].policy as string);
    expect(pull.Statement.find((s: any) => s.Sid === "EcrPull").Resource).toEqual([
      arn("us-east-1", "ecr", "repository/genai-gateway/fake-llm", { account: "${data.aws_caller_identity.account.account_id}" }),
    ]);
    const lb = single(json, "aws_lb") as any;
    expect(lb.internal).toBe(true);
    expect(lb.name.length).toBeLessThanOrEqual(32);
    const tg = single(json, "aws_lb_target_group") as any;
    expect([tg.port, tg.health_check.path]).toEqual([FAKE_LLM_PORT, FAKE_LLM_HEALTH_PATH]);
    // The admin endpoints are never reachable through the load balancer.
    const blocked = resourceEntries(json, "aws_lb_listener_rule").map(([, r]) => r as any).find((r) => r.action[0].type === "fixed-response");
    expect(blocked.condition[0].path_pattern.values).toEqual(["/__admin/*"]);
    const service = single(json, "aws_ecs_service") as any;
    expect(service.name).toBe("genai-gateway-fake-llm");
    expect(service.desired_count).toBe(2);
    expect(stackWarnings(stack).join("\n")).toMatch(/FAKE_LLM_LOAD_TESTING_ENDPOINT_CERTIFICATE_ARN/);
    expect(json.output.fake_llm_url.value).toMatch(/^https:\/\/\$\{aws_lb\./);
  });

  it("uses its own certificate and DNS settings, publicly when asked", () => {
    const cert = arn("us-east-1", "acm", "certificate/fake", { account: EXAMPLE_ACCOUNT_ID });
    const { json } = synthFake(
      {
        FAKE_LLM_LOAD_TESTING_ENDPOINT_CERTIFICATE_ARN: cert,
        FAKE_LLM_LOAD_TESTING_ENDPOINT_HOSTED_ZONE_NAME: "example.com",
        FAKE_LLM_LOAD_TESTING_ENDPOINT_RECORD_NAME: "fake-llm",
      },
      { FAKE_LLM_PUBLIC_LOAD_BALANCER: "true" },
    );
    expect(json.resource.tls_self_signed_cert).toBeUndefined();
    const https = resourceEntries(json, "aws_lb_listener").map(([, l]) => l as any).find((l) => l.protocol === "HTTPS");
    expect(https.certificate_arn).toBe(cert);
    expect((single(json, "aws_lb") as any).internal).toBe(false);
    expect(single(json, "aws_route53_record")).toMatchObject({ name: "fake-llm.example.com", type: "A" });
    expect(Object.values(json.data.aws_route53_zone ?? {})).toEqual([{ name: "example.com", private_zone: false }]);
    expect(json.output.fake_llm_url.value).toBe("https://fake-llm.example.com");
  });

  it("gets an ACM certificate validated in the public zone when no certificate is given", () => {
    const { json, stack } = synthFake(
      { FAKE_LLM_LOAD_TESTING_ENDPOINT_HOSTED_ZONE_NAME: "example.com", FAKE_LLM_LOAD_TESTING_ENDPOINT_RECORD_NAME: "fake-llm" },
      { FAKE_LLM_PUBLIC_LOAD_BALANCER: "true" },
    );
    expect(single(json, "aws_acm_certificate")).toMatchObject({ domain_name: "fake-llm.example.com", validation_method: "DNS" });
    expect(json.resource.tls_self_signed_cert).toBeUndefined();
    expect(stackWarnings(stack)).toEqual([]);
  });

  it("accepts a record name given as label or FQDN", () => {
    expect(fakeLlmFqdn("fake", "example.com")).toBe("fake.example.com");
    expect(fakeLlmFqdn("fake.example.com", "example.com")).toBe("fake.example.com");
  });

  for (const region of REGION_MATRIX) {
    it(`synthesizes in ${region} and passes the policy rules`, () => {
      const { json, text } = synthFake({ AWS_REGION: region });
      for (const m of text.matchAll(/"(arn:[a-z-]+):/g)) expect(m[1]).toBe(arnPrefix(region));
      const violations = runPolicies({ "fake-llm": json as never }, [noPlaintextForwardingListener, noSecretsInTaskEnv]);
      expect(violations, formatViolations(violations)).toEqual([]);
      const all = runPolicies({ "fake-llm": json as never });
      expect(all, formatViolations(all)).toEqual([]);
    });
  }
});
