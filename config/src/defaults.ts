// Pinned defaults that are not plain settings values.

/**
 * LiteLLM image tag mirrored into private ECR. Pinned (never a moving tag): the older implementation pinned the same
 * stable patch release in March 2026 after later 1.82.x releases were found unsafe (upstream-infra §8).
 */
export const DEFAULT_LITELLM_TAG = "main-v1.82.3-stable.patch.2";

/** Middleware image tag built by this repository's image scripts. */
export const DEFAULT_MIDDLEWARE_TAG = "0.1.0";
