#!/usr/bin/env bash
# Runs other people's client libraries against the sandbox over HTTPS: MSAL Python and
# simple-salesforce (pytest, python/), the Microsoft Graph JavaScript client (node --test,
# graph-js/). Starts `onbehalf sandbox --tls` in a fresh data folder, hands its addresses,
# client ids and CA certificate to the tests through the environment, and trusts the CA the
# way each library documents (REQUESTS_CA_BUNDLE for requests, NODE_EXTRA_CA_CERTS for Node).
# Exits non-zero when any test failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

tests/conformance/install.sh
cargo build --quiet -p onbehalf-cli

data="$(mktemp -d)"
out="$data/sandbox.out"
sandbox_pid=""
stop() {
  if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
    kill -INT "$sandbox_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$sandbox_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap stop EXIT

# A background job of a script ignores SIGINT unless it sets its own handler; the sandbox
# does (it waits for Ctrl-C), so SIGINT still stops it.
"${CARGO_TARGET_DIR:-target}/debug/onbehalf" --data-dir "$data" sandbox --tls >"$out" 2>"$data/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 300); do
  grep -q '^# press Ctrl-C to stop' "$out" 2>/dev/null && break
  if ! kill -0 "$sandbox_pid" 2>/dev/null; then
    echo "conformance: the sandbox did not start" >&2
    cat "$out" "$data/sandbox.err" >&2
    exit 1
  fi
  sleep 0.1
done
if ! grep -q '^# press Ctrl-C to stop' "$out"; then
  echo "conformance: the sandbox printed no configuration within 30 s" >&2
  cat "$out" "$data/sandbox.err" >&2
  exit 1
fi

# `key = "value"` (or 'value') in the printed configuration's [section].
setting() {
  awk -v section="$1" -v key="$2" '
    /^\[/ { current = substr($0, 2, length($0) - 2); next }
    current == section && $1 == key {
      value = $0
      sub(/^[^=]*=[ \t]*/, "", value)
      gsub(/^["\047]|["\047]$/, "", value)
      print value
      exit
    }' "$out"
}

export SANDBOX_URL SANDBOX_CA_FILE SANDBOX_AUTHORITY SANDBOX_GRAPH_URL SANDBOX_CLIENT_ID
export SANDBOX_SF_LOGIN_URL SANDBOX_SF_CLIENT_ID
SANDBOX_URL="$(sed -n 's/^Onbehalf sandbox running at //p' "$out")"
SANDBOX_CA_FILE="$(setting "" ca_file)"
SANDBOX_AUTHORITY="$(setting microsoft authority)"
SANDBOX_GRAPH_URL="$(setting microsoft graph_url)"
SANDBOX_CLIENT_ID="$(setting microsoft client_id)"
SANDBOX_SF_LOGIN_URL="$(setting salesforce login_url)"
SANDBOX_SF_CLIENT_ID="$(setting salesforce client_id)"
for name in SANDBOX_URL SANDBOX_CA_FILE SANDBOX_AUTHORITY SANDBOX_GRAPH_URL SANDBOX_CLIENT_ID \
  SANDBOX_SF_LOGIN_URL SANDBOX_SF_CLIENT_ID; do
  if [ -z "${!name}" ]; then
    echo "conformance: could not read $name from what the sandbox printed:" >&2
    cat "$out" >&2
    exit 1
  fi
done
echo "conformance: sandbox at $SANDBOX_URL, Salesforce login at $SANDBOX_SF_LOGIN_URL"

# requests reads REQUESTS_CA_BUNDLE (it also wins over a Session's own `verify`, so it must
# name the sandbox's CA); Node adds NODE_EXTRA_CA_CERTS to its built-in roots.
export REQUESTS_CA_BUNDLE="$SANDBOX_CA_FILE"
export NODE_EXTRA_CA_CERTS="$SANDBOX_CA_FILE"

failed=0
echo "== conformance: MSAL Python, simple-salesforce (pytest)"
target/conformance-venv/bin/python -m pytest -q -p no:cacheprovider tests/conformance/python || failed=1
echo "== conformance: Microsoft Graph JavaScript client (node --test)"
(cd tests/conformance/graph-js && node --test --test-concurrency=1) || failed=1
exit "$failed"
