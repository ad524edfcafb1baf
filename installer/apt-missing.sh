#!/usr/bin/env bash
# Installs those of the Debian packages named that are not installed yet (apt, with sudo when
# not root). Used by setup-dev.sh and package.sh.
#   installer/apt-missing.sh WHO PACKAGE...     WHO names the caller in what it prints
set -euo pipefail
who="$1"
shift
missing=()
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "$who: installing system packages: ${missing[*]}"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
