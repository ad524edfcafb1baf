#!/usr/bin/env bash
# Measures the tray app while it idles (Linux only): builds the app and the CLI, then runs
# idle-bench under a virtual display (Xvfb), a private D-Bus session and an unlocked keyring in
# a throwaway folder, as tests/webdriver/run.sh runs the app. Arguments go to idle-bench
# (e.g. --minutes 0.5, --separate-sandbox). ONBEHALF_BENCH_RELEASE=1 builds and measures the
# release binaries. The web UI in ui/dist is built first when it is missing.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$repo"

if [[ "${ONBEHALF_IN_BENCH_SESSION:-}" != "1" ]]; then
  if [[ ! -f ui/dist/index.html ]]; then
    npm --prefix ui install --no-audit --no-fund
    npm --prefix ui run build
  fi
  profile=()
  if [[ "${ONBEHALF_BENCH_RELEASE:-0}" == "1" ]]; then
    profile=(--release)
  fi
  cargo build "${profile[@]}" -p onbehalf-app -p onbehalf-cli -p onbehalf-idle-bench
  export ONBEHALF_IN_BENCH_SESSION=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$@"
fi

# Inside the session: a keyring of our own, unlocked, so the sign-in can keep its tokens.
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home"
eval "$(printf 'idle-bench' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
export GNOME_KEYRING_CONTROL

bin=target/debug
if [[ "${ONBEHALF_BENCH_RELEASE:-0}" == "1" ]]; then
  bin=target/release
fi
"$bin/idle-bench" --app "$bin/onbehalf-app" --cli "$bin/onbehalf" "$@"
