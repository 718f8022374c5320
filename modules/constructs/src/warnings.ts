// Collects the warning annotations (Annotations.of(x).addWarning) of a construct tree, e.g. a stack.
import type { IConstruct } from "constructs";

const WARN = "@cdktf/warn";

export function stackWarnings(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === WARN).map((m) => String(m.data)));
}
