import { describe, expect, it } from "vitest";
import { imageReference } from "./image";

const base = { repositoryUrl: "registry.example/repo", tagSetting: "TAG_VAR", digestSetting: "DIGEST_VAR" };

describe("imageReference", () => {
  it("uses the tag, or the digest when given", () => {
    expect(imageReference({ ...base, tag: "1.2.3" })).toBe("registry.example/repo:1.2.3");
    const digest = `sha256:${"a".repeat(64)}`;
    expect(imageReference({ ...base, tag: "1.2.3", digest })).toBe(`registry.example/repo@${digest}`);
  });

  it("refuses mutable and malformed references, naming the setting", () => {
    expect(() => imageReference({ ...base, tag: "latest" })).toThrow(/TAG_VAR: "latest" is a mutable tag/);
    expect(() => imageReference({ ...base, tag: "Latest" })).toThrow(/TAG_VAR/);
    expect(() => imageReference({ ...base, tag: "bad tag" })).toThrow(/TAG_VAR: "bad tag" is not a valid image tag/);
    expect(() => imageReference({ ...base, tag: "1", digest: "sha256:abc" })).toThrow(/DIGEST_VAR/);
  });
});
