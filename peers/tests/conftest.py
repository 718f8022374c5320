from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from urllib.parse import urlsplit

import boto3
import pytest

from gateway import SDK_CONFIG, FakeLlmAdmin, Gateway
from tls_terminator import TlsTerminator


@pytest.fixture(scope="session")
def gw() -> Gateway:
    return Gateway.from_env()


@pytest.fixture(scope="session")
def fake(gw: Gateway) -> FakeLlmAdmin:
    return FakeLlmAdmin(gw.fake_llm_url)


@pytest.fixture(scope="session")
def tls(gw: Gateway) -> Iterator[TlsTerminator]:
    target = urlsplit(gw.middleware_url)
    with tempfile.TemporaryDirectory(prefix="tls-", dir=gw.run_dir) as workdir:
        terminator = TlsTerminator(target.hostname or "127.0.0.1", target.port or 80, workdir).start()
        try:
            yield terminator
        finally:
            terminator.stop()


@contextlib.contextmanager
def _bearer_env(token: str) -> Iterator[None]:
    previous = os.environ.get("AWS_BEARER_TOKEN_BEDROCK")
    os.environ["AWS_BEARER_TOKEN_BEDROCK"] = token
    try:
        yield
    finally:
        if previous is None:
            del os.environ["AWS_BEARER_TOKEN_BEDROCK"]
        else:
            os.environ["AWS_BEARER_TOKEN_BEDROCK"] = previous


@pytest.fixture(scope="session")
def bedrock_client_for(gw: Gateway, tls: TlsTerminator):
    """An unmodified boto3 bedrock-runtime client whose only settings are the endpoint and AWS_BEARER_TOKEN_BEDROCK,
    exactly as the gateway's users configure it (plus trust in the test CA)."""

    def make(token: str):
        # botocore reads the token when the client is created and checks the variable again per request to prefer
        # bearer auth over SigV4, so the variable stays set (to the main key) for the whole session.
        with _bearer_env(token):
            return boto3.session.Session().client("bedrock-runtime", endpoint_url=f"{tls.url}/bedrock", verify=tls.ca_file, config=SDK_CONFIG)

    with _bearer_env(gw.key_a):
        yield make


@pytest.fixture(scope="session")
def bedrock(gw: Gateway, bedrock_client_for):
    return bedrock_client_for(gw.key_a)


@pytest.fixture
def no_leftover_faults(fake: FakeLlmAdmin) -> Iterator[None]:
    """A fault a failing test armed but never triggered must not hit the next test."""
    yield
    fake.clear_faults()
