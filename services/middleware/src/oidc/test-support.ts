/** Test-only helpers: a loopback OIDC provider (discovery + JWKS) and a token minter with real keys. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

export interface TestIdp {
  readonly issuer: string;
  readonly audience: string;
  /** Requests served, by kind. */
  readonly hits: { discovery: number; jwks: number };
  /** Signs a JWT with a published key (kid "rsa-1" RS256 by default); claims default to a valid token. */
  sign(opts?: { alg?: "RS256" | "ES256" | "PS256"; kid?: string; claims?: JWTPayload; omit?: ("exp" | "sub")[] }): Promise<string>;
  /** Signs with a key that is not in the JWKS. */
  signWithUnpublishedKey(kid: string): Promise<string>;
  /** Signs with a key that is not in the JWKS but claims a published kid. */
  signForgedKid(): Promise<string>;
  /** An HS256 token whose HMAC secret is the RSA public key (the algorithm-confusion attack). */
  signHs256WithPublicKey(): Promise<string>;
  /** An unsigned token (alg "none"). */
  unsigned(): string;
  /** Makes discovery report another issuer. */
  setDiscoveryIssuer(issuer: string | undefined): void;
  close(): Promise<void>;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

export async function startTestIdp(audience = "api://gateway"): Promise<TestIdp> {
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const ec = await generateKeyPair("ES256", { extractable: true });
  const ps = await generateKeyPair("PS256", { extractable: true });
  const rogue = await generateKeyPair("RS256", { extractable: true });
  const jwk = async (key: CryptoKey, kid: string, alg: string): Promise<JWK> => ({ ...(await exportJWK(key)), kid, alg, use: "sig" });
  const jwks = { keys: [await jwk(rsa.publicKey, "rsa-1", "RS256"), await jwk(ec.publicKey, "ec-1", "ES256"), await jwk(ps.publicKey, "ps-1", "PS256")] };
  const hits = { discovery: 0, jwks: 0 };
  let discoveryIssuer: string | undefined;
  let issuer = "";
  const server: Server = createServer((req, res) => {
    if (req.url === "/oauth2/default/.well-known/openid-configuration") {
      hits.discovery++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer: discoveryIssuer ?? issuer, jwks_uri: `${issuer}/v1/keys`, id_token_signing_alg_values_supported: ["RS256"] }));
    } else if (req.url === "/oauth2/default/v1/keys") {
      hits.jwks++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(jwks));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/default`;

  const keys = { RS256: { key: rsa.privateKey, kid: "rsa-1" }, ES256: { key: ec.privateKey, kid: "ec-1" }, PS256: { key: ps.privateKey, kid: "ps-1" } };
  const now = () => Math.floor(Date.now() / 1000);
  const defaults = (): JWTPayload => ({ iss: issuer, aud: audience, sub: "00u-alice", email: "alice@example.com", iat: now(), exp: now() + 300 });

  return {
    issuer,
    audience,
    hits,
    async sign(opts = {}) {
      const alg = opts.alg ?? "RS256";
      const claims: JWTPayload = { ...defaults(), ...opts.claims };
      for (const c of opts.omit ?? []) delete claims[c];
      return new SignJWT(claims).setProtectedHeader({ alg, kid: opts.kid ?? keys[alg].kid, typ: "JWT" }).sign(keys[alg].key);
    },
    signWithUnpublishedKey(kid) {
      return new SignJWT(defaults()).setProtectedHeader({ alg: "RS256", kid }).sign(rogue.privateKey);
    },
    signForgedKid() {
      return new SignJWT(defaults()).setProtectedHeader({ alg: "RS256", kid: "rsa-1" }).sign(rogue.privateKey);
    },
    async signHs256WithPublicKey() {
      const secret = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
      return new SignJWT(defaults()).setProtectedHeader({ alg: "HS256", kid: "rsa-1" }).sign(secret);
    },
    unsigned() {
      return `${b64({ alg: "none", typ: "JWT" })}.${b64(defaults())}.`;
    },
    setDiscoveryIssuer(value) {
      discoveryIssuer = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
