/** Runs TypeScript entry points as separate Node processes (through tsx), as tests of multi-process behaviour need. */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = join(here, "..", "..");

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runTsx(script: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ProcessResult> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env, NODE_NO_WARNINGS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Runs a worker of this folder and parses the JSON line it prints last. */
export async function runWorker<T>(worker: "store-worker" | "route-worker", env: Record<string, string>, timeoutMs = 30_000): Promise<T> {
  const { code, stdout, stderr } = await runTsx(join(here, `${worker}.ts`), [], env, timeoutMs);
  if (code !== 0) throw new Error(`${worker} exited with ${code}: ${stderr.slice(-2000)}`);
  return JSON.parse(stdout.trim().split("\n").pop() ?? "") as T;
}
