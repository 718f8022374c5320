"""The LiteLLM config that @gw/config renders (`pnpm config:render`) against the pinned LiteLLM itself.

The proxy builds its router as `litellm.Router(model_list=..., **router_settings)`: an unknown setting or a deployment
LiteLLM cannot route stops the container at boot, and a fallback naming no model group is silently ignored.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile

import pytest
import yaml

from gateway import Gateway

REGIONS = ("us-east-1", "cn-north-1", "us-gov-west-1")
RENDER_TIMEOUT_S = 120
# Router settings that make the router connect to Redis on construction; the proxy passes them the same way.
REDIS_KEYS = ("redis_host", "redis_port", "redis_password", "redis_url")


def render(gw: Gateway, region: str) -> tuple[dict, set[str]]:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "AWS_REGION": region}
    with tempfile.TemporaryDirectory(dir=gw.run_dir) as cwd:
        done = subprocess.run(
            [gw.tsx, os.path.join(gw.repo_root, "config/src/render-cli.ts")], cwd=cwd, env=env, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S
        )
    assert done.returncode == 0, f"config:render for {region} failed:\n{done.stderr}"
    return yaml.safe_load(done.stdout), set(re.findall(r"os\.environ/([A-Za-z0-9_]+)", done.stdout))


@pytest.fixture(scope="module")
def litellm():
    import litellm as module  # imported here: it takes seconds, and only this file needs it in-process

    return module


@pytest.mark.parametrize("region", REGIONS)
def test_rendered_config_builds_a_litellm_router(gw: Gateway, litellm, region: str, monkeypatch: pytest.MonkeyPatch):
    config, env_refs = render(gw, region)
    for name in env_refs:  # os.environ/ references resolve when the router reads them
        monkeypatch.setenv(name, os.environ.get(name, "peers-placeholder"))
    model_list = config["model_list"]
    settings = {k: v for k, v in (config.get("router_settings") or {}).items() if k not in REDIS_KEYS}

    router = litellm.Router(model_list=model_list, **settings)
    assert len(router.model_list) == len(model_list)

    for deployment in model_list:
        model = deployment["litellm_params"]["model"]
        _, provider, _, _ = litellm.get_llm_provider(model=model)
        assert provider, f"{deployment['model_name']}: LiteLLM cannot route {model}"

    groups = {d["model_name"] for d in model_list}
    for kind in ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks"):
        for rule in (config.get("router_settings") or {}).get(kind) or []:
            for source, targets in rule.items():
                assert source in groups, f"router_settings.{kind}: {source} is no model group"
                missing = [t for t in targets if t not in groups]
                assert not missing, f"router_settings.{kind}[{source}]: {missing} are no model groups"
    for alias, target in ((config.get("router_settings") or {}).get("model_group_alias") or {}).items():
        target_name = target["model"] if isinstance(target, dict) else target
        assert target_name in groups, f"model_group_alias {alias} -> {target_name}: no such model group"
