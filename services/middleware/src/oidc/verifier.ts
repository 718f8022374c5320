import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import { request } from "undici";
import { OidcError } from "./errors";

export interface OidcConfig {
  /** Issuer URL (OIDC_ISSUER / OKTA_ISSUER); discovery is read from `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** Expected `aud` (OIDC_AUDIENCE / OKTA_AUDIENCE). */
  audience: string;
  /** Accepted JWS algorithms. Default RS256, RS384, RS512, ES256, ES384, PS256; only asymmetric ones are allowed. */
  algorithms?: string[];
  /** Allowed clock skew for exp/nbf/iat. Default 60 s. */
  clockToleranceSec?: number;
  /** JWKS URL; skips discovery when given. */
  jwksUri?: string;
  /** Timeout of the discovery and JWKS requests. Default 5 000 ms. */
  fetchTimeoutMs?: number;
  /** Minimum time between JWKS refetches on an unknown kid (key rotation). Default 30 000 ms. */
  jwksCooldownMs?: number;
}

export interface VerifiedIdentity {
  sub: string;
  email?: string;
  claims: Record<string, unknown>;
}

export interface OidcVerifier {
  verify(token: string): Promise<VerifiedIdentity>;
}

export const DEFAULT_ALGORITHMS: readonly string[] = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"];
/** Asymmetric algorithms only: "none" and HMAC (HS*) would let anyone holding public material mint tokens. */
const PERMITTED_ALGORITHMS = new Set(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"]);
/** After a failed discovery, verify() fails fast for this long instead of hammering the provider. */
const DISCOVERY_RETRY_MS = 5_000;
/** Compact JWS: header.payload.signature (the signature is empty for alg "none"). */
export const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function isLoopback(url: URL): boolean {
  return url.hostname === "127.0.0.1" || url.hostname === "[::1]" || url.hostname === "localhost";
}

/** https everywhere; plain http only on loopback (tests, `pnpm dev`). */
function requireSecureUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} "${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url))) {
    throw new Error(`${what} must use https (plain http is accepted on loopback only): ${value}`);
  }
  return url;
}

function claimReason(err: errors.JWTClaimValidationFailed): string {
  if (err.reason === "missing") return `token has no ${err.claim} claim`;
  switch (err.claim) {
    case "aud":
      return "wrong audience";
    case "iss":
      return "wrong issuer";
    case "nbf":
      return "token not yet valid (nbf in the future)";
    case "iat":
      return "token issued in the future (iat)";
    default:
      return `claim ${err.claim} is invalid`;
  }
}

/** Turns jose's errors into the reasons clients see. */
function toOidcError(err: unknown): OidcError {
  if (err instanceof OidcError) return err;
  if (err instanceof errors.JWTExpired) return new OidcError("token expired");
  if (err instanceof errors.JWTClaimValidationFailed) return new OidcError(claimReason(err));
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return new OidcError("unsupported algorithm");
  if (err instanceof errors.JWKSNoMatchingKey) return new OidcError("unknown key id");
  if (err instanceof errors.JWKSMultipleMatchingKeys) return new OidcError("ambiguous key id");
  if (err instanceof errors.JWSSignatureVerificationFailed) return new OidcError("signature verification failed");
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return new OidcError("malformed token");
  if (err instanceof errors.JWKSTimeout) return new OidcError("key set request timed out", 503);
  if (err instanceof errors.JWKSInvalid) return new OidcError("key set is invalid", 503);
  return new OidcError(`key set could not be fetched (${(err as Error)?.name ?? "error"})`, 503);
}

async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<string> {
  const url = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  let doc: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const res = await request(url, {
      method: "GET",
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json" },
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`HTTP ${res.statusCode}`);
    }
    doc = (await res.body.json()) as typeof doc;
  } catch (err) {
    throw new OidcError(`discovery at ${url} failed (${(err as Error).message})`, 503);
  }
  // OIDC Discovery §4.3: the document must name exactly the configured issuer.
  if (doc.issuer !== issuer) throw new OidcError(`discovery document names issuer ${String(doc.issuer)}, expected ${issuer}`, 503);
  if (typeof doc.jwks_uri !== "string") throw new OidcError("discovery document has no jwks_uri", 503);
  try {
    requireSecureUrl(doc.jwks_uri, "jwks_uri");
  } catch (err) {
    throw new OidcError((err as Error).message, 503);
  }
  return doc.jwks_uri;
}

export function createOidcVerifier(cfg: OidcConfig): OidcVerifier {
  requireSecureUrl(cfg.issuer, "OIDC issuer");
  if (!cfg.audience) throw new Error("OIDC audience must be set");
  const algorithms = cfg.algorithms ?? [...DEFAULT_ALGORITHMS];
  const refused = algorithms.filter((a) => !PERMITTED_ALGORITHMS.has(a));
  if (algorithms.length === 0 || refused.length > 0) {
    throw new Error(`OIDC algorithms must be a non-empty list of asymmetric algorithms; refused: ${refused.join(", ") || "(empty list)"}`);
  }
  if (cfg.jwksUri) requireSecureUrl(cfg.jwksUri, "OIDC jwksUri");
  const clockTolerance = cfg.clockToleranceSec ?? 60;
  const timeoutMs = cfg.fetchTimeoutMs ?? 5_000;

  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  let failedAt = 0;
  function jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (!keySet) {
      if (Date.now() - failedAt < DISCOVERY_RETRY_MS) {
        return Promise.reject(new OidcError("discovery failed recently; retrying shortly", 503));
      }
      const pending = (cfg.jwksUri ? Promise.resolve(cfg.jwksUri) : discoverJwksUri(cfg.issuer, timeoutMs)).then((uri) =>
        createRemoteJWKSet(new URL(uri), { timeoutDuration: timeoutMs, cooldownDuration: cfg.jwksCooldownMs ?? 30_000, cacheMaxAge: 600_000 }),
      );
      keySet = pending;
      pending.catch(() => {
        keySet = undefined;
        failedAt = Date.now();
      });
    }
    return keySet;
  }

  return {
    async verify(token) {
      if (typeof token !== "string" || !JWT_SHAPE.test(token)) throw new OidcError("malformed token");
      let alg: unknown;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw new OidcError("malformed token");
      }
      // Refused before any network call: alg "none", HS256 signed with the public key, and friends.
      if (typeof alg !== "string") throw new OidcError("malformed token");
      if (!algorithms.includes(alg)) throw new OidcError(`unsupported algorithm ${alg}`);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await jwks(), {
          issuer: cfg.issuer,
          audience: cfg.audience,
          algorithms,
          clockTolerance,
          requiredClaims: ["exp", "sub"],
        }));
      } catch (err) {
        throw toOidcError(err);
      }
      if (typeof payload.sub !== "string" || payload.sub === "") throw new OidcError("token has no sub claim");
      const email = typeof payload.email === "string" ? payload.email : undefined;
      return { sub: payload.sub, ...(email ? { email } : {}), claims: { ...payload } };
    },
  };
}
