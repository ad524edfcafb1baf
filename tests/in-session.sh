#!/usr/bin/env bash
# Runs inside tests/run.sh's X display and D-Bus session.
set -euo pipefail
cd "$(dirname "$0")/.."

# A throwaway, unlocked Secret Service keyring for this run only.
export XDG_DATA_HOME
XDG_DATA_HOME="$(mktemp -d)"
eval "$(printf 'onbehalf-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
export ONBEHALF_REQUIRE_KEYRING=1
export CARGO_TERM_COLOR=never

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== UI tests"
npm --prefix ui test
echo "== cargo test"
cargo test --workspace --no-fail-fast
