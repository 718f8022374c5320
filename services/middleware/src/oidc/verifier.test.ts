import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOidcVerifier, OidcError, type OidcVerifier } from "./index";
import { startTestIdp, type TestIdp } from "./test-support";

let idp: TestIdp;
let verifier: OidcVerifier;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  idp = await startTestIdp();
  verifier = createOidcVerifier({ issuer: idp.issuer, audience: idp.audience });
});

afterAll(async () => {
  await idp?.close();
});

async function refusal(token: string, v: OidcVerifier = verifier): Promise<OidcError> {
  const err = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OidcError);
  return err as OidcError;
}

describe("createOidcVerifier with a discovered JWKS on loopback", () => {
  it("accepts valid RS256, ES256 and PS256 tokens and returns sub, email and claims", async () => {
    for (const alg of ["RS256", "ES256", "PS256"] as const) {
      const id = await verifier.verify(await idp.sign({ alg, claims: { groups: ["dev"] } }));
      expect(id.sub).toBe("00u-alice");
      expect(id.email).toBe("alice@example.com");
      expect(id.claims.groups).toEqual(["dev"]);
      expect(id.claims.iss).toBe(idp.issuer);
    }
  });

  it("reads discovery once and reuses the key set", async () => {
    const before = { ...idp.hits };
    for (let i = 0; i < 5; i++) await verifier.verify(await idp.sign());
    expect(idp.hits.discovery - before.discovery).toBe(0);
    expect(idp.hits.discovery).toBe(1);
    expect(idp.hits.jwks).toBe(1);
  });

  it("refuses an expired token beyond the clock skew, accepts one within it", async () => {
    expect((await refusal(await idp.sign({ claims: { exp: now() - 120 } }))).reason).toBe("token expired");
    await expect(verifier.verify(await idp.sign({ claims: { exp: now() - 30 } }))).resolves.toMatchObject({ sub: "00u-alice" });
  });

  it("refuses a token not yet valid beyond the skew, accepts one within it", async () => {
    expect((await refusal(await idp.sign({ claims: { nbf: now() + 300 } }))).reason).toMatch(/not yet valid/);
    await expect(verifier.verify(await idp.sign({ claims: { nbf: now() + 30 } }))).resolves.toMatchObject({ sub: "00u-alice" });
  });

  it("refuses a wrong audience and a wrong issuer", async () => {
    expect((await refusal(await idp.sign({ claims: { aud: "api://other" } }))).reason).toBe("wrong audience");
    expect((await refusal(await idp.sign({ claims: { iss: "https://evil.example/oauth2/default" } }))).reason).toBe("wrong issuer");
  });

  it("refuses alg none and HS256 signed with the public key, before any key lookup", async () => {
    const none = await refusal(idp.unsigned());
    expect(none.reason).toBe("unsupported algorithm none");
    expect(none.message).toBe("invalid token: unsupported algorithm none");
    expect((await refusal(await idp.signHs256WithPublicKey())).reason).toBe("unsupported algorithm HS256");
  });

  it("refuses an unknown key id and a forged signature under a known kid", async () => {
    expect((await refusal(await idp.signWithUnpublishedKey("rogue-1"))).reason).toBe("unknown key id");
    expect((await refusal(await idp.signForgedKid())).reason).toBe("signature verification failed");
  });

  it("refuses malformed tokens and tokens without sub or exp", async () => {
    for (const bad of ["not-a-jwt", "a.b", "abc.def.ghi", "e30.e30.sig"]) expect((await refusal(bad)).reason).toBe("malformed token");
    expect((await refusal(await idp.sign({ omit: ["sub"] }))).reason).toBe("token has no sub claim");
    expect((await refusal(await idp.sign({ omit: ["exp"] }))).reason).toBe("token has no exp claim");
  });

  it("honours a configured algorithm list and clock tolerance", async () => {
    const strict = createOidcVerifier({ issuer: idp.issuer, audience: idp.audience, algorithms: ["ES256"], clockToleranceSec: 5 });
    expect((await refusal(await idp.sign({ alg: "RS256" }), strict)).reason).toBe("unsupported algorithm RS256");
    await expect(strict.verify(await idp.sign({ alg: "ES256" }))).resolves.toMatchObject({ sub: "00u-alice" });
    expect((await refusal(await idp.sign({ alg: "ES256", claims: { exp: now() - 30 } }), strict)).reason).toBe("token expired");
  });

  it("reports a discovery document naming another issuer as 503", async () => {
    idp.setDiscoveryIssuer("https://impostor.example");
    try {
      const fresh = createOidcVerifier({ issuer: idp.issuer, audience: idp.audience });
      const err = await refusal(await idp.sign(), fresh);
      expect(err.statusCode).toBe(503);
      expect(err.reason).toMatch(/names issuer https:\/\/impostor.example/);
    } finally {
      idp.setDiscoveryIssuer(undefined);
    }
  });

  it("refuses unsafe configuration at creation", () => {
    expect(() => createOidcVerifier({ issuer: idp.issuer, audience: "a", algorithms: ["HS256"] })).toThrow(/refused: HS256/);
    expect(() => createOidcVerifier({ issuer: idp.issuer, audience: "a", algorithms: ["none"] })).toThrow(/refused: none/);
    expect(() => createOidcVerifier({ issuer: "http://idp.example.com/oauth2/default", audience: "a" })).toThrow(/https/);
    expect(() => createOidcVerifier({ issuer: idp.issuer, audience: "" })).toThrow(/audience/);
  });
});
