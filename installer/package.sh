#!/usr/bin/env bash
# Builds every Onbehalf package this Linux machine can make into target/packages/:
#   - the .deb and the .rpm, by the Tauri bundler (npm package @tauri-apps/cli);
#   - a check MSI from the WiX sources the Tauri bundler uses on Windows, by wixl
#     (installer/windows/build-msi.sh): its tables are the Windows package's, its programs are
#     placeholders;
# then says what needs Windows or macOS (.github/workflows/packages.yml builds those).
#
#   installer/package.sh            release build, as `tauri build` makes it
#   installer/package.sh --debug    debug build, made as `cargo test --workspace` makes its
#                                   programs, so a test run that follows builds nothing again
#
# Installs the system packages it lacks, as installer/setup-dev.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
case "${1:-}" in
  --debug) profile=debug ;;
  "") ;;
  *)
    echo "usage: $0 [--debug]" >&2
    exit 2
    ;;
esac
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

installer/apt-missing.sh package wixl msitools desktop-file-utils python3
if [ ! -x ui/node_modules/.bin/tauri ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "package: installing the UI's npm packages (the Tauri bundler among them)"
  npm --prefix ui install --no-audit --no-fund
fi
# A release packages the UI as it is now. The debug build keeps a built UI as it is: building
# it again would make cargo build the app again for the tests that follow.
if [ "$profile" = release ] || [ ! -f ui/dist/index.html ]; then
  echo "package: building the web UI"
  npm --prefix ui run build --silent
fi

target="$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
version="$(python3 -c 'import json; print(json.load(open("src-tauri/tauri.conf.json"))["version"])')"
out="$target/packages"
bin="$target/$profile"
started=$SECONDS

echo "== package: building the programs ($profile)"
if [ "$profile" = debug ]; then
  # Dev-dependencies change the features of shared crates (tokio, rustls, ...). Building one
  # test target of the workspace alongside the programs gives them the features
  # `cargo test --workspace` uses, so the test run reuses these programs instead of building
  # a second copy of everything; the packages test is the smallest test target.
  cargo build --workspace --bins --test packages
else
  # What `tauri build` runs (Tauri's custom-protocol feature: the UI served from the
  # binary), with the command line in the same build so the two share every crate.
  cargo build --release -p onbehalf-app -p onbehalf-cli --features tauri/custom-protocol
fi

# The bundler maps package paths to files relative to src-tauri; point them at this build.
files="{\"/usr/bin/onbehalf\": \"$bin/onbehalf\"}"
override="{\"bundle\": {\"linux\": {\"deb\": {\"files\": $files}, \"rpm\": {\"files\": $files}}}}"

echo "== package: .deb and .rpm (Tauri bundler)"
rm -rf "$bin/bundle/deb" "$bin/bundle/rpm"
bundle=(bundle --bundles deb,rpm --ci --config "$override")
if [ "$profile" = debug ]; then
  # The programs the tests run stay as cargo built them.
  bundle+=(--debug --no-binary-patching)
fi
(cd src-tauri && ../ui/node_modules/.bin/tauri "${bundle[@]}")

rm -rf "$out"
mkdir -p "$out"
cp "$bin"/bundle/deb/*.deb "$bin"/bundle/rpm/*.rpm "$out/"

echo "== package: check MSI (wixl)"
installer/windows/build-msi.sh "$out/onbehalf-$version-x64-check.msi"

echo
echo "package: built in $((SECONDS - started)) s, in $out:"
(cd "$out" && ls -l --block-size=K -- *)
cat <<EOF

package: not built here (they need Windows or macOS; .github/workflows/packages.yml builds them):
  - the MSI by the Tauri bundler (WiX candle/light, Windows only): npx --prefix ui tauri build --bundles msi
  - the macOS app bundle and .dmg (macOS only): npx --prefix ui tauri build --bundles app,dmg
  - the AppImage (the bundler downloads its tools from the internet)
The check MSI has the tables of the Windows MSI and placeholder programs: inspect it with
msiinfo, do not install it.
EOF
