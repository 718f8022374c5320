// Private ECR repositories managed by Terraform: immutable tags, scan on push, encryption, lifecycle policy.
import { Construct } from "constructs";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { requireInteger } from "./validation";

export interface ContainerRepositoryProps {
  readonly repositoryName: string;
  /** KMS key ARN. @default - AES256 (ECR-managed key) */
  readonly kmsKeyArn?: string;
  /** Tagged images kept (oldest expire first). @default 50 */
  readonly keepTaggedImages?: number;
  /** Days before untagged images expire. @default 7 */
  readonly untaggedExpiryDays?: number;
}

export class ContainerRepository extends Construct {
  readonly repository: EcrRepository;
  readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(props.repositoryName)) {
      throw new Error(`ContainerRepository: repositoryName is not a valid ECR name (got "${props.repositoryName}")`);
    }
    const keep = requireInteger("ContainerRepository", "keepTaggedImages", props.keepTaggedImages ?? 50, 1);
    const untagged = requireInteger("ContainerRepository", "untaggedExpiryDays", props.untaggedExpiryDays ?? 7, 1);
    this.repository = new EcrRepository(this, "Resource", {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [
        props.kmsKeyArn ? { encryptionType: "KMS", kmsKey: props.kmsKeyArn } : { encryptionType: "AES256" },
      ],
      forceDelete: false,
    });
    new EcrLifecyclePolicy(this, "Lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untagged} days`,
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untagged },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the newest ${keep} tagged images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
            action: { type: "expire" },
          },
        ],
      }),
    });
    this.repositoryUrl = this.repository.repositoryUrl;
  }
}

export interface ContainerRepositoriesProps {
  /** Repository names. */
  readonly names: { readonly litellm: string; readonly middleware: string; readonly fakeLlm: string };
  /** @default - AES256 */
  readonly kmsKeyArn?: string;
}

/** The three repositories of the gateway: LiteLLM (mirrored image), middleware, fake-llm. */
export class ContainerRepositories extends Construct {
  readonly litellm: ContainerRepository;
  readonly middleware: ContainerRepository;
  readonly fakeLlm: ContainerRepository;

  constructor(scope: Construct, id: string, props: ContainerRepositoriesProps) {
    super(scope, id);
    this.litellm = new ContainerRepository(this, "Litellm", { repositoryName: props.names.litellm, kmsKeyArn: props.kmsKeyArn });
    this.middleware = new ContainerRepository(this, "Middleware", { repositoryName: props.names.middleware, kmsKeyArn: props.kmsKeyArn });
    this.fakeLlm = new ContainerRepository(this, "FakeLlm", { repositoryName: props.names.fakeLlm, kmsKeyArn: props.kmsKeyArn });
  }
}
