// Shapes shared by the policy rules over synthesized Terraform JSON (cdk.tf.json / Testing.synth output).

/** The parts of Terraform JSON the rules read. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly variable?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface Violation {
  /** Rule id (file name of the rule). */
  readonly rule: string;
  readonly stack: string;
  /** Terraform address, e.g. aws_s3_bucket.config_bucket_1234. */
  readonly address: string;
  readonly message: string;
}

export interface PolicyRule {
  /** Same as the file name. */
  readonly id: string;
  readonly description: string;
  check(stack: string, tf: TerraformJson): Violation[];
}
