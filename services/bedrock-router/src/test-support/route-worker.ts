/**
 * Child process for the shared-cooldown routing tests: builds a BedrockRouter from ROUTER_CONFIG (JSON of the
 * endpoint configuration) with fake static credentials, makes CALLS converse calls and prints who served them.
 */
import { BedrockRouter } from "../router";
import { resolveRouterConfig } from "../config";
import { FAKE_CREDENTIALS, MODEL_ID, userMessage } from "./regions";

const config = resolveRouterConfig(JSON.parse(process.env.ROUTER_CONFIG as string), { extraCredentialNames: Object.keys(FAKE_CREDENTIALS) });
const router = BedrockRouter.fromConfig(config, { credentials: FAKE_CREDENTIALS });
const servedBy: string[] = [];
const failed: string[] = [];
for (let i = 0; i < Number(process.env.CALLS ?? 1); i++) {
  const res = await router.converse({ modelId: MODEL_ID, messages: userMessage(`call ${i}`) });
  servedBy.push(res.servedBy.targetId);
  failed.push(...res.attempts.map((a) => a.targetId));
}
await router.close();
process.stdout.write(`${JSON.stringify({ servedBy, failed })}\n`);
