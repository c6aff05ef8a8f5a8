#!/usr/bin/env bash
# Unpacks the cached OpenSSL tarball and runs its Configure only to generate headers
# (seconds, no library build). The result is cached outside the clone, keyed by the
# tarball's sha256 and the Configure options. Prints the prepared source directory.
set -euo pipefail
cache=${OAUTH_WASM_CACHE:-$HOME/.cache/oauth-wasm}
tarball=${1:-$(cat "$cache/openssl-tarball.path")}
[ -f "$tarball" ] || { echo "openssl-prepare: no tarball (run scripts/bootstrap.sh)" >&2; exit 1; }

# One header set serves both builds (wasm32 and native), so both compile the same code paths.
options=(linux-generic32 no-asm no-threads no-shared no-pic no-dso no-engine no-async no-sock
         no-tests no-afalgeng no-ui-console no-stdio enable-ec_nistp_64_gcc_128)
sha=$(sha256sum "$tarball" | cut -d' ' -f1)
key=$(printf '%s %s' "$sha" "${options[*]}" | sha256sum | cut -c1-16)
out="$cache/openssl-src-$key"
if [ ! -f "$out/.prepared" ]; then
  rm -rf "$out" "$out.tmp"; mkdir -p "$out.tmp"
  tar xzf "$tarball" -C "$out.tmp" --strip-components=1
  (cd "$out.tmp" && CC=cc ./Configure "${options[@]}" >configure.log 2>&1 && make build_generated >generate.log 2>&1) \
    || { echo "openssl-prepare: Configure failed, see $out.tmp/*.log" >&2; exit 1; }
  version=$(sed -n 's/^# *define OPENSSL_FULL_VERSION_STR "\(.*\)"/\1/p' "$out.tmp/include/openssl/opensslv.h")
  printf '{"version":"%s","tarball":"%s","tarball_sha256":"%s","configure":"%s"}\n' \
    "$version" "$(basename "$tarball")" "$sha" "${options[*]}" >"$out.tmp/oauth-wasm-openssl.json"
  touch "$out.tmp/.prepared"
  mv "$out.tmp" "$out"
fi
echo "$out"
