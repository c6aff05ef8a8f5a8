#!/usr/bin/env bash
# Idempotent bootstrap: installs what the build and tests need, and caches downloads
# outside the clone (OAUTH_WASM_CACHE, default ~/.cache/oauth-wasm) so a second run is fast.
#   scripts/bootstrap.sh            toolchain + OpenSSL source + npm packages
#   scripts/bootstrap.sh --browser  also the browsers (Chromium, Firefox ESR, WebKitGTK's WebDriver
#                                   and MiniBrowser with Xvfb), Glewlwyd (a second authorization
#                                   server, with sqlite3) and redis-server (the backend mode's store)
#                                   for the browser and server tests (make test runs with this flag)
#   scripts/bootstrap.sh --bench    also valgrind for the native bench (scripts/bench-native.sh);
#                                   the flags combine
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${OAUTH_WASM_CACHE:-$HOME/.cache/oauth-wasm}
mkdir -p "$cache"
want_browser=0
want_bench=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1;;
    --bench) want_bench=1;;
    *) printf 'usage: %s [--browser] [--bench]\n' "$0" >&2; exit 2;;
  esac
done

log() { printf '[bootstrap] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- apt packages ---------------------------------------------------------------
pkgs=(emscripten nlohmann-json3-dev catch2 libssl-dev brotli dpkg-dev clang-14 libclang-rt-14-dev llvm-14)
# The backend mode's tests start redis-server themselves, on loopback (scripts/dev-servers/redis-server.mjs).
[ $want_browser = 1 ] && pkgs+=(chromium firefox-esr webkit2gtk-driver xvfb glewlwyd sqlite3 redis-server)
# The native bench times our crypto against the system libcrypto (libssl-dev, above) and counts
# instructions with callgrind.
[ $want_bench = 1 ] && pkgs+=(valgrind)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
apt_updated=0
apt_update() { [ $apt_updated = 1 ] || { as_root apt-get update -qq; apt_updated=1; }; }
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt_update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# --- OpenSSL upstream source (tarball cached outside the clone) ----------------------
# Source entries are derived from the machine's own enabled deb entries: no host is named here.
src_list=/etc/apt/sources.list.d/oauth-wasm-deb-src.sources
ensure_deb_src() {
  [ -f "$src_list" ] && return 0
  local tmp; tmp=$(mktemp)
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
    [ -f "$f" ] || continue
    case "$f" in "$src_list") continue;; esac
    if [[ "$f" == *.sources ]]; then
      # deb822: copy each stanza whose Types has deb, with Types: deb-src
      awk 'function flush() { if (isdeb) printf "%s\n", buf; buf=""; isdeb=0 }
           /^[[:space:]]*$/ { flush(); next }
           /^Types:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) isdeb=1; buf = buf "Types: deb-src\n"; next }
           { buf = buf $0 "\n" }
           END { flush() }' "$f" >>"$tmp"
    else
      sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >>"$tmp.list"
    fi
  done
  as_root install -m 644 "$tmp" "$src_list"
  [ -s "$tmp.list" ] && as_root install -m 644 "$tmp.list" /etc/apt/sources.list.d/oauth-wasm-deb-src.list
  rm -f "$tmp" "$tmp.list"
  apt_updated=0
}
openssl_tar=$(ls "$cache"/openssl_3.*.orig.tar.gz 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$openssl_tar" ]; then
  log "fetching the OpenSSL source tarball through apt source packages"
  ensure_deb_src
  apt_update
  dl=$(mktemp -d)
  (cd "$dl" && apt-get source --download-only openssl >&2 || true)
  openssl_tar=$(ls "$dl"/openssl_3.*.orig.tar.gz 2>/dev/null | sort -V | tail -n1 || true)
  [ -n "$openssl_tar" ] || { log "no OpenSSL orig tarball arrived"; exit 1; }
  mv "$openssl_tar" "$cache/"
  openssl_tar="$cache/$(basename "$openssl_tar")"
  rm -rf "$dl"
fi
# Written only when it changes: make test's lanes may read it while a lane bootstraps.
[ "$(cat "$cache/openssl-tarball.path" 2>/dev/null)" = "$openssl_tar" ] || echo "$openssl_tar" >"$cache/openssl-tarball.path"

# --- npm packages ---------------------------------------------------------------
if [ -f "$here/package-lock.json" ]; then
  stamp="$here/node_modules/.bootstrap-stamp"
  sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    log "npm ci"
    # puppeteer-core drives Debian's Firefox: never let an install fetch a browser.
    (cd "$here" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --cache "$cache/npm" >&2)
    echo "$sum" >"$stamp"
  fi
fi
log "ready (cache: $cache)"
