"""boto3's bedrock-runtime client against the middleware's Converse facade, with the real LiteLLM behind it.

The client is unmodified: only endpoint_url and AWS_BEARER_TOKEN_BEDROCK are set (see conftest.py).
"""

from __future__ import annotations

import json
import uuid

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError, NoCredentialsError

from gateway import SDK_CONFIG, FakeLlmAdmin, Gateway

pytestmark = pytest.mark.usefixtures("no_leftover_faults")

WEATHER_TOOL = {
    "tools": [
        {
            "toolSpec": {
                "name": "get_weather",
                "description": "Current weather for a city",
                "inputSchema": {"json": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}},
            }
        }
    ]
}


def user(text: str) -> dict:
    return {"role": "user", "content": [{"text": text}]}


def marker() -> str:
    return f"m{uuid.uuid4().hex[:10]}"


def session_id_of(response: dict) -> str:
    return response["ResponseMetadata"]["HTTPHeaders"]["x-session-id"]


def test_the_bearer_token_is_what_authenticates(gw: Gateway, tls, monkeypatch):
    # Without AWS_BEARER_TOKEN_BEDROCK the same client falls back to SigV4 and has no credentials to sign with.
    monkeypatch.delenv("AWS_BEARER_TOKEN_BEDROCK", raising=False)
    client = boto3.session.Session().client("bedrock-runtime", endpoint_url=f"{tls.url}/bedrock", verify=tls.ca_file, config=SDK_CONFIG)
    with pytest.raises(NoCredentialsError):
        client.converse(modelId=gw.model, messages=[user("hello")])


