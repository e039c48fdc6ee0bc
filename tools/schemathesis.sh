#!/usr/bin/env bash
# API fuzzing: schemathesis (PyPI) against /api/openapi.json of a fresh demo server.
#
# Usage: tools/schemathesis.sh [MAX_EXAMPLES]        (default 50 examples per operation)
#
# Builds nothing: the server binary is $GONGZHI_BIN (default ./target/debug/gongzhi). Makes a
# small demo data dir, issues bearer tokens, serves on a free loopback port and runs schemathesis
# three times: without credentials (401s and the public API), as the lower-privileged `grid`
# account (403s) and as `admin`, each with these checks:
#   not_a_server_error           no 5xx, ever
#   response_schema_conformance  every body matches the documented schema of its status
#   status_code_conformance      every status is one the operation documents
#   content_type_conformance     every Content-Type is one the operation documents
# Runs are repeatable: deterministic generation (derandomized, no example database), one worker
# (hypothesis describing a failure from two threads at once crashes CPython 3.11's parser with
# "AST constructor recursion depth mismatch"). Exits non-zero on any failure; the server is
# stopped on exit. The pinned schemathesis version is in tools/requirements-schemathesis.txt and
# is installed into a virtualenv ($SCHEMATHESIS_VENV, default
# ~/.cache/gongzhi/schemathesis-<version>) when missing.
#
# Also: SCHEMATHESIS_REPORT_DIR=dir keeps a JUnit report per pass; SCHEMATHESIS_EXTRA adds options
# to every `schemathesis run` (e.g. --continue-on-failure to see every failure of an operation).
set -euo pipefail
cd "$(dirname "$0")/.."

max_examples="${1:-50}"
bin="${GONGZHI_BIN:-./target/debug/gongzhi}"
requirements=tools/requirements-schemathesis.txt

step() { printf '\n=== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }
started=$(date +%s)

[ -x "$bin" ] || { echo "no server binary at $bin (cargo build -p gongzhi, or set GONGZHI_BIN)" >&2; exit 2; }

step "schemathesis"
version="$(sed -n 's/^schemathesis==//p' "$requirements")"
venv="${SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/gongzhi/schemathesis-$version}"
st="$venv/bin/schemathesis"
if ! "$st" --version 2>/dev/null | grep -qF "version $version"; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
fi
"$st" --version

step "demo server"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
export GONGZHI_DEMO_PASSWORD="${GONGZHI_DEMO_PASSWORD:-demo2026pass}"
"$bin" --data-dir "$work/data" demo --households 2000 >/dev/null 2>"$work/demo.log" \
  || { cat "$work/demo.log" >&2; exit 1; }
admin_token="$("$bin" --data-dir "$work/data" token create --account admin --name schemathesis 2>/dev/null)"
grid_token="$("$bin" --data-dir "$work/data" token create --account grid --name schemathesis 2>/dev/null)"
# Port 0: the server takes a free port and says which on stderr. The fuzzer creates webhooks
# (some with the spec's example URLs) and cases whose events the webhook worker then delivers:
# every outgoing request goes through a proxy on a closed loopback port, so none leaves the
# machine and none is answered.
HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 NO_PROXY= \
  http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 all_proxy=http://127.0.0.1:9 no_proxy= \
  "$bin" --data-dir "$work/data" serve --listen 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
url=""
for _ in $(seq 1 120); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -n1 || true)"
  [ -n "$url" ] && curl -fsS "$url/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$url/healthz" >/dev/null
echo "serving on $url"

# The document as the server serves it, read from a file: given its URL, schemathesis would leave
# out the operation that serves it (GET /api/openapi.json).
curl -fsS "$url/api/openapi.json" -o "$work/openapi.json"

# Real ids and codes (after filing a few cases), mixed into the generated values so that
# fuzzing gets past 404s: see tools/schemathesis-data.py.
python3 tools/schemathesis-data.py "$url" "$admin_token" "$grid_token" >"$work/schemathesis.toml"

# Nothing is skipped. Operations that might look dangerous to fuzz, and why they are not:
# - DELETE /api/v1/session (log out) ends the session of a cookie; a bearer token is not one.
# - POST /api/v1/accounts/{id}/role, …/disable: an admin may change neither their own role nor
#   disable their own account (400), so the admin pass keeps its rights; it may change the
#   `grid` account, which is why the `grid` pass runs first.
# - Webhooks: see the proxy above.
# - Multipart photo uploads and file imports are fuzzed with whatever bodies schemathesis makes.
run() { # NAME [TOKEN]
  step "schemathesis as $1 ($max_examples examples per operation)"
  local auth=() report=()
  [ -n "${2:-}" ] && auth=(--header "Authorization: Bearer $2")
  [ -n "${SCHEMATHESIS_REPORT_DIR:-}" ] \
    && report=(--report junit --report-junit-path "$SCHEMATHESIS_REPORT_DIR/schemathesis-$1.xml")
  "$st" --config-file "$work/schemathesis.toml" run "$work/openapi.json" --url "$url" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    "${auth[@]}" \
    --generation-with-security-parameters false \
    --max-examples "$max_examples" \
    --generation-deterministic \
    --workers 1 \
    --request-timeout 30 \
    --no-color \
    "${report[@]}" \
    ${SCHEMATHESIS_EXTRA:-}
}

status=0
# Anonymous and grid side by side (neither changes what the other may do; each pass is one
# single-threaded process, so two share the machine's cores), then admin alone: the admin pass
# may disable or re-role demo accounts, grid's among them. Each pass's output is printed whole
# when it ends.
run anonymous >"$work/pass-anonymous.log" 2>&1 &
anonymous_pid=$!
run grid "$grid_token" >"$work/pass-grid.log" 2>&1 || status=1
wait "$anonymous_pid" || status=1
cat "$work/pass-anonymous.log" "$work/pass-grid.log"
run admin "$admin_token" || status=1

# A pass that loses its rights halfway only sees documented 401/403s from then on and passes
# without testing much: the admin must still be an admin at the end (schemathesis once demoted
# it through its own /accounts/{id}/role).
role="$(curl -fsS -H "Authorization: Bearer $admin_token" "$url/api/v1/me" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["account"]["role"])' 2>/dev/null || true)"
if [ "$role" != admin ]; then
  echo "the admin account ended the run as ${role:-unreachable}: the admin pass lost its rights" >&2
  status=1
fi

if grep -qE 'panicked|ERROR' "$work/serve.log"; then
  step "server log errors"
  grep -E 'panicked|ERROR' "$work/serve.log" | head -n 50
  status=1
fi

step "done in $(($(date +%s) - started)) s"
exit "$status"
