import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lintDockerfile } from "./dockerfile-lint";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const serviceDockerfiles = readdirSync(join(repoRoot, "services"))
  .map((service) => join("services", service, "Dockerfile"))
  .filter((path) => existsSync(join(repoRoot, path)));

describe("project Dockerfiles", () => {
  it("exist for the middleware and fake-llm", () => {
    expect(serviceDockerfiles).toEqual(expect.arrayContaining(["services/middleware/Dockerfile", "services/fake-llm/Dockerfile"]));
  });

  it.each(serviceDockerfiles)("%s passes the lint rules", (path) => {
    expect(lintDockerfile(readFileSync(join(repoRoot, path), "utf8"))).toEqual([]);
  });
});

describe("lintDockerfile", () => {
  const good = [
    "ARG NODE_IMAGE=node:22.20.0-alpine3.22",
    "FROM ${NODE_IMAGE} AS build",
    "RUN echo build",
    "FROM ${NODE_IMAGE}",
    "COPY --from=build /out /app",
    "USER node",
    'HEALTHCHECK CMD wget -q -O /dev/null http://127.0.0.1:3000/health/liveliness || exit 1',
    'ENTRYPOINT ["node", "/app/main.mjs"]',
  ];

  it("accepts a pinned, non-root image with a health check", () => {
    expect(lintDockerfile(good.join("\n"))).toEqual([]);
  });

  it("names every broken rule", () => {
    const bad = [
      "FROM node:latest AS build",
      "ENV OPENAI_API_KEY=sk-123",
      "FROM alpine",
      "WORKDIR",
      "USER root",
    ].join("\n");
    const rules = lintDockerfile(bad).map((p) => p.rule).sort();
    expect(rules).toEqual(["healthcheck", "no-secrets", "non-root", "pinned-base", "pinned-base", "syntax"]);
  });

  it("does not treat a build stage reference as an unpinned image", () => {
    const withStage = [...good.slice(0, 4), "FROM build AS test", "RUN true", ...good.slice(3)].join("\n");
    expect(lintDockerfile(withStage)).toEqual([]);
  });
});
