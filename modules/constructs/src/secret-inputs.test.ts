import { describe, expect, it } from "vitest";
import { SECRET_VARIABLE_NAMES, SecretInputs, type SecretInputsProps } from "./secret-inputs";
import { GatewaySecret } from "./secret";
import { resources, synthConstructs } from "./testing";

/** Variables, plus the secret strings of secrets fed from the inputs' expressions. */
function synth(props: SecretInputsProps) {
  let inputs: SecretInputs | undefined;
  const tf = synthConstructs((s) => {
    inputs = new SecretInputs(s, "In", props);
    new GatewaySecret(s, "P", { namePrefix: "p", description: "p", value: inputs.providerKeysJson });
    if (inputs.globalBedrockCredentialsJson) {
      new GatewaySecret(s, "G", { namePrefix: "g", description: "g", value: inputs.globalBedrockCredentialsJson });
    }
  });
  const values = resources(tf, "aws_secretsmanager_secret_version").map((v) => v.secret_string as string);
  return { variables: tf.variable ?? {}, inputs: inputs!, values };
}

describe("SecretInputs", () => {
  it("declares sensitive map variables named for TF_VAR_ use, requiring the keys the settings enable", () => {
    const { variables, inputs, values } = synth({ providerKeys: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"], observabilityKeys: ["LANGSMITH_API_KEY"] });
    expect(Object.keys(variables).sort()).toEqual([SECRET_VARIABLE_NAMES.observabilityKeys, SECRET_VARIABLE_NAMES.providerKeys]);
    const provider = variables[SECRET_VARIABLE_NAMES.providerKeys];
    expect(provider).toMatchObject({ type: "map(string)", sensitive: true, nullable: false, default: {} });
    expect(provider.validation[0].condition).toBe(
      '${alltrue([for k in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"] : length(lookup(var.provider_keys, k, "")) > 0])}',
    );
    expect(provider.validation[0].error_message).toMatch(/^The provider_keys variable must hold a value for each of OPENAI_API_KEY, ANTHROPIC_API_KEY .*\.$/);
    expect(variables[SECRET_VARIABLE_NAMES.observabilityKeys].validation[0].condition).toContain('["LANGSMITH_API_KEY"]');
    expect(values).toEqual(["${jsonencode(merge(var.provider_keys, var.observability_keys))}"]);
    expect(inputs.providerKeysJsonKeys).toEqual(["ANTHROPIC_API_KEY", "LANGSMITH_API_KEY", "OPENAI_API_KEY"]);
    expect(inputs.globalBedrockCredentialsJson).toBeUndefined();
  });

  it("adds no validation when no key is required", () => {
    const { variables } = synth({});
    expect(variables[SECRET_VARIABLE_NAMES.providerKeys].validation).toBeUndefined();
  });

  it("declares the global Bedrock credentials object only when its keys are given, required by validation", () => {
    const { variables, values } = synth({ globalBedrockCredentialKeys: ["GLOBAL_BEDROCK_ACCESS_KEY_ID", "GLOBAL_BEDROCK_SECRET_ACCESS_KEY"] });
    const g = variables[SECRET_VARIABLE_NAMES.globalBedrockCredentials];
    expect(g).toMatchObject({
      type: "object({GLOBAL_BEDROCK_ACCESS_KEY_ID=string, GLOBAL_BEDROCK_SECRET_ACCESS_KEY=string})",
      sensitive: true,
      nullable: false,
    });
    expect(g.default).toBeUndefined();
    expect(g.validation[0].condition).toMatch(/^\$\{try\(alltrue\(.*var\.global_bedrock_credentials\[k\]/);
    expect(values).toContain("${jsonencode(var.global_bedrock_credentials)}");
  });

  it("rejects names that are not UPPER_SNAKE, naming the prop", () => {
    expect(() => synth({ observabilityKeys: ["langsmith"] })).toThrow(/observabilityKeys must be UPPER_SNAKE/);
  });
});
