#!/usr/bin/env bash
# Runs the WebDriver tests of the app the way CI does: the web UI built, then the tests under a
# virtual display (Xvfb), a private D-Bus session and an unlocked keyring in a throwaway folder.
# Extra arguments go to `cargo test` (e.g. a test name). Screenshots: target/screenshots/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

if [[ "${ONBEHALF_IN_TEST_SESSION:-}" != "1" ]]; then
  if [[ ! -f ui/dist/index.html || "${ONBEHALF_REBUILD_UI:-1}" == "1" ]]; then
    npm --prefix ui install --no-audit --no-fund
    npm --prefix ui run build
  fi
  export ONBEHALF_IN_TEST_SESSION=1
  exec timeout 1800 xvfb-run -a -s "-screen 0 1280x800x24" \
    dbus-run-session -- "$0" "$@"
fi

# Inside the test session: a keyring of our own, unlocked, so sign-in can keep its tokens.
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home"
eval "$(printf 'webdriver-tests' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
export GNOME_KEYRING_CONTROL

cargo test -p onbehalf-app --test webdriver "$@"
