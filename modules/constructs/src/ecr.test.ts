import { describe, expect, it } from "vitest";
import { ContainerRepositories, ContainerRepository } from "./ecr";
import { resources, synthConstructs } from "./testing";

describe("ContainerRepositories", () => {
  const tf = synthConstructs((s) => new ContainerRepositories(s, "R", { names: { litellm: "gw/litellm", middleware: "gw/middleware", fakeLlm: "gw/fake-llm" } }));
  const repos = resources(tf, "aws_ecr_repository");

  it("creates three immutable, scanned, encrypted repositories", () => {
    expect(repos.map((r) => r.name).sort()).toEqual(["gw/fake-llm", "gw/litellm", "gw/middleware"]);
    for (const r of repos) {
      expect(r).toMatchObject({ image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true }, force_delete: false });
      expect(r.encryption_configuration).toEqual([{ encryption_type: "AES256" }]);
    }
  });

  it("expires untagged images and caps tagged ones", () => {
    const policies = resources(tf, "aws_ecr_lifecycle_policy").map((p) => JSON.parse(p.policy));
    expect(policies).toHaveLength(3);
    expect(policies[0].rules.map((r: { selection: { tagStatus: string } }) => r.selection.tagStatus)).toEqual(["untagged", "any"]);
  });

  it("names the offending prop", () => {
    expect(() => synthConstructs((s) => new ContainerRepository(s, "R", { repositoryName: "Bad Name" }))).toThrow(/repositoryName/);
    expect(() => synthConstructs((s) => new ContainerRepository(s, "R", { repositoryName: "ok", keepTaggedImages: 0 }))).toThrow(/keepTaggedImages/);
  });
});
