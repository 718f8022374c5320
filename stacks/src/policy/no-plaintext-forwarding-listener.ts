// Plain-HTTP load balancer listeners may only redirect to HTTPS: no forward, no fixed content, no listener rules
// (the older stack's port 80 forwarded straight to LiteLLM, upstream-infra S3).
import { policyRule } from "./rule";
import { asList, referencedBy, resourcesOf } from "./terraform-json";

type Action = { type?: string; redirect?: { protocol?: string } };

function isHttpsRedirect(action: Action): boolean {
  return action.type === "redirect" && action.redirect?.protocol === "HTTPS";
}

export const noPlaintextForwardingListener = policyRule(
  "no-plaintext-forwarding-listener",
  "HTTP listeners of load balancers only redirect to HTTPS and carry no listener rules",
  (tf, report) => {
    const rulesByListener = referencedBy(tf, "aws_lb_listener_rule", "listener_arn", "aws_lb_listener");
    for (const l of resourcesOf(tf, "aws_lb_listener")) {
      const protocol = String(l.config.protocol ?? (l.config.certificate_arn === undefined ? "HTTP" : "HTTPS")).toUpperCase();
      if (protocol !== "HTTP") continue;
      const actions = asList(l.config.default_action as Action | Action[] | undefined);
      if (actions.length === 0 || !actions.every(isHttpsRedirect)) {
        report(l.address, "HTTP listener default action is not a redirect to HTTPS");
      }
      for (const r of rulesByListener.get(l.name) ?? []) {
        report(r.address, `listener rule on the plain-HTTP listener ${l.address}`);
      }
    }
  },
);
