#!/usr/bin/env bash
# The native crypto bench (bench/native.mjs): bootstraps what it needs (the system libcrypto's
# libssl-dev, valgrind), configures build/native as `make native` does, builds the two bench
# binaries (cmake/native.cmake, not part of the normal build) and runs it. Arguments go to
# bench/native.mjs, e.g. --rounds 7 --ms 1000 --callgrind no.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
scripts/bootstrap.sh --bench
cmake -S . -B build/native -DOPENSSL_SOURCE_DIR="$(scripts/openssl-prepare.sh)" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/native -j"${JOBS:-$(nproc)}" --target bench_native
node bench/native.mjs --build build/native "$@"
