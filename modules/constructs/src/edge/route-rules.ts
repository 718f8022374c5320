// Turns the middleware's exported route table into ALB path-pattern groups that respect the listener-rule quotas
// (5 condition values and 5 wildcards per rule, counted over all of a rule's conditions).

/** The fields of a middleware route (services/middleware/src/routes.ts) the generator reads. */
export interface RoutePattern {
  readonly method: string;
  readonly path: string;
  /** ALB path pattern, e.g. "/bedrock/model/*". */
  readonly albPattern: string;
}

/** ALB quota: condition values per rule (all conditions together). */
export const ALB_MAX_CONDITION_VALUES = 5;
/** ALB quota: wildcards (`*`, `?`) per rule (all conditions together). */
export const ALB_MAX_WILDCARDS = 5;

function wildcards(pattern: string): number {
  return (pattern.match(/[*?]/g) ?? []).length;
}

/** Unique ALB patterns of the route table, in table order. */
export function albPatterns(routes: readonly RoutePattern[]): string[] {
  const seen = new Set<string>();
  for (const r of routes) {
    if (!r.albPattern.startsWith("/")) throw new Error(`route ${r.method} ${r.path}: albPattern "${r.albPattern}" must start with "/"`);
    if (r.albPattern.length > 128) throw new Error(`route ${r.method} ${r.path}: albPattern longer than 128 characters`);
    seen.add(r.albPattern);
  }
  return [...seen];
}

export interface ChunkBudget {
  /** Condition values other conditions of the rule already use (e.g. 1 for the origin-secret header). Default 0. */
  readonly usedValues?: number;
  /** Wildcards other conditions already use. Default 0. */
  readonly usedWildcards?: number;
}

/** Groups patterns so that each group plus the other conditions stays within the ALB per-rule quotas. */
export function chunkPathPatterns(patterns: readonly string[], budget: ChunkBudget = {}): string[][] {
  const maxValues = ALB_MAX_CONDITION_VALUES - (budget.usedValues ?? 0);
  const maxWildcards = ALB_MAX_WILDCARDS - (budget.usedWildcards ?? 0);
  if (maxValues < 1) throw new Error(`chunkPathPatterns: other conditions already use ${budget.usedValues} of ${ALB_MAX_CONDITION_VALUES} values`);
  const chunks: string[][] = [];
  let current: string[] = [];
  let currentWildcards = 0;
  for (const p of patterns) {
    const w = wildcards(p);
    if (w > maxWildcards) throw new Error(`chunkPathPatterns: pattern "${p}" alone exceeds ${maxWildcards} wildcards`);
    if (current.length === maxValues || currentWildcards + w > maxWildcards) {
      chunks.push(current);
      current = [];
      currentWildcards = 0;
    }
    current.push(p);
    currentWildcards += w;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
