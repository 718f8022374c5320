import { GatewayError } from "../errors";
import type { Upstream } from "../proxy/upstream";

/**
 * Asks LiteLLM whether a key is (still) valid before history endpoints serve data, so revoked or expired keys
 * cannot read old sessions. Positive answers are cached briefly; rejections never are.
 */
export class KeyVerifier {
  private readonly ok = new Map<string, number>();

  constructor(private readonly upstream: Upstream, private readonly ttlMs = 30_000, private readonly maxEntries = 10_000) {}

  async verify(apiKey: string): Promise<void> {
    const now = Date.now();
    const until = this.ok.get(apiKey);
    if (until !== undefined && until > now) return;
    const res = await this.upstream.request({ path: "/key/info", method: "GET", headers: { authorization: `Bearer ${apiKey}` }, headersTimeout: 10_000 });
    res.body.resume();
    if (res.statusCode === 401 || res.statusCode === 403) throw new GatewayError("GW_INVALID_API_KEY");
    if (res.statusCode >= 500) throw new GatewayError("GW_UPSTREAM_UNAVAILABLE", `Could not verify the API key (LiteLLM answered ${res.statusCode})`);
    // Every 4xx is a refusal, 404 included. LiteLLM answers 200 for every valid key; a 404 used to be accepted only
    // because services/fake-llm answered it for keys it accepted without having minted them. The fake now answers
    // 200 for those (registered keys, and any sk- key in `pnpm dev`), and a LiteLLM whose keys come from a custom
    // auth hook without a database cannot serve /key/info at all (it answers 400): run that with
    // HISTORY_VERIFY_KEYS=false, as the peer tests do.
    if (res.statusCode >= 400) throw new GatewayError("GW_INVALID_API_KEY");
    if (this.ok.size >= this.maxEntries) this.ok.clear();
    this.ok.set(apiKey, now + this.ttlMs);
  }
}
