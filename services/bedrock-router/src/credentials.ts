/**
 * Credential references of targets turned into SDK client settings. Environment-based sources are read at call time
 * (so rotated secrets injected into the task are picked up) and error messages name variables, never values.
 */
import type { BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import type { CredentialSource } from "./types";

export type CredentialRegistry = Readonly<Record<string, CredentialSource>>;

/** Thrown by env-based sources when their variables are missing: a local configuration problem, not the region's. */
export class MissingCredentialsError extends Error {
  override readonly name = "MissingCredentialsError";
}

type Env = Readonly<Record<string, string | undefined>>;

export function clientAuthConfig(source: CredentialSource | undefined, env: Env = process.env): Partial<BedrockRuntimeClientConfig> {
  switch (source?.type) {
    case undefined:
    case "default":
      return {};
    case "profile":
      return { profile: source.profile };
    case "static":
      return {
        credentials: {
          accessKeyId: source.accessKeyId,
          secretAccessKey: source.secretAccessKey,
          ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}),
        },
      };
    case "provider":
      return { credentials: source.provider };
    case "env": {
      const { prefix } = source;
      return {
        credentials: async () => {
          const accessKeyId = env[`${prefix}_ACCESS_KEY_ID`];
          const secretAccessKey = env[`${prefix}_SECRET_ACCESS_KEY`];
          if (!accessKeyId || !secretAccessKey) {
            throw new MissingCredentialsError(`credentials need ${prefix}_ACCESS_KEY_ID and ${prefix}_SECRET_ACCESS_KEY in the environment`);
          }
          const sessionToken = env[`${prefix}_SESSION_TOKEN`];
          return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
        },
      };
    }
    case "bearer":
      return { token: { token: source.token }, authSchemePreference: ["httpBearerAuth"] };
    case "bearer-env": {
      const { variable } = source;
      return {
        token: async () => {
          const token = env[variable];
          if (!token) throw new MissingCredentialsError(`Bedrock API key variable ${variable} is not set`);
          return { token };
        },
        authSchemePreference: ["httpBearerAuth"],
      };
    }
  }
}
