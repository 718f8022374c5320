import { createHash } from "node:crypto";

/**
 * `<base>-<suffix>` within `max` characters (ALB and target-group names allow 32). Too-long bases are cut and get a
 * 4-character hash of the full name, so two long deployment names never collide.
 */
export function boundedName(base: string, suffix: string, max = 32): string {
  const full = `${base}-${suffix}`;
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 4);
  const room = max - suffix.length - hash.length - 2;
  if (room < 1) throw new Error(`boundedName: suffix "${suffix}" leaves no room within ${max} characters`);
  return `${base.slice(0, room).replace(/-+$/, "")}-${hash}-${suffix}`;
}
