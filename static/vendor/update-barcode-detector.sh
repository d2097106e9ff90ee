#!/bin/sh
# Re-vendor the QR decoder from the npm registry: barcode-detector's ES-module ponyfill and
# the zxing-wasm reader .wasm it pins. Nothing else is copied (no CJS/IIFE builds, no
# polyfill that would patch window.BarcodeDetector).
#
#   static/vendor/update-barcode-detector.sh 3.2.2
#
# Then update the versions and checksums in static/vendor/README.md (this script prints
# them), run `make test` (the browser tests decode a QR code with the new files), commit.
set -eu
version="${1:?usage: $0 BARCODE_DETECTOR_VERSION}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund "barcode-detector@$version" >/dev/null
bd=node_modules/barcode-detector
zx=node_modules/zxing-wasm

# The ponyfill and the modules it imports, which must all be relative ("./x.js"): a browser
# cannot resolve a bare package name without an import map, and we have no build step.
mkdir -p "$here/barcode-detector" "$here/zxing-wasm"
rm -f "$here"/barcode-detector/*.js
todo="ponyfill.js"
while [ -n "$todo" ]; do
  set -- $todo
  file="$1"; shift; todo="$*"
  [ -f "$here/barcode-detector/$file" ] && continue
  cp "$bd/dist/es/$file" "$here/barcode-detector/$file"
  if grep -Eq 'from "[^.]|import\("[^.]' "$bd/dist/es/$file"; then
    echo "$file imports a bare module name; vendoring needs more than a copy" >&2
    exit 1
  fi
  for dep in $(grep -Eo 'from "\./[^"]+"' "$bd/dist/es/$file" | sed 's/from "\.\///; s/"$//'); do
    todo="$todo $dep"
  done
done
cp "$bd/LICENSE" "$here/barcode-detector/LICENSE"
cp "$zx/dist/reader/zxing_reader.wasm" "$here/zxing-wasm/zxing_reader.wasm"
cp "$zx/LICENSE" "$here/zxing-wasm/LICENSE"

# The .wasm must be the build the JavaScript expects (it embeds the SHA-256).
sum="$(sha256sum "$here/zxing-wasm/zxing_reader.wasm" | cut -d' ' -f1)"
if ! grep -q "$sum" "$here/barcode-detector/"*.js; then
  echo "zxing_reader.wasm ($sum) is not the build barcode-detector $version expects" >&2
  exit 1
fi
# The only CDN address left must be zxing-wasm's default locateFile, which scanner.js
# overrides; anything else would be a request leaving our origin.
grep -Eo 'https?://[a-z0-9.-]+' "$here/barcode-detector/"*.js | sort -u

echo "barcode-detector $(node -p "require('./$bd/package.json').version") ($(node -p "require('./$bd/package.json').license"))"
echo "zxing-wasm $(node -p "require('./$zx/package.json').version") ($(node -p "require('./$zx/package.json').license"))"
echo "zxing_reader.wasm sha256 $sum"
ls -l "$here/barcode-detector" "$here/zxing-wasm"
