/** OIDC bearer JWT verification (discovered JWKS) and the self-service /user/new and /key/generate routes. */
export { OidcError } from "./errors";
export { createOidcVerifier, DEFAULT_ALGORITHMS, type OidcConfig, type OidcVerifier, type VerifiedIdentity } from "./verifier";
export { ADMIN_FIELDS, IDENTITY_FIELDS, applyPolicy, validatePolicy, type SelfServicePolicy } from "./policy";
export { bearerJwt, registerSignupRoutes, SIGNUP_ERRORS, type SignupDeps } from "./signup-routes";
