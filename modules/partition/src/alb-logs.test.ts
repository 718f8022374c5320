import { describe, expect, it } from "vitest";
import { SUPPORTED_REGIONS, UnknownRegionError, albLogDelivery, partitionOf, servicePrincipal } from "./index";

describe("albLogDelivery", () => {
  it("uses the ELB account for older, China and GovCloud regions (anchors §B.3)", () => {
    expect(albLogDelivery("us-east-1")).toEqual({ kind: "elb-account", accountId: "127311923021" });
    expect(albLogDelivery("cn-north-1")).toEqual({ kind: "elb-account", accountId: "638102146993" });
    expect(albLogDelivery("cn-northwest-1")).toEqual({ kind: "elb-account", accountId: "037604701340" });
    expect(albLogDelivery("us-gov-west-1")).toEqual({ kind: "elb-account", accountId: "048591011584" });
    expect(albLogDelivery("us-gov-east-1")).toEqual({ kind: "elb-account", accountId: "190560391635" });
  });

  it("uses the log-delivery principal in regions without an ELB account (upstream-infra P9)", () => {
    for (const r of ["eu-central-2", "eu-south-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ca-west-1"]) {
      expect(albLogDelivery(r), r).toEqual({ kind: "service-principal", principal: servicePrincipal("logdelivery.elasticloadbalancing", r) });
    }
  });

  it("covers every region with a 12-digit account id or the principal; China and GovCloud always by account", () => {
    const ids = new Set<string>();
    for (const r of SUPPORTED_REGIONS) {
      const d = albLogDelivery(r);
      if (d.kind === "elb-account") {
        expect(d.accountId, r).toMatch(/^\d{12}$/);
        ids.add(d.accountId);
      } else {
        expect(partitionOf(r), r).toBe("aws");
        expect(d.principal).toBe("logdelivery.elasticloadbalancing.amazonaws.com");
      }
    }
    // Each ELB account belongs to a single region.
    expect(ids.size).toBe(SUPPORTED_REGIONS.filter((r) => albLogDelivery(r).kind === "elb-account").length);
    expect(() => albLogDelivery("xx-1")).toThrow(UnknownRegionError);
  });
});
