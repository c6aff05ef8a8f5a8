#!/usr/bin/env bash
# Reproducible package: builds the shipped modules (the browser's and the Node entry's) again from
# a copy of the tree in another directory, at another time, and compares them byte for byte with
# build/wasm's; then assembles dist/ there (the JavaScript bundle, the manifest, the SBOM) and
# compares every file with this tree's dist/ (which `make dist` made from the same sources).
#
# A passing check is remembered outside the clone ($OAUTH_WASM_CACHE/repro/, default
# ~/.cache/oauth-wasm), keyed by the sha256 of everything that can change its outcome; a later run
# whose key is the same skips the rebuild and says so (REPRO_FULL=1 always rebuilds). Any change of
# any of these runs the full check. The key covers:
#   - the check's inputs in the clone: every file the copy gets (tracked and untracked, not ignored),
#     by path, mode and content: sources, CMake files, scripts (this one too), web/, package files;
#   - what the check compares against: build/wasm/module/* and every file of dist/;
#   - the npm packages installed (node_modules/.package-lock.json: name, version, integrity of
#     each, so the Closure Compiler and esbuild), and node_modules/.bootstrap-stamp;
#   - the prepared OpenSSL source tree (every file's path and content: tarball, Configure output);
#   - the toolchain: every installed Debian package and its version (emscripten, clang, lld,
#     binaryen, cmake, make, nodejs, libc, ...), the node, emcc, cmake, make and python3 actually
#     on PATH (path and sha256 of each, python3's version: emcc runs under whatever python3 is
#     first on PATH), emcc --version, the Emscripten config/cache variables, and the machine
#     (uname -srm, nproc, which sets the build's -j);
#   - the environment variables that reach the compilers and tools: EM_*, EMCC_*, EMMAKEN_*,
#     CC, CXX, CFLAGS, CXXFLAGS, CPPFLAGS, LDFLAGS, NODE_*, SOURCE_DATE_EPOCH, LANG, LC_*, TZ,
#     JAVA_HOME, PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
openssl_dir=$("$here/scripts/openssl-prepare.sh")
export NODE_PATH=/usr/share/nodejs

cache_dir=${OAUTH_WASM_CACHE:-$HOME/.cache/oauth-wasm}/repro
inputs_key() {
  local f tool
  echo "== clone"
  (cd "$here" && git ls-files -z --cached --others --exclude-standard | sort -z >"$list" &&
   xargs -0 stat -c '%a %N' <"$list" && xargs -0 sha256sum <"$list")
  echo "== compared against"
  (cd "$here" && find build/wasm/module dist -type f -print0 | sort -z | xargs -0 sha256sum)
  echo "== npm"
  sha256sum "$here/node_modules/.package-lock.json" "$here/node_modules/.bootstrap-stamp" 2>&1 || true
  echo "== openssl"
  (cd "$openssl_dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  echo "== toolchain"
  dpkg-query -W -f='${Package} ${Version} ${Architecture}\n' | sort
  for tool in node emcc em++ cmake make python3 java; do
    f=$(command -v "$tool" || true)
    [ -n "$f" ] && f=$(readlink -f "$f") && echo "$tool $f $(sha256sum <"$f" | cut -d' ' -f1)"
  done
  python3 -c 'import sys; print(sys.executable, sys.version)'
  node --version
  emcc --version 2>/dev/null | sed -n 1p
  uname -srm
  nproc
  echo "== environment"
  env | grep -E '^(EM_|EMCC_|EMMAKEN_|CC=|CXX=|CFLAGS=|CXXFLAGS=|CPPFLAGS=|LDFLAGS=|NODE_|SOURCE_DATE_EPOCH=|LANG=|LC_|TZ=|JAVA_HOME=|PATH=)' | sort
}
list=$(mktemp)
key=$(inputs_key | sha256sum | cut -c1-32)
rm -f "$list"
passed="$cache_dir/$key.passed"
if [ "${REPRO_FULL:-0}" != 1 ] && [ -f "$passed" ]; then
  echo "reproducible: not rebuilt: every input (listed in scripts/check-reproducible.sh; key $key) is the same"
  echo "  as for the check that passed at $(sed -n 's/^passed at //p' "$passed"), which found:"
  grep '^reproducible:' "$passed" | sed 's/^/  /'
  echo "  (any change of an input runs the full check; REPRO_FULL=1 forces it)"
  exit 0
fi
copy=$(mktemp -d /tmp/oauth-wasm-repro.XXXXXX)
trap 'rm -rf "$copy"' EXIT
trap 'exit 143' TERM INT  # a stopped make test lane: the copy is removed too
git -C "$here" ls-files -z --cached --others --exclude-standard | (cd "$here" && xargs -0 cp --parents -t "$copy")
ln -s "$here/node_modules" "$copy/node_modules"  # the Closure Compiler for the glue (npm devDependency)
emcmake cmake -S "$copy" -B "$copy/build" -DOPENSSL_SOURCE_DIR="$openssl_dir" >/dev/null
cmake --build "$copy/build" -j"$(nproc)" --target oauth_wasm_core oauth_wasm_core_node >"$copy/build.log" 2>&1 || { tail -40 "$copy/build.log"; exit 1; }
say() { echo "$*" | tee -a "$copy/result.log"; }
status=0
for f in oauth-wasm-core.wasm oauth-wasm-core.mjs oauth-wasm-core-node.wasm oauth-wasm-core-node.mjs; do
  a=$(sha256sum "$here/build/wasm/module/$f" | cut -d' ' -f1)
  b=$(sha256sum "$copy/build/module/$f" | cut -d' ' -f1)
  if [ "$a" = "$b" ]; then say "reproducible: $f $a"; else say "NOT reproducible: $f $a != $b"; status=1; fi
done
(node "$copy/scripts/assemble-dist.mjs" "$copy/build" && node "$copy/scripts/sbom.mjs" "$copy/build") >/dev/null
if diff -rq "$here/dist" "$copy/dist"; then
  say "reproducible: dist/ ($(ls "$copy/dist" | wc -l) files)"
else
  say "NOT reproducible: dist/ differs (is it from these sources? make dist)"; status=1
fi
if [ $status = 0 ]; then
  mkdir -p "$cache_dir"
  { echo "passed at $(date -u '+%Y-%m-%d %H:%M:%S UTC')"; echo "key $key"; cat "$copy/result.log"; } >"$passed.tmp"
  mv "$passed.tmp" "$passed"
fi
exit $status
