// The regions every synth check covers (tests and `pnpm bench:synth`): a commercial region, a newer commercial
// region, both China regions and GovCloud, so each partition's naming and caveats are exercised.
export const REGION_MATRIX = ["us-east-1", "eu-central-2", "cn-north-1", "cn-northwest-1", "us-gov-west-1"] as const;
