"""LiteLLM `general_settings.custom_auth` hook for the peer tier.

The peer LiteLLM runs without a database (a database needs `prisma generate`, which downloads engines), and a
database-less LiteLLM answers 400 "No connected db." to every key but the master key. This hook restores what a
deployed gateway does with virtual keys: the keys listed in PEERS_LITELLM_KEYS (comma separated) are accepted, any
other key gets LiteLLM's own 401 `auth_error`, so clients see the error they would see in production.
"""

import os

from fastapi import Request
from litellm.proxy._types import LitellmUserRoles, ProxyException, UserAPIKeyAuth

_KEYS = frozenset(k.strip() for k in os.environ.get("PEERS_LITELLM_KEYS", "").split(",") if k.strip())
# LiteLLM calls custom auth before its own public-route check, so the probes must be let through here.
_PUBLIC_PATHS = frozenset({"/health/liveliness", "/health/liveness", "/health/readiness"})


async def user_api_key_auth(request: Request, api_key: str) -> UserAPIKeyAuth:
    if request.url.path in _PUBLIC_PATHS:
        return UserAPIKeyAuth(user_role=LitellmUserRoles.INTERNAL_USER_VIEW_ONLY)
    key = (api_key or "").removeprefix("Bearer ").strip()
    if key in _KEYS:
        return UserAPIKeyAuth(api_key=key, user_id=f"peer-{sorted(_KEYS).index(key)}", user_role=LitellmUserRoles.INTERNAL_USER)
    raise ProxyException(message="Authentication Error: invalid api key", type="auth_error", param="api_key", code=401)
