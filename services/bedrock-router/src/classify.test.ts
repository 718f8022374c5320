import { describe, expect, it } from "vitest";
import { ThrottlingException, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { classifyError, errorNameOf, isRetryable } from "./classify";

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("failure classes", () => {
  it.each([
    [new ThrottlingException({ message: "slow down", $metadata: {} }), "throttling"],
    [new ValidationException({ message: "bad", $metadata: {} }), "client"],
    [Object.assign(new Error("x"), { name: "ServiceUnavailableException" }), "server"],
    [Object.assign(new Error("x"), { name: "ModelTimeoutException" }), "timeout"],
    [Object.assign(new Error("x"), { name: "TimeoutError" }), "timeout"],
    [withCode("ECONNREFUSED"), "connection"],
    [withCode("ECONNRESET"), "connection"],
    [withCode("ETIMEDOUT"), "timeout"],
    [new Error("socket hang up"), "connection"],
    [Object.assign(new Error("odd"), { name: "SomeNewException", $metadata: { httpStatusCode: 502 } }), "server"],
    [Object.assign(new Error("odd"), { name: "SomeNewException", $metadata: { httpStatusCode: 429 } }), "throttling"],
    [Object.assign(new Error("odd"), { name: "SomeNewException", $metadata: { httpStatusCode: 409 } }), "client"],
    [new TypeError("cannot read properties of undefined"), "local"],
    ["a string", "local"],
  ])("%s -> %s", (error, expected) => {
    expect(classifyError(error)).toBe(expected);
  });

  it("retries only failures that are the target's fault", () => {
    expect(["throttling", "server", "timeout", "connection"].every((c) => isRetryable(c as never))).toBe(true);
    expect(["client", "local", "deadline", "aborted"].some((c) => isRetryable(c as never))).toBe(false);
  });

  it("names errors by SDK name, else Node code", () => {
    expect(errorNameOf(new ThrottlingException({ message: "x", $metadata: {} }))).toBe("ThrottlingException");
    expect(errorNameOf(withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9"))).toBe("ECONNREFUSED");
  });
});
