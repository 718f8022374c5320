// Provider singletons per stack: constructs that need the tls or random provider reuse the stack's instance
// (configureGatewayStack may already have created the random one) or create it once.
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";

function ensure<T extends Construct>(scope: Construct, type: abstract new (...args: never[]) => T, create: (stack: TerraformStack) => T): T {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.findAll().find((c): c is T => c instanceof type);
  return existing ?? create(stack);
}

export function ensureTlsProvider(scope: Construct): TlsProvider {
  return ensure(scope, TlsProvider, (stack) => new TlsProvider(stack, "tls"));
}

export function ensureRandomProvider(scope: Construct): RandomProvider {
  return ensure(scope, RandomProvider, (stack) => new RandomProvider(stack, "random"));
}
