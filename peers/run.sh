#!/usr/bin/env bash
# `pnpm test:peers`: the peer tier. Real LiteLLM proxy between the middleware and services/fake-llm, the Python boto3
# and openai clients against the middleware, checkov over the synthesized Terraform JSON. See peers/README.md.
#
# Everything binds 127.0.0.1 on free ports; every wait is bounded; every process started here is stopped on exit.
# Exit status: pytest's, except that "no tests collected" (pytest's 5) is a failure too.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS="$ROOT/peers"
VENV="$PEERS/.venv"
CHECKOV_VENV="$PEERS/.venv-checkov"
TSX="$ROOT/node_modules/.bin/tsx"
WAIT_S=${PEERS_WAIT_S:-60}          # upper bound for each service to become ready
PIP_TIMEOUT_S=${PEERS_PIP_TIMEOUT_S:-900}
PYTEST_TIMEOUT_S=${PEERS_PYTEST_TIMEOUT_S:-900}   # the whole test run; each call in the tests has its own timeout
MODEL=peer-model                    # LiteLLM model_name the tests call (also a Bedrock-style id, see below)
BEDROCK_MODEL_ID="anthropic.peer-model-v1:0"

log() { printf '[peers] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

pick_python() {
  local candidate
  for candidate in "${PEERS_PYTHON:-}" python3.11 python3; do
    [[ -n "$candidate" ]] || continue
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  die "Python >= 3.11 not found (set PEERS_PYTHON)"
}

# Create or refresh a virtualenv when its requirements, lock or interpreter changed; otherwise reuse it as is.
ensure_venv() {
  local dir=$1 reqs=$2 lock=$3 stamp
  stamp=$( { cat "$reqs" "$lock"; "$PYTHON" -VV; } | sha256sum | cut -c1-64)
  if [[ -x "$dir/bin/python" && -f "$dir/.peers-stamp" && "$(cat "$dir/.peers-stamp")" == "$stamp" ]]; then
    return 0
  fi
  log "installing $(basename "$reqs") into ${dir#"$ROOT"/}"
  rm -rf "$dir"
  "$PYTHON" -m venv "$dir"
  timeout "$PIP_TIMEOUT_S" "$dir/bin/python" -m pip install --disable-pip-version-check --no-input -q \
    -r "$reqs" -c "$lock"
  echo "$stamp" >"$dir/.peers-stamp"
}

free_port() {
  "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

RUN_DIR=""
PIDS=()
NAMES=()

# Stop every process group started here (newest first): TERM, then KILL after a bounded grace period.
cleanup() {
  local status=$? i pid n
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[$i]}
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[$i]}
    for ((n = 0; n < 100; n++)); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 -- "-$pid" 2>/dev/null; then
      log "${NAMES[$i]} did not stop within 10 s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  done
  if [[ -n "$RUN_DIR" && -d "$RUN_DIR" ]]; then
    if [[ $status -ne 0 && -z "${PEERS_QUIET_LOGS:-}" ]]; then
      for f in "$RUN_DIR"/*.log; do
        [[ -f "$f" ]] || continue
        log "---- last lines of $(basename "$f") ----"
        tail -n 40 "$f" >&2 || true
      done
    fi
    if [[ -n "${PEERS_KEEP_LOGS:-}" ]]; then log "logs kept in $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME LOGFILE CMD...: run CMD in its own session (so its whole process tree can be stopped at once).
start() {
  local name=$1 logfile=$2
  shift 2
  setsid "$@" >"$logfile" 2>&1 </dev/null &
  PIDS+=("$!")
  NAMES+=("$name")
}

# wait_http NAME URL [EXPECTED_STATUS]: poll until URL answers, bounded by WAIT_S; fail fast if the process died.
wait_http() {
  local name=$1 url=$2 want=${3:-200} deadline code i
  deadline=$((SECONDS + WAIT_S))
  i=$((${#PIDS[@]} - 1))
  while ((SECONDS < deadline)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
    [[ "$code" == "$want" ]] && return 0
    kill -0 "${PIDS[$i]}" 2>/dev/null || die "$name exited before it was ready (log: $RUN_DIR/$name.log)"
    sleep 0.5
  done
  die "$name not ready after ${WAIT_S} s ($url answered '${code:-nothing}')"
}

# wait_line NAME LOGFILE REGEX: wait for a line in a log; prints the first capture group.
wait_line() {
  local name=$1 logfile=$2 regex=$3 deadline i line
  deadline=$((SECONDS + WAIT_S))
  i=$((${#PIDS[@]} - 1))
  while ((SECONDS < deadline)); do
    line=$(grep -m1 -oE "$regex" "$logfile" 2>/dev/null || true)
    if [[ -n "$line" ]]; then
      [[ "$line" =~ $regex ]] && echo "${BASH_REMATCH[1]}"
      return 0
    fi
    kill -0 "${PIDS[$i]}" 2>/dev/null || die "$name exited before it was ready (log: $logfile)"
    sleep 0.2
  done
  die "$name did not report readiness within ${WAIT_S} s"
}

[[ -x "$TSX" ]] || die "$TSX not found: install the workspace first (pnpm install)"
command -v curl >/dev/null || die "curl is required"
PYTHON=$(pick_python)

started_at=$SECONDS
# Both environments install concurrently: downloads dominate a cold run.
ensure_venv "$VENV" "$PEERS/requirements.txt" "$PEERS/requirements.lock" &
main_install=$!
ensure_venv "$CHECKOV_VENV" "$PEERS/requirements-checkov.txt" "$PEERS/requirements-checkov.lock" &
checkov_install=$!
wait "$main_install" || die "pip install -r peers/requirements.txt failed"
wait "$checkov_install" || die "pip install -r peers/requirements-checkov.txt failed"
log "python environments ready in $((SECONDS - started_at)) s"

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gw-peers.XXXXXX")
new_key() { "$VENV/bin/python" -c 'import secrets; print("sk-peers-" + secrets.token_hex(16))'; }
MASTER_KEY=$(new_key)
KEY_A=$(new_key)    # the gateway keys the clients use; two, so that session ownership can be tested
KEY_B=$(new_key)

UPSTREAM_KEY=sk-peers-upstream   # the provider key LiteLLM sends to fake-llm

# 1. fake-llm: the OpenAI-compatible upstream LiteLLM calls (port 0: it prints the URL it bound). It refuses keys it
#    does not know, so LiteLLM's upstream key is registered.
start fake-llm "$RUN_DIR/fake-llm.log" "$TSX" "$ROOT/services/fake-llm/src/cli.ts" --host 127.0.0.1 --port 0 --region us-east-1 --keys "$UPSTREAM_KEY"
FAKE_URL=$(wait_line fake-llm "$RUN_DIR/fake-llm.log" 'listening on (http://127\.0\.0\.1:[0-9]+)')
wait_http fake-llm "$FAKE_URL/health/liveliness"
log "fake-llm at $FAKE_URL"

# 2. The real LiteLLM proxy without a database. peers/proxy/peer_auth.py (LiteLLM's custom_auth hook) accepts the
#    master key and KEY_A/KEY_B and answers any other key with LiteLLM's own 401, as a deployment's virtual keys do.
LITELLM_PORT=$(free_port)
cat >"$RUN_DIR/litellm.yaml" <<YAML
model_list:
  - model_name: ${MODEL}
    litellm_params:
      model: openai/${MODEL}
      api_base: ${FAKE_URL}/v1
      api_key: ${UPSTREAM_KEY}
  - model_name: "${BEDROCK_MODEL_ID}"
    litellm_params:
      model: openai/${MODEL}
      api_base: ${FAKE_URL}/v1
      api_key: ${UPSTREAM_KEY}
litellm_settings:
  num_retries: 0
  request_timeout: 30
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  custom_auth: peer_auth.user_api_key_auth
YAML
cp "$PEERS/proxy/peer_auth.py" "$RUN_DIR/peer_auth.py"   # LiteLLM loads custom_auth modules beside its config
# DATABASE_URL/REDIS_URL belong to the middleware: LiteLLM with a database would need `prisma generate` (network).
start litellm "$RUN_DIR/litellm.log" env -u DATABASE_URL -u REDIS_URL -u DATABASE_MIDDLEWARE_URL \
  LITELLM_MASTER_KEY="$MASTER_KEY" PEERS_LITELLM_KEYS="$MASTER_KEY,$KEY_A,$KEY_B" LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_TELEMETRY=False \
  DISABLE_ADMIN_UI=True NO_DOCS=True PYTHONUNBUFFERED=1 \
  "$VENV/bin/litellm" --config "$RUN_DIR/litellm.yaml" --host 127.0.0.1 --port "$LITELLM_PORT" --num_workers 1
LITELLM_URL="http://127.0.0.1:$LITELLM_PORT"
wait_http litellm "$LITELLM_URL/health/liveliness"
log "litellm $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))') at $LITELLM_URL"

# 3. The middleware in front of LiteLLM (history in real Postgres when DATABASE_URL is set, PGlite otherwise).
#    HISTORY_VERIFY_KEYS=false: its key check calls LiteLLM's /key/info, which needs LiteLLM's database; LiteLLM
#    still checks the key of every model call, and history stays keyed by the caller's key.
MW_PORT=$(free_port)
if [[ -z "${DATABASE_MIDDLEWARE_URL:-}" && -n "${DATABASE_URL:-}" ]]; then
  # A database of its own on the same server (the middleware creates it): nothing shared with `pnpm test`.
  DATABASE_MIDDLEWARE_URL=$("$VENV/bin/python" -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/gw_peers_history")))' "$DATABASE_URL")
  export DATABASE_MIDDLEWARE_URL
fi
start middleware "$RUN_DIR/middleware.log" env HOST=127.0.0.1 PORT="$MW_PORT" LITELLM_URL="$LITELLM_URL" \
  LITELLM_MASTER_KEY="$MASTER_KEY" BEDROCK_AGENT_ENDPOINT="$FAKE_URL" HISTORY_VERIFY_KEYS=false SHUTDOWN_GRACE_MS=5000 \
  "$TSX" "$ROOT/services/middleware/src/main.ts"
MW_URL="http://127.0.0.1:$MW_PORT"
wait_http middleware "$MW_URL/health/readiness"
history=pglite; [[ -n "${DATABASE_MIDDLEWARE_URL:-}" ]] && history=postgres
log "middleware at $MW_URL (chat history in $history)"
log "services ready after $((SECONDS - started_at)) s"

# The AWS SDK must find nothing of the host's configuration and never reach the instance metadata service; litellm
# (imported by test_litellm_config.py) must not fetch its model-cost map.
set +e
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE -u AWS_BEARER_TOKEN_BEDROCK \
  AWS_CONFIG_FILE="$RUN_DIR/aws-config" AWS_SHARED_CREDENTIALS_FILE="$RUN_DIR/aws-credentials" \
  AWS_EC2_METADATA_DISABLED=true PYTHONDONTWRITEBYTECODE=1 LITELLM_LOCAL_MODEL_COST_MAP=True \
  PEERS_REPO_ROOT="$ROOT" PEERS_RUN_DIR="$RUN_DIR" PEERS_TSX="$TSX" PEERS_CHECKOV="$CHECKOV_VENV/bin/checkov" \
  PEERS_FAKE_LLM_URL="$FAKE_URL" PEERS_LITELLM_URL="$LITELLM_URL" PEERS_MIDDLEWARE_URL="$MW_URL" \
  PEERS_MASTER_KEY="$MASTER_KEY" PEERS_KEY_A="$KEY_A" PEERS_KEY_B="$KEY_B" PEERS_MODEL="$MODEL" PEERS_BEDROCK_MODEL_ID="$BEDROCK_MODEL_ID" \
  timeout --kill-after=10 "$PYTEST_TIMEOUT_S" "$VENV/bin/python" -m pytest "$PEERS/tests" -c "$PEERS/pytest.ini" --rootdir "$PEERS" "$@"
status=$?
[[ $status -eq 124 ]] && log "pytest did not finish within ${PYTEST_TIMEOUT_S} s"
set -e
log "done in $((SECONDS - started_at)) s (pytest exit $status)"
if [[ $status -eq 5 ]]; then
  log "pytest collected no tests: failing"
  exit 1
fi
exit "$status"
