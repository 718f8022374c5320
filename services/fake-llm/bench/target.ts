/**
 * Benchmark target, run in its own process so the load generator does not share its event loop:
 * `fake` = a zero-latency fake-llm, `bare` = a plain node:http server answering a fixed JSON (the baseline).
 * Prints `READY <listening URL>` on stdout.
 */
import { createServer } from "node:http";
import { startFakeLlm } from "../src/index";

const kind = process.argv[2];
if (kind === "fake") {
  const fake = await startFakeLlm({ host: "127.0.0.1", port: 0, requestLogSize: 100, keys: ["sk-bench"] });
  console.log(`READY ${fake.url}`);
} else if (kind === "bare") {
  const payload = JSON.stringify({
    id: "chatcmpl-bare",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "fake-openai-endpoint",
    choices: [{ index: 0, message: { role: "assistant", content: "fixed reply" }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => {
    const addr = server.address();
    console.log(`READY http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`);
  });
} else {
  console.error("usage: target.ts fake|bare");
  process.exit(2);
}
