import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors";
import { parseJsonObjectBody } from "./json-body";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err.code;
    throw err;
  }
  return undefined;
}

describe("parseJsonObjectBody", () => {
  it("parses an object from a Buffer or a string", () => {
    expect(parseJsonObjectBody(Buffer.from('{"a":1}'), { allowEmpty: false })).toEqual({ a: 1 });
    expect(parseJsonObjectBody('{"b":[2]}', { allowEmpty: true })).toEqual({ b: [2] });
  });

  it("treats a blank body as {} only when empty bodies are allowed", () => {
    expect(parseJsonObjectBody(Buffer.from("  \n"), { allowEmpty: true })).toEqual({});
    expect(parseJsonObjectBody(undefined, { allowEmpty: true })).toEqual({});
    expect(codeOf(() => parseJsonObjectBody("", { allowEmpty: false }))).toBe("GW_VALIDATION");
  });

  it("rejects malformed JSON and non-object JSON with distinct codes", () => {
    expect(codeOf(() => parseJsonObjectBody("{nope", { allowEmpty: true }))).toBe("GW_INVALID_JSON");
    expect(codeOf(() => parseJsonObjectBody("[1,2]", { allowEmpty: true }))).toBe("GW_VALIDATION");
    expect(codeOf(() => parseJsonObjectBody("null", { allowEmpty: false }))).toBe("GW_VALIDATION");
  });
});