def test_converse_returns_a_typed_response(gw: Gateway, bedrock):
    tag = marker()
    res = bedrock.converse(
        modelId=gw.bedrock_model_id,  # "anthropic.peer-model-v1:0": the SDK URL-encodes the ':'
        system=[{"text": "You are terse."}],
        messages=[user(f"hello from boto3 {tag}")],
        inferenceConfig={"maxTokens": 200, "temperature": 0.2},
    )
    assert res["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert res["ResponseMetadata"]["RequestId"]
    assert res["stopReason"] == "end_turn"
    message = res["output"]["message"]
    assert message["role"] == "assistant"
    assert message["content"][0]["text"].startswith("fake reply from us-east-1: hello from boto3")
    usage = res["usage"]
    assert usage["inputTokens"] > 0 and usage["outputTokens"] > 0
    assert usage["totalTokens"] == usage["inputTokens"] + usage["outputTokens"]
    assert res["metrics"]["latencyMs"] >= 0


def test_converse_max_tokens_stop_reason(gw: Gateway, bedrock):
    res = bedrock.converse(modelId=gw.model, messages=[user("a long answer please, with many words in it")], inferenceConfig={"maxTokens": 2})
    assert res["stopReason"] == "max_tokens"
    assert res["usage"]["outputTokens"] == 2


def test_converse_stream_events_in_order(gw: Gateway, bedrock):
    tag = marker()
    res = bedrock.converse_stream(modelId=gw.model, messages=[user(f"stream this {tag}")])
    assert res["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/vnd.amazon.eventstream"
    kinds, text, stop, metadata = [], "", None, None
    for event in res["stream"]:
        (kind, body), = event.items()
        kinds.append(kind)
        if kind == "contentBlockDelta":
            text += body["delta"]["text"]
        elif kind == "messageStop":
            stop = body["stopReason"]
        elif kind == "metadata":
            metadata = body
    assert kinds[0] == "messageStart"
    assert kinds[-2:] == ["messageStop", "metadata"]
    assert kinds.count("contentBlockDelta") > 1, "the reply arrives as several deltas"
    assert text == f"fake reply from us-east-1: stream this {tag}"
    assert stop == "end_turn"
    assert metadata["usage"]["outputTokens"] > 0
    assert metadata["usage"]["totalTokens"] == metadata["usage"]["inputTokens"] + metadata["usage"]["outputTokens"]


def test_tool_use_round_trip(gw: Gateway, bedrock, fake: FakeLlmAdmin):
    tag = marker()
    messages = [user(f"What is the weather in Seattle? {tag}")]
    first = bedrock.converse(modelId=gw.model, messages=messages, toolConfig=WEATHER_TOOL)
    assert first["stopReason"] == "tool_use"
    (block,) = [b for b in first["output"]["message"]["content"] if "toolUse" in b]
    tool_use = block["toolUse"]
    assert tool_use["name"] == "get_weather"
    assert isinstance(tool_use["input"], dict) and isinstance(tool_use["input"]["location"], str)

    messages += [
        first["output"]["message"],
        {"role": "user", "content": [{"toolResult": {"toolUseId": tool_use["toolUseId"], "content": [{"json": {"forecast": "sunny", "tag": tag}}], "status": "success"}}]},
    ]
    second = bedrock.converse(modelId=gw.model, messages=messages, toolConfig=WEATHER_TOOL)
    assert second["stopReason"] == "end_turn"
    assert second["output"]["message"]["content"][0]["text"].startswith("fake reply from us-east-1")

    # What reached the model: the assistant's tool call and the tool result, in OpenAI form, ids intact.
    upstream = fake.upstream_messages_containing(tag)[-1]
    roles = [m["role"] for m in upstream]
    assert roles[-2:] == ["assistant", "tool"]
    assert upstream[-2]["tool_calls"][0]["id"] == tool_use["toolUseId"]
    assert upstream[-2]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert upstream[-1]["tool_call_id"] == tool_use["toolUseId"]
    assert "sunny" in str(upstream[-1]["content"])


def test_tool_use_streamed(gw: Gateway, bedrock):
    res = bedrock.converse_stream(modelId=gw.model, messages=[user("weather in Seattle, please")], toolConfig=WEATHER_TOOL)
    events = list(res["stream"])
    kinds = [next(iter(e)) for e in events]
    assert kinds[:2] == ["messageStart", "contentBlockStart"]
    start = events[1]["contentBlockStart"]["start"]["toolUse"]
    assert start["name"] == "get_weather" and start["toolUseId"]
    partial = "".join(e["contentBlockDelta"]["delta"]["toolUse"]["input"] for e in events if "contentBlockDelta" in e)
    assert isinstance(json.loads(partial)["location"], str)
    assert "contentBlockStop" in kinds
    assert events[kinds.index("messageStop")]["messageStop"]["stopReason"] == "tool_use"
    assert kinds[-1] == "metadata"


def test_unknown_model_is_a_validation_exception(bedrock):
    with pytest.raises(ClientError) as caught:
        bedrock.converse(modelId="no-such-model", messages=[user("hello")])
    err = caught.value
    assert isinstance(err, bedrock.exceptions.ValidationException)
    assert err.response["Error"]["Code"] == "ValidationException"
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "no-such-model" in err.response["Error"]["Message"]  # LiteLLM's own explanation comes through


def test_bad_request_is_a_validation_exception(gw: Gateway, bedrock):
    # The SDK lets an empty list through; the facade rejects it before calling LiteLLM.
    with pytest.raises(bedrock.exceptions.ValidationException) as caught:
        bedrock.converse(modelId=gw.model, messages=[])
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "messages" in caught.value.response["Error"]["Message"]


def test_unknown_key_is_access_denied(gw: Gateway, bedrock_client_for):
    client = bedrock_client_for("sk-peers-unknown-key")
    with pytest.raises(ClientError) as caught:
        client.converse(modelId=gw.model, messages=[user("hello")])
    err = caught.value
    assert isinstance(err, client.exceptions.AccessDeniedException)
    assert err.response["Error"]["Code"] == "AccessDeniedException"
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] in (401, 403)
    assert gw.key_a not in str(err.response) and "sk-peers-unknown-key" not in err.response["Error"]["Message"]
    with pytest.raises(client.exceptions.AccessDeniedException):
        next(iter(client.converse_stream(modelId=gw.model, messages=[user("hello")])["stream"]))


def test_upstream_throttling_is_a_throttling_exception(gw: Gateway, bedrock, fake: FakeLlmAdmin):
    fake.fail_next(429)
    with pytest.raises(bedrock.exceptions.ThrottlingException) as caught:
        bedrock.converse(modelId=gw.model, messages=[user("hello")])
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429


def test_failure_mid_stream_raises_after_the_first_events(gw: Gateway, bedrock, fake: FakeLlmAdmin):
    fake.fail_next(429, after_chunks=2)
    received = []
    with pytest.raises(EventStreamError) as caught:
        for event in bedrock.converse_stream(modelId=gw.model, messages=[user("a stream that breaks midway")])["stream"]:
            received.append(next(iter(event)))
    assert received and received[0] == "messageStart"
    assert "messageStop" not in received
    assert caught.value.response["Error"]["Code"] == "throttlingException"


def test_history_across_turns(gw: Gateway, bedrock, fake: FakeLlmAdmin):
    tag = marker()
    first = bedrock.converse(
        modelId=gw.model, messages=[user(f"my name is Ada {tag}")], additionalModelRequestFields={"enable_history": True}
    )
    session_id = session_id_of(first)
    uuid.UUID(session_id)

    second = bedrock.converse(
        modelId=gw.model,
        messages=[user(f"what is my name? {tag}")],
        additionalModelRequestFields={"enable_history": True, "session_id": session_id},
    )
    assert session_id_of(second) == session_id

    # The second turn reached the model with the first turn (question and answer) in front of it.
    upstream = fake.upstream_messages_containing(f"what is my name? {tag}")[-1]
    texts = [str(m["content"]) for m in upstream]
    assert [m["role"] for m in upstream] == ["user", "assistant", "user"]
    assert f"my name is Ada {tag}" in texts[0]
    assert texts[1].startswith("fake reply from us-east-1: my name is Ada")
    # history fields are the gateway's: they never reach the model as parameters
    assert all("enable_history" not in str(r.get("body")) for r in fake.chat_requests())

    streamed = bedrock.converse_stream(
        modelId=gw.model,
        messages=[user(f"third turn {tag}")],
        additionalModelRequestFields={"enable_history": True, "session_id": session_id},
    )
    assert session_id_of(streamed) == session_id
    assert [next(iter(e)) for e in streamed["stream"]][-1] == "metadata"
    assert [m["role"] for m in fake.upstream_messages_containing(f"third turn {tag}")[-1]] == ["user", "assistant"] * 2 + ["user"]


def test_history_session_of_another_key_is_not_found(gw: Gateway, bedrock, bedrock_client_for):
    first = bedrock.converse(modelId=gw.model, messages=[user("private turn")], additionalModelRequestFields={"enable_history": True})
    other = bedrock_client_for(gw.key_b)
    with pytest.raises(other.exceptions.ResourceNotFoundException):
        other.converse(
            modelId=gw.model,
            messages=[user("let me read that")],
            additionalModelRequestFields={"enable_history": True, "session_id": session_id_of(first)},
        )


def test_plain_http_endpoint_with_a_header_hook(gw: Gateway, fake: FakeLlmAdmin):
    """Without TLS boto3 refuses to send a bearer token; an event hook that sets the header is the documented way
    to reach a plain-HTTP gateway (for example a local `pnpm dev`)."""
    client = boto3.session.Session().client(
        "bedrock-runtime",
        endpoint_url=f"{gw.middleware_url}/bedrock",
        config=SDK_CONFIG.merge(Config(signature_version=botocore.UNSIGNED)),
    )

    def add_bearer(request, **_):
        request.headers["Authorization"] = f"Bearer {gw.key_a}"

    client.meta.events.register("before-send.bedrock-runtime.*", add_bearer)
    res = client.converse(modelId=gw.model, messages=[user("over plain http")])
    assert res["output"]["message"]["content"][0]["text"] == "fake reply from us-east-1: over plain http"
