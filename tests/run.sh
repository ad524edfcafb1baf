#!/usr/bin/env bash
# Sets up what is missing, then runs every test: formatting and lint, unit and table tests,
# sandbox fidelity, scenario tests over real HTTP, WebDriver tests of the real app, and other
# people's client libraries against the sandbox over HTTPS (tests/conformance).
# Tests run inside a virtual X display and a private D-Bus session with an unlocked keyring,
# so the keyring, notifications and the window are the real ones.
set -euo pipefail
cd "$(dirname "$0")/.."
installer/setup-dev.sh
# A run from a fresh clone gains nothing from incremental builds; they only take disk.
export CARGO_INCREMENTAL=0
exec timeout 40m xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- tests/in-session.sh
