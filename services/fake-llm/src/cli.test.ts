import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const tsxLoader = createRequire(import.meta.url).resolve("tsx");
const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));

describe("fake-llm CLI", () => {
  it("starts a labelled fleet from one command and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", tsxLoader, cli, "--fleet", "us-east-1:0,eu-west-1:0,ap-south-1:0", "--response-tokens", "4", "--keys", "sk-cli"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FAKE_LLM_HOST: "127.0.0.1", FAKE_LLM_ACCEPT_ANY_KEY: "" },
    });
    try {
      const lines = await new Promise<string[]>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}`)), 30_000);
        child.stdout!.setEncoding("utf8").on("data", (d: string) => {
          out += d;
          const found = out.split("\n").filter((l) => l.includes("listening on"));
          if (found.length === 3) {
            clearTimeout(timer);
            resolve(found);
          }
        });
        child.once("exit", (code) => reject(new Error(`CLI exited with ${code}: ${out}`)));
      });
      for (const line of lines) {
        const [, region, url] = /fake-llm (\S+) listening on (\S+)/.exec(line)!;
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer sk-cli" },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] }),
        });
        const body = (await res.json()) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number } };
        expect(res.headers.get("x-fake-llm-region")).toBe(region);
        expect(body.choices[0]!.message.content).toBe(`fake reply from ${region}:`);
        expect(body.usage.completion_tokens).toBe(4);
        // Keys not given with --keys are refused: the CLI no longer accepts any sk- key by default.
        const refused = await fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer sk-unregistered" },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] }),
        });
        expect(refused.status).toBe(401);
        expect(((await refused.json()) as { error: { type: string } }).error.type).toBe("auth_error");
      }
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    expect(child.exitCode).toBe(0);
  });
});
