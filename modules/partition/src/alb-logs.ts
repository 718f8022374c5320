import { regionRecord } from "./regions";
import { servicePrincipal } from "./principals";

export type AlbLogDelivery =
  | { readonly kind: "elb-account"; readonly accountId: string }
  | { readonly kind: "service-principal"; readonly principal: string };

/**
 * Who writes ALB access logs into the bucket: the region's ELB account (regions opened before August 2022, China and
 * GovCloud; grant `s3:PutObject` to `accountRootArn(accountId, region)`), or the log-delivery service principal in
 * newer regions, which have no ELB account (upstream-infra §2.9 P9).
 */
export function albLogDelivery(region: string): AlbLogDelivery {
  const rec = regionRecord(region);
  return rec.elbAccountId
    ? { kind: "elb-account", accountId: rec.elbAccountId }
    : { kind: "service-principal", principal: servicePrincipal("logdelivery.elasticloadbalancing", region) };
}
