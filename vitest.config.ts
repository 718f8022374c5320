import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{config,modules,stacks,services,scripts}/**/src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/cdktf.out/**"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
