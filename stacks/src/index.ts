// Public surface of @gw/stacks (the cdktf entry points are main.ts and synth-cli.ts).
export { buildApp, type BuildAppOptions, type GatewayApp } from "./app";
export { GatewayStack, type GatewayStackProps } from "./gateway-stack";
export { BaseStack, type BaseStackProps } from "./base-stack";
export { EksStack, type EksStackProps } from "./eks-stack";
export { POLICY_RULES, runPolicies, formatViolations, type PolicyRule, type Violation } from "./policy/index";
export { summarizeStack, formatSummaries, type StackSummary } from "./summary";
