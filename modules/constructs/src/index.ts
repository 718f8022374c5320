// Re-exports only. Prefer deep imports (@gw/constructs/<file>) in stacks to keep module loading small.
export * from "./iam";
export * from "./handoff";
export * from "./backend";
export * from "./stack-setup";
export * from "./logs-key";
export * from "./secret";
export * from "./secrets";
export * from "./ecr";
export * from "./waf";
export * from "./network/network";
export * from "./network/flow-logs";
export * from "./network/endpoints";
export * from "./data/database";
export * from "./data/cache";
export * from "./storage/secure-bucket";
export * from "./storage/buckets";
