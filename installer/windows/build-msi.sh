#!/usr/bin/env bash
# Builds a check MSI from installer/windows/main.wxs with wixl (msitools), on Linux.
#
#   installer/windows/build-msi.sh OUT.msi [APP.exe CLI.exe]
#
# The template is rendered as the Tauri bundler renders it (render.py), in the same layout the
# bundler uses on Windows (the .exe files in a folder, the WiX sources two levels below it), so
# the MSI has the tables the Windows build has. Without .exe files it packs small placeholder
# files: the package's tables are what is checked here, not the programs in it. The real MSI
# is built on Windows by `npx tauri build --bundles msi` (see .github/workflows/packages.yml).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ $# -ne 1 ] && [ $# -ne 3 ]; then
  echo "usage: $0 OUT.msi [APP.exe CLI.exe]" >&2
  exit 2
fi
out="$(realpath -m "$1")"
if ! command -v wixl >/dev/null 2>&1; then
  echo "build-msi: wixl is not installed (apt-get install wixl msitools, or installer/setup-dev.sh)" >&2
  exit 1
fi

root="$(cd "$here/../.." && pwd)"
config="$root/src-tauri/tauri.conf.json"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
wix="$work/bin/wix/x64"
mkdir -p "$wix" "$work/bin/resources"
if [ $# -eq 3 ]; then
  cp "$2" "$work/bin/onbehalf-app.exe"
  cp "$3" "$work/bin/onbehalf.exe"
else
  for exe in onbehalf-app.exe onbehalf.exe; do
    printf 'Placeholder for %s in a check package built on Linux.\n' "$exe" >"$work/bin/$exe"
  done
fi
# The bundler copies the .ico of bundle.icon to resources/icon.ico and downloads Microsoft's
# WebView2 bootstrapper (here a placeholder) into the WiX folder.
python3 - "$config" "$work/bin/resources/icon.ico" <<'PY'
import json, os, shutil, sys
config = json.load(open(sys.argv[1]))
ico = next(i for i in config["bundle"]["icon"] if i.endswith(".ico"))
shutil.copy(os.path.join(os.path.dirname(sys.argv[1]), ico), sys.argv[2])
PY
printf 'Placeholder for MicrosoftEdgeWebview2Setup.exe.\n' >"$wix/MicrosoftEdgeWebview2Setup.exe"

# wixl reads sources relative to the folder it runs in.
python3 "$here/render.py" --config "$config" \
  --app-exe ../../onbehalf-app.exe --icon ../../resources/icon.ico \
  --bootstrapper MicrosoftEdgeWebview2Setup.exe \
  --wixl-sql "$wix/after-wixl.sql" >"$wix/main.wxs"
mkdir -p "$(dirname "$out")"
rm -f "$out"
(cd "$wix" && wixl --arch x64 --output "$out" main.wxs)
# The rows wixl cannot make from the WiX elements (see render.py).
while IFS= read -r query; do
  if ! msibuild "$out" -q "$query" >/dev/null 2>"$work/msibuild.err" || [ -s "$work/msibuild.err" ]; then
    echo "build-msi: msibuild could not run: $query" >&2
    cat "$work/msibuild.err" >&2
    exit 1
  fi
done <"$wix/after-wixl.sql"
echo "build-msi: $out"
