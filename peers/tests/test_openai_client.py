"""The openai Python client against the middleware's OpenAI routes, with the real LiteLLM behind it."""

from __future__ import annotations

import uuid

import openai
import pytest

from gateway import FakeLlmAdmin, Gateway, http_json

pytestmark = pytest.mark.usefixtures("no_leftover_faults")

REPLY_PREFIX = "fake reply from us-east-1: "


def client_for(gw: Gateway, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gw.middleware_url}/v1", api_key=key, max_retries=0, timeout=30)


@pytest.fixture(scope="module")
def client(gw: Gateway) -> openai.OpenAI:
    return client_for(gw, gw.key_a)


def marker() -> str:
    return f"m{uuid.uuid4().hex[:10]}"


def test_chat_completion(gw: Gateway, client: openai.OpenAI):
    tag = marker()
    res = client.chat.completions.create(model=gw.model, messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": f"hello {tag}"}])
    assert res.object == "chat.completion"
    assert res.model == gw.model
    (choice,) = res.choices
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    assert choice.message.content == f"{REPLY_PREFIX}hello {tag}"
    assert res.usage.completion_tokens > 0
    assert res.usage.total_tokens == res.usage.prompt_tokens + res.usage.completion_tokens


def test_stream_with_usage(gw: Gateway, client: openai.OpenAI):
    tag = marker()
    stream = client.chat.completions.create(
        model=gw.model, messages=[{"role": "user", "content": f"stream {tag}"}], stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == f"{REPLY_PREFIX}stream {tag}"
    assert sum(1 for c in chunks if c.choices and c.choices[0].delta.content) > 1, "tokens arrive as separate chunks"
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finish == ["stop"]
    usage_chunks = [c for c in chunks if c.usage is not None]
    assert usage_chunks, "include_usage: a usage chunk is forwarded"
    usage = usage_chunks[-1]
    assert usage is chunks[-1]
    # OpenAI sends `choices: []` here; LiteLLM sends one empty delta. Either way the usage chunk carries no text.
    assert all(not c.delta.content for c in usage.choices)
    assert usage.usage.completion_tokens > 0
    assert usage.usage.total_tokens == usage.usage.prompt_tokens + usage.usage.completion_tokens


def test_tool_calls(gw: Gateway, client: openai.OpenAI):
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}}]
    res = client.chat.completions.create(model=gw.model, messages=[{"role": "user", "content": "weather in Seattle?"}], tools=tools)
    assert res.choices[0].finish_reason == "tool_calls"
    (call,) = res.choices[0].message.tool_calls
    assert call.function.name == "get_weather"
    assert "location" in call.function.arguments


def test_history_across_turns(gw: Gateway, client: openai.OpenAI, fake: FakeLlmAdmin):
    tag = marker()
    raw = client.chat.completions.with_raw_response.create(
        model=gw.model, messages=[{"role": "user", "content": f"remember blue {tag}"}], extra_body={"enable_history": True}
    )
    first = raw.parse()
    session_id = first.model_extra["session_id"]
    uuid.UUID(session_id)
    assert raw.headers["x-session-id"] == session_id

    second = client.chat.completions.create(
        model=gw.model, messages=[{"role": "user", "content": f"which colour? {tag}"}], extra_body={"enable_history": True, "session_id": session_id}
    )
    assert second.model_extra["session_id"] == session_id
    upstream = fake.upstream_messages_containing(f"which colour? {tag}")[-1]
    assert [m["role"] for m in upstream] == ["user", "assistant", "user"]
    assert upstream[1]["content"] == f"{REPLY_PREFIX}remember blue {tag}"

    # Streaming: the session id is in the first chunk; the streamed reply is stored like any other.
    stream = client.chat.completions.create(
        model=gw.model,
        messages=[{"role": "user", "content": f"third {tag}"}],
        stream=True,
        extra_body={"enable_history": True, "session_id": session_id},
    )
    chunks = list(stream)
    assert chunks[0].model_extra.get("session_id") == session_id
    status, history = http_json("POST", f"{gw.middleware_url}/chat-history", {"session_id": session_id}, {"authorization": f"Bearer {gw.key_a}"})
    assert status == 200, history
    messages = history["messages"] if isinstance(history, dict) else history
    assert [m["role"] for m in messages] == ["user", "assistant"] * 3
    assert messages[-1]["content"] == f"{REPLY_PREFIX}third {tag}"


def test_session_of_another_key_is_not_found(gw: Gateway, client: openai.OpenAI):
    first = client.chat.completions.create(model=gw.model, messages=[{"role": "user", "content": "mine"}], extra_body={"enable_history": True})
    with pytest.raises(openai.NotFoundError):
        client_for(gw, gw.key_b).chat.completions.create(
            model=gw.model, messages=[{"role": "user", "content": "yours?"}], extra_body={"enable_history": True, "session_id": first.model_extra["session_id"]}
        )


def test_unknown_key_is_an_authentication_error_from_litellm(gw: Gateway, fake: FakeLlmAdmin):
    tag = marker()
    with pytest.raises(openai.AuthenticationError) as caught:
        client_for(gw, "sk-peers-unknown-key").chat.completions.create(
            model=gw.model, messages=[{"role": "user", "content": f"hello {tag}"}], extra_body={"enable_history": True}
        )
    err = caught.value
    assert err.status_code == 401
    assert err.body["type"] == "auth_error"  # LiteLLM's error body, passed through unchanged
    assert fake.upstream_messages_containing(tag) == []


def test_rate_limit_passes_through(gw: Gateway, client: openai.OpenAI, fake: FakeLlmAdmin):
    fake.fail_next(429)
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model=gw.model, messages=[{"role": "user", "content": "hello"}])
    assert caught.value.status_code == 429


def test_unknown_model_is_a_bad_request(client: openai.OpenAI):
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hello"}])
    assert "no-such-model" in caught.value.message
