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
echo "== release builds can leave the sandbox and its demo data out"
for crate in onbehalf-cli onbehalf-app; do
  if cargo tree -p "$crate" --no-default-features -e normal --prefix none | grep -q '^onbehalf-sandbox '; then
    echo "$crate without default features still links onbehalf-sandbox" >&2
    exit 1
  fi
done
cargo check -p onbehalf-cli --no-default-features
echo "== UI tests"
npm --prefix ui test
echo "== packages (.deb, .rpm, check MSI) for the package tests"
installer/package.sh --debug
echo "== cargo test"
cargo test --workspace --no-fail-fast
echo "== conformance: client libraries against the sandbox over HTTPS"
tests/conformance/run.sh
