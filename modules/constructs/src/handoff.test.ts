import { describe, expect, it } from "vitest";
import { TerraformOutput, TerraformStack } from "cdktf";
import { HandoffParameters, readHandoff, secretHandoffKey, ssmParameterName } from "./handoff";
import { dataSources, resources, synthConstructs, synthStack } from "./testing";

const names = { ssmPrefix: "/gw-test/" };

describe("ssmParameterName", () => {
  it("joins the prefix and the key", () => {
    expect(ssmParameterName(names, "vpc-id")).toBe("/gw-test/vpc-id");
    expect(ssmParameterName({ ssmPrefix: "/gw-test" }, secretHandoffKey("masterKey"))).toBe("/gw-test/secret-arn/masterKey");
  });
  it("rejects a relative prefix", () => {
    expect(() => ssmParameterName({ ssmPrefix: "gw/" }, "vpc-id")).toThrow(/ssmPrefix/);
  });
});

describe("HandoffParameters", () => {
  it("writes one String parameter per value under the prefix", () => {
    const tf = synthConstructs((scope) => {
      new HandoffParameters(scope, "Handoff", { names, values: { "vpc-id": "vpc-1", [secretHandoffKey("saltKey")]: "x" } });
    });
    const params = resources(tf, "aws_ssm_parameter");
    expect(params.map((p) => p.name).sort()).toEqual(["/gw-test/secret-arn/saltKey", "/gw-test/vpc-id"]);
    expect(params.every((p) => p.type === "String")).toBe(true);
  });
  it("rejects empty values, naming the key", () => {
    expect(() => synthConstructs((scope) => new HandoffParameters(scope, "H", { names, values: { "vpc-cidr": "" } }))).toThrow(/values\["vpc-cidr"\]/);
  });
});

describe("readHandoff", () => {
  it("shares one data source per key and returns its value token", () => {
    const { json: tf } = synthStack((app) => {
      const stack = new TerraformStack(app, "t");
      const a = readHandoff(stack, names, "vpc-id");
      const b = readHandoff(stack, names, "vpc-id");
      readHandoff(stack, names, "redis-port");
      new TerraformOutput(stack, "a", { value: a });
      new TerraformOutput(stack, "b", { value: b });
      return stack;
    });
    expect(tf.output.a.value).toBe("${data.aws_ssm_parameter.handoff-vpc-id.value}");
    expect(tf.output.b.value).toBe(tf.output.a.value);
    expect(dataSources(tf, "aws_ssm_parameter").map((d) => d.name).sort()).toEqual(["/gw-test/redis-port", "/gw-test/vpc-id"]);
  });
});
