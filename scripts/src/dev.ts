/**
 * `pnpm dev`: the gateway middleware on a laptop. Starts services/fake-llm on 127.0.0.1:4000 as the LiteLLM
 * stand-in (unless LITELLM_URL points at a real LiteLLM; it accepts any `sk-` key here, unlike its default) and the middleware on 127.0.0.1:3000 with an in-memory
 * PGlite history store (or Postgres when DATABASE_URL is set), then prints ready-to-paste curl, boto3 and openai
 * examples. Ctrl-C drains and stops both.
 *   PORT (3000), FAKE_LLM_PORT (4000), LITELLM_URL, DATABASE_URL, LOG_LEVEL (info)
 */
import { arn } from "@gw/partition";
import { startFakeLlm, type FakeLlm } from "@gw/fake-llm";
import { buildServer } from "@gw/middleware/server";
import { loadMiddlewareConfig } from "@gw/middleware/config";

const HOST = "127.0.0.1";
const DEV_KEY = "sk-dev-1234";
const MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";
const REGION = process.env.AWS_REGION ?? "us-east-1";

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  let fake: FakeLlm | undefined;
  let litellmUrl = process.env.LITELLM_URL;
  const promptArn = arn(REGION, "bedrock", "prompt/DEVPROMPT1:1");
  if (!litellmUrl) {
    fake = await startFakeLlm({ host: HOST, port: Number(process.env.FAKE_LLM_PORT ?? 4000), region: REGION, tokensPerSecond: 40, responseTokens: 24, acceptAnyKey: true });
    // Dev only: any sk- key works (fake-llm's default, like LiteLLM's, is to refuse unknown keys).
    fake.setPrompts([{ id: "DEVPROMPT1", version: "1", text: "Write a two-line poem about {{ topic }}.", modelId: MODEL, inferenceConfiguration: { maxTokens: 200, temperature: 0.7 } }]);
    litellmUrl = fake.url;
  }
  // GetPrompt goes to fake-llm in dev; the SDK still signs, so give it throwaway credentials when none are set.
  if (fake) {
    process.env.AWS_ACCESS_KEY_ID ??= "AKIDDEVONLY";
    process.env.AWS_SECRET_ACCESS_KEY ??= "dev-only-secret";
  }
  const config = loadMiddlewareConfig(
    { ...process.env, LITELLM_URL: litellmUrl, BEDROCK_AGENT_ENDPOINT: process.env.BEDROCK_AGENT_ENDPOINT ?? fake?.url, LOG_LEVEL: process.env.LOG_LEVEL ?? "info", HISTORY_HASH_KEY: process.env.HISTORY_HASH_KEY ?? "dev-history-key" },
    { host: HOST, port },
  );
  const app = await buildServer(config);
  await app.listen({ host: HOST, port });
  const base = `http://${HOST}:${port}`;
  const encodedArn = encodeURIComponent(promptArn);

  console.log(`
gateway middleware  ${base}   (history: ${config.databaseUrl ? "Postgres" : "PGlite in memory"})
LiteLLM stand-in    ${litellmUrl}${fake ? "   (services/fake-llm in dev mode: any key starting with sk- is accepted; real LiteLLM and fake-llm's default refuse unknown keys)" : ""}

# OpenAI chat, with server-side history (the reply carries session_id; send it back to continue)
curl -s ${base}/v1/chat/completions -H 'authorization: Bearer ${DEV_KEY}' -H 'content-type: application/json' \\
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}],"enable_history":true}'
curl -s ${base}/chat-history -H 'authorization: Bearer ${DEV_KEY}' -d '{"session_id":"<id>"}'
curl -s ${base}/session-ids -H 'authorization: Bearer ${DEV_KEY}' -d '{"limit":10}'

# OpenAI streaming
curl -sN ${base}/v1/chat/completions -H 'authorization: Bearer ${DEV_KEY}' -H 'content-type: application/json' \\
  -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Stream please"}]}'

# Bedrock Converse facade
curl -s ${base}/bedrock/model/${MODEL}/converse -H 'authorization: Bearer ${DEV_KEY}' -H 'content-type: application/json' \\
  -d '{"messages":[{"role":"user","content":[{"text":"Hello Bedrock"}]}],"additionalModelRequestFields":{"enable_history":true}}'

# Managed prompt (prompt ARN as the model id, URL-encoded)
curl -s ${base}/bedrock/model/${encodedArn}/converse -H 'authorization: Bearer ${DEV_KEY}' -H 'content-type: application/json' \\
  -d '{"promptVariables":{"topic":{"text":"otters"}}}'

# Python: boto3 (Bedrock Runtime) against the gateway
python3 - <<'PY'
import boto3
from botocore import UNSIGNED
from botocore.config import Config
c = boto3.client("bedrock-runtime", region_name="${REGION}", endpoint_url="${base}/bedrock", config=Config(signature_version=UNSIGNED))
c.meta.events.register("before-send.*", lambda request, **_: request.headers.__setitem__("Authorization", "Bearer ${DEV_KEY}"))
r = c.converse(modelId="${MODEL}", messages=[{"role": "user", "content": [{"text": "Hi from boto3"}]}])
print(r["output"]["message"]["content"][0]["text"])
for ev in c.converse_stream(modelId="${MODEL}", messages=[{"role": "user", "content": [{"text": "stream"}]}])["stream"]:
    print(ev)
PY

# Python: openai
python3 -c 'from openai import OpenAI; c = OpenAI(base_url="${base}/v1", api_key="${DEV_KEY}"); print(c.chat.completions.create(model="gpt-4o-mini", messages=[{"role":"user","content":"Hi"}], extra_body={"enable_history": True}).model_extra)'

Health: ${base}/health/liveliness  ${base}/health/readiness     Ctrl-C to stop.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await fake?.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
