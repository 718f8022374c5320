// Container image references by immutable tag or digest. A mutable tag such as "latest" never rolls a service
// (Terraform sees no change), so it is refused here as well as in the settings.

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Mutable tags that must not be deployed. */
export const MUTABLE_TAGS: readonly string[] = ["latest", "main", "stable", "master"];

export interface ImageReferenceProps {
  /** Repository URL without tag, e.g. the ECR URL from the hand-off. May be a Terraform token. */
  readonly repositoryUrl: string;
  /** Immutable tag. Used when no digest is given. */
  readonly tag: string;
  /** Optional "sha256:<64 hex>" digest; wins over the tag. Default: undefined (use the tag). */
  readonly digest?: string;
  /** Name of the setting the tag came from, used in error messages (e.g. "MIDDLEWARE_IMAGE_TAG"). */
  readonly tagSetting: string;
  /** Name of the setting the digest came from (e.g. "MIDDLEWARE_IMAGE_DIGEST"). */
  readonly digestSetting: string;
}

/** `<repo>@sha256:...` or `<repo>:<tag>`; throws naming the setting on a mutable or malformed tag/digest. */
export function imageReference(props: ImageReferenceProps): string {
  if (props.digest !== undefined) {
    if (!DIGEST.test(props.digest)) {
      throw new Error(`${props.digestSetting}: "${props.digest}" is not a digest of the form sha256:<64 hex characters>`);
    }
    return `${props.repositoryUrl}@${props.digest}`;
  }
  if (!TAG.test(props.tag)) {
    throw new Error(`${props.tagSetting}: "${props.tag}" is not a valid image tag`);
  }
  if (MUTABLE_TAGS.includes(props.tag.toLowerCase())) {
    throw new Error(`${props.tagSetting}: "${props.tag}" is a mutable tag; use a version tag or ${props.digestSetting}`);
  }
  return `${props.repositoryUrl}:${props.tag}`;
}
