// Deterministic resource names derived from the deployment name (and the region for S3 buckets). The deployment
// name is at most 24 characters (validated by loadSettings), which keeps every name below within its AWS limit.
import type { ResourceNames, Settings } from "./types";

/** Characters the base stack appends to a bucket name: "-" + 12-digit account id. */
export const ACCOUNT_SUFFIX_LENGTH = 13;

/** AWS name length limits the names below are checked against (tests assert them for the longest inputs). */
export const NAME_LIMITS = {
  bucket: 63,
  dbIdentifier: 63,
  redisReplicationGroup: 40,
  alb: 32,
  targetGroup: 32,
} as const;

/** Appends the account id so bucket names stay globally unique; `accountId` may be a Terraform token. */
export function withAccountSuffix(bucketBaseName: string, accountId: string): string {
  return `${bucketBaseName}-${accountId}`;
}

export function resourceNames(settings: Pick<Settings, "deploymentName" | "region">): ResourceNames {
  const n = settings.deploymentName;
  const bucket = (purpose: string): string => `${n}-${purpose}-${settings.region}`;
  return Object.freeze({
    prefix: n,
    ssmPrefix: `/${n}/`,
    vpc: `${n}-vpc`,
    dbIdentifier: `${n}-postgres`,
    redisReplicationGroup: `${n}-redis`,
    configBucket: bucket("config"),
    litellmLogBucket: bucket("llmlogs"),
    albLogBucket: bucket("alblogs"),
    alb: `${n}-alb`,
    targetGroups: Object.freeze({ litellm: `${n}-litellm`, middleware: `${n}-mw` }),
    dbSubnetGroup: `${n}-db-subnets`,
    dbParameterGroup: `${n}-postgres`,
    cacheSubnetGroup: `${n}-redis-subnets`,
    secrets: Object.freeze({
      masterKey: `${n}/litellm-master-key`,
      saltKey: `${n}/litellm-salt-key`,
      databaseUrl: `${n}/database-url`,
      middlewareDatabaseUrl: `${n}/middleware-database-url`,
      redisAuth: `${n}/redis-auth`,
      providerKeys: `${n}/provider-keys`,
      globalBedrockCredentials: `${n}/global-bedrock-credentials`,
      historyHashKey: `${n}/history-hash-key`,
      uiPassword: `${n}/litellm-ui-password`,
    }),
    ecrRepositories: Object.freeze({ litellm: `${n}/litellm`, middleware: `${n}/middleware`, fakeLlm: `${n}/fake-llm` }),
    wafRegional: `${n}-waf`,
    cluster: `${n}-cluster`,
    service: `${n}-service`,
    logGroups: Object.freeze({ litellm: `/${n}/litellm`, middleware: `/${n}/middleware`, flowLogs: `/${n}/vpc-flow-logs` }),
  });
}
