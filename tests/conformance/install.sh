#!/usr/bin/env bash
# Installs the conformance tests' client libraries when they are missing or their pinned
# versions changed: the Python ones into target/conformance-venv from requirements.txt, the
# Node ones into graph-js/node_modules from its package-lock.json. Used by
# installer/setup-dev.sh and tests/conformance/run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/conformance-venv
requirements=tests/conformance/python/requirements.txt
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
  echo "conformance: installing the Python client libraries into $venv"
  rm -rf "$venv"
  # Debian's python3 makes venvs only with python3-venv installed.
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    installer/apt-missing.sh conformance python3-venv
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi

js=tests/conformance/graph-js
if [ ! -d "$js/node_modules" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
  echo "conformance: installing the Graph JavaScript client library"
  # `npm install` keeps to the lockfile; `npm ci` refuses lockfiles that omit download
  # addresses (npm's omit-lockfile-registry-resolved setting).
  npm --prefix "$js" install --no-audit --no-fund --silent
fi
