/** Why a bearer JWT was refused (401), or the identity provider could not be reached (503). */
export class OidcError extends Error {
  override readonly name = "OidcError";
  constructor(
    /** Human reason shown to the client, e.g. "token expired"; never contains the token. */
    readonly reason: string,
    readonly statusCode: 401 | 503 = 401,
  ) {
    super(statusCode === 401 ? `invalid token: ${reason}` : `identity provider unavailable: ${reason}`);
  }
}
