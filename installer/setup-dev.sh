#!/usr/bin/env bash
# Installs whatever a fresh Debian machine (with the Rust toolchain, Node and apt) lacks to
# build, run and test Onbehalf, then builds the web UI and installs the conformance tests'
# client libraries. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config curl file libssl-dev
  libgtk-3-dev libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  libdbus-1-dev libsecret-1-dev libsecret-tools
  xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring keyutils libnotify-bin
  imagemagick fonts-dejavu-core
  wixl msitools desktop-file-utils python3
)
installer/apt-missing.sh setup "${packages[@]}"

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the UI's npm packages"
  # `npm install` keeps to the lockfile; `npm ci` refuses lockfiles that omit download
  # addresses (npm's omit-lockfile-registry-resolved setting).
  npm --prefix ui install --no-audit --no-fund
fi
npm --prefix ui run build --silent

# The client libraries of the conformance tests (a Python venv, the Graph JavaScript client).
tests/conformance/install.sh
