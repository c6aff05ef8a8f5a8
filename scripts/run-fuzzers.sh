#!/usr/bin/env bash
# Runs every libFuzzer harness built in build/fuzz for SECONDS each (default 60), starting from
# its seed corpus tests/fuzz/corpus/<target>/ (read-only: new inputs go to a scratch copy), with
# the dictionary tests/fuzz/json.dict (url.dict for the callback and post-logout URLs, http.dict
# for the harnesses that read headers: www_authenticate, dpop_nonce, par_response, client_push,
# client_resource).
# Fails on the first crash, abort, leak, timeout or sanitizer report; the input that did it is
# kept as build/fuzz/artifacts/<target>-crash-... for a regression test.
#   scripts/run-fuzzers.sh [SECONDS] [target ...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
build="$here/build/fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in "$build"/fuzz_*; do [ -x "$bin" ] && targets+=("$(basename "$bin" | sed 's/^fuzz_//')"); done
fi
[ ${#targets[@]} -gt 0 ] || { echo "run-fuzzers: no harness in $build (make fuzz-build)" >&2; exit 1; }
mkdir -p "$build/artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
work=
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
  bin="$build/fuzz_$t"
  seeds="$here/tests/fuzz/corpus/$t"
  [ -x "$bin" ] || { echo "run-fuzzers: $bin missing" >&2; exit 1; }
  [ -d "$seeds" ] || { echo "run-fuzzers: no seed corpus $seeds" >&2; exit 1; }
  # The URL harnesses go to twice kMaxCallbackUrlBytes (src/protocol/limits.hpp), so inputs on
  # both sides of the limit are tried (seeds: callback_url/many-params, callback_url/over-limit).
  max_len=8192
  case "$t" in
    callback_url | end_session_callback) dict="$here/tests/fuzz/url.dict"; max_len=16384 ;;
    www_authenticate | dpop_nonce | par_response | client_push | client_resource) dict="$here/tests/fuzz/http.dict" ;;
    *) dict="$here/tests/fuzz/json.dict" ;;
  esac
  work=$(mktemp -d)
  log="$build/artifacts/$t.log"
  printf '[fuzz] %-22s %ss ... ' "$t" "$seconds"
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 -dict="$dict" \
       -artifact_prefix="$build/artifacts/$t-" "$work" "$seeds" >"$log" 2>&1; then
    echo "ok ($(sed -n 's/^stat::number_of_executed_units: *//p' "$log") runs)"
  else
    echo "FAILED (see $log)"
    grep -m5 -E 'ERROR|SUMMARY|runtime error|deadly signal' "$log" >&2 || true
    failed+=("$t")
  fi
  rm -rf "$work"
done
[ ${#failed[@]} -eq 0 ] || { echo "[fuzz] failed: ${failed[*]}" >&2; exit 1; }
