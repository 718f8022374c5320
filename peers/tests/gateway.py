"""The running peer stack as peers/run.sh describes it in PEERS_* variables, plus fake-llm's admin API."""

from __future__ import annotations

import json
import os
import urllib.request
from dataclasses import dataclass
from typing import Any

from botocore.config import Config

HTTP_TIMEOUT_S = 15
# One attempt per call: retries would hide the error a test expects, and the SDK's backoff would slow the suite.
SDK_CONFIG = Config(region_name="us-east-1", retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)


@dataclass(frozen=True)
class Gateway:
    repo_root: str
    run_dir: str
    tsx: str
    checkov: str
    fake_llm_url: str
    litellm_url: str
    middleware_url: str
    master_key: str
    key_a: str
    key_b: str
    model: str
    bedrock_model_id: str

    @staticmethod
    def from_env() -> "Gateway":
        names = {
            "repo_root": "PEERS_REPO_ROOT",
            "run_dir": "PEERS_RUN_DIR",
            "tsx": "PEERS_TSX",
            "checkov": "PEERS_CHECKOV",
            "fake_llm_url": "PEERS_FAKE_LLM_URL",
            "litellm_url": "PEERS_LITELLM_URL",
            "middleware_url": "PEERS_MIDDLEWARE_URL",
            "master_key": "PEERS_MASTER_KEY",
            "key_a": "PEERS_KEY_A",
            "key_b": "PEERS_KEY_B",
            "model": "PEERS_MODEL",
            "bedrock_model_id": "PEERS_BEDROCK_MODEL_ID",
        }
        missing = [env for env in names.values() if not os.environ.get(env)]
        if missing:
            raise RuntimeError(f"{', '.join(missing)} not set: run the peer tier with `pnpm test:peers` (peers/run.sh)")
        return Gateway(**{field: os.environ[env] for field, env in names.items()})


def http_json(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """A plain HTTP call (stdlib only); returns (status, parsed JSON or text)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT_S) as res:
            status, raw = res.status, res.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


class FakeLlmAdmin:
    """fake-llm's /__admin API: what LiteLLM sent upstream, and one-shot fault injection."""

    def __init__(self, url: str) -> None:
        self.url = url

    def chat_requests(self) -> list[dict[str, Any]]:
        status, body = http_json("GET", f"{self.url}/__admin/requests")
        assert status == 200, body
        return [r for r in body if r.get("path", "").endswith("/chat/completions")]

    def upstream_messages_containing(self, marker: str) -> list[list[dict[str, Any]]]:
        """The `messages` of every upstream chat request whose last message mentions marker (oldest first)."""
        found = []
        for r in self.chat_requests():
            body = r.get("body")
            if isinstance(body, str):
                body = json.loads(body)
            messages = (body or {}).get("messages") or []
            if messages and marker in json.dumps(messages[-1]):
                found.append(messages)
        return found

    def fail_next(self, status: int, after_chunks: int | None = None, route: str = "chat") -> None:
        body: dict[str, Any] = {"route": route, "n": 1, "status": status}
        if after_chunks is not None:
            body["afterChunks"] = after_chunks
        code, answer = http_json("POST", f"{self.url}/__admin/fail-next", body)
        assert code == 200, answer

    def clear_faults(self) -> None:
        """Drop any fault a failed test left pending (also clears counters and the request log)."""
        code, answer = http_json("POST", f"{self.url}/__admin/reset", {})
        assert code == 200, answer
