// The synth-time checks must agree with what the middleware itself accepts at start-up: a value settings accept but
// the middleware refuses crash-loops the task; the reverse refuses a working configuration.
import { describe, expect, it } from "vitest";
import { ADMIN_FIELDS, validatePolicy } from "@gw/middleware/oidc/policy";
import { createOidcVerifier, DEFAULT_ALGORITHMS } from "@gw/middleware/oidc/verifier";
import { PERMITTED_OIDC_ALGORITHMS, SIGNUP_ADMIN_FIELDS } from "@gw/config/signup";
import { load } from "@gw/config/test-helpers";

const verifierWith = (algorithms: string[]) => () => createOidcVerifier({ issuer: "https://idp.example.com", audience: "api://gw", algorithms });

describe("sign-up settings match the middleware", () => {
  it("the admin fields are the middleware's", () => {
    expect([...SIGNUP_ADMIN_FIELDS].sort()).toEqual([...ADMIN_FIELDS].sort());
  });

  it("every algorithm settings accept is accepted by the middleware's verifier; its default is within them", () => {
    for (const alg of PERMITTED_OIDC_ALGORITHMS) expect(verifierWith([alg]), alg).not.toThrow();
    for (const alg of ["HS256", "HS512", "none", "rs256"]) expect(verifierWith([alg]), alg).toThrow(/asymmetric/);
    for (const alg of DEFAULT_ALGORITHMS) expect(PERMITTED_OIDC_ALGORITHMS).toContain(alg);
  });

  it("a policy the settings accept passes the middleware's policy validation", () => {
    const { signup } = load({
      OIDC_ISSUER: "https://idp.example.com", SIGNUP_ALLOWED_FIELDS: "key_alias,models,max_budget,metadata",
      SIGNUP_MAX_BUDGET: "10", SIGNUP_ALLOWED_MODELS: "nova-lite", SIGNUP_MAX_KEYS: "2",
    }).settings.middleware;
    expect(() => validatePolicy({ ...signup, allowedFields: [...signup.allowedFields], allowedModels: [...signup.allowedModels!] })).not.toThrow();
    expect(() => validatePolicy({ allowedFields: [...load({}).settings.middleware.signup.allowedFields] })).not.toThrow();
  });
});
