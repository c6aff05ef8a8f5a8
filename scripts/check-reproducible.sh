#!/usr/bin/env bash
# Reproducible package: builds the shipped modules (the browser's and the Node entry's) again from
# a copy of the tree in another directory, at another time, and compares them byte for byte with
# build/wasm's; then assembles dist/ there (the JavaScript bundle, the manifest, the SBOM) and
# compares every file with this tree's dist/ (which `make dist` made from the same sources).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
openssl_dir=$("$here/scripts/openssl-prepare.sh")
copy=$(mktemp -d /tmp/oauth-wasm-repro.XXXXXX)
trap 'rm -rf "$copy"' EXIT
git -C "$here" ls-files -z --cached --others --exclude-standard | (cd "$here" && xargs -0 cp --parents -t "$copy")
ln -s "$here/node_modules" "$copy/node_modules"  # the Closure Compiler for the glue (npm devDependency)
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$copy" -B "$copy/build" -DOPENSSL_SOURCE_DIR="$openssl_dir" >/dev/null
cmake --build "$copy/build" -j"$(nproc)" --target oauth_wasm_core oauth_wasm_core_node >"$copy/build.log" 2>&1 || { tail -40 "$copy/build.log"; exit 1; }
status=0
for f in oauth-wasm-core.wasm oauth-wasm-core.mjs oauth-wasm-core-node.wasm oauth-wasm-core-node.mjs; do
  a=$(sha256sum "$here/build/wasm/module/$f" | cut -d' ' -f1)
  b=$(sha256sum "$copy/build/module/$f" | cut -d' ' -f1)
  if [ "$a" = "$b" ]; then echo "reproducible: $f $a"; else echo "NOT reproducible: $f $a != $b"; status=1; fi
done
(node "$copy/scripts/assemble-dist.mjs" "$copy/build" && node "$copy/scripts/sbom.mjs" "$copy/build") >/dev/null
if diff -rq "$here/dist" "$copy/dist"; then
  echo "reproducible: dist/ ($(ls "$copy/dist" | wc -l) files)"
else
  echo "NOT reproducible: dist/ differs (is it from these sources? make dist)"; status=1
fi
exit $status
