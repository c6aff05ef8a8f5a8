#!/usr/bin/env bash
# Runs every libFuzzer harness built in build/fuzz for SECONDS each (default 60), starting from
# its seed corpus tests/fuzz/corpus/<target>/ (read-only: new inputs go to a scratch copy), with
# the dictionary tests/fuzz/json.dict (url.dict for the callback and post-logout URLs, http.dict
# for the harnesses that read headers: www_authenticate, dpop_nonce, par_response, client_push,
# client_resource).
# FUZZ_JOBS harnesses (default: one per core) run at a time, each for the full SECONDS.
# Fails on any crash, abort, leak, timeout or sanitizer report (after all have run, naming each);
# the input that did it is kept as build/fuzz/artifacts/<target>-crash-... for a regression test.
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
# run_one TARGET: fuzzes one harness in a scratch corpus of its own; prints its line of the
# report, and exits non-zero on a finding.
run_one() {
  local t=$1 bin="$build/fuzz_$1" seeds="$here/tests/fuzz/corpus/$1" max_len=8192 dict work log status=0
  # The URL harnesses go to twice kMaxCallbackUrlBytes (src/protocol/limits.hpp), so inputs on
  # both sides of the limit are tried (seeds: callback_url/many-params, callback_url/over-limit).
  case "$t" in
    callback_url | end_session_callback) dict="$here/tests/fuzz/url.dict"; max_len=16384 ;;
    www_authenticate | dpop_nonce | par_response | client_push | client_resource) dict="$here/tests/fuzz/http.dict" ;;
    *) dict="$here/tests/fuzz/json.dict" ;;
  esac
  work=$(mktemp -d -p "$scratch")
  log="$build/artifacts/$t.log"
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 -dict="$dict" \
       -artifact_prefix="$build/artifacts/$t-" "$work" "$seeds" >"$log" 2>&1; then
    printf '[fuzz] %-22s %ss ok (%s runs)\n' "$t" "$seconds" "$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  else
    printf '[fuzz] %-22s %ss FAILED (see %s)\n' "$t" "$seconds" "$log"
    grep -m5 -E 'ERROR|SUMMARY|runtime error|deadly signal' "$log" >&2 || true
    status=1
  fi
  rm -rf "$work"
  return $status
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in "${targets[@]}"; do
  [ -x "$build/fuzz_$t" ] || { echo "run-fuzzers: $build/fuzz_$t missing" >&2; exit 1; }
  [ -d "$here/tests/fuzz/corpus/$t" ] || { echo "run-fuzzers: no seed corpus $here/tests/fuzz/corpus/$t" >&2; exit 1; }
done
# libFuzzer runs one process on one core: FUZZ_JOBS harnesses at a time (default: the cores), each
# for the full SECONDS, so each gets the same time as when run alone on an idle machine.
jobs=${FUZZ_JOBS:-$(nproc)}
declare -A target_of=()
failed=()
running=0
reap() {
  local pid status=0
  wait -n -p pid || status=$?
  running=$((running - 1))
  [ $status -eq 0 ] || failed+=("${target_of[$pid]}")
}
for t in "${targets[@]}"; do
  [ $running -lt "$jobs" ] || reap
  run_one "$t" &
  target_of[$!]=$t
  running=$((running + 1))
done
while [ $running -gt 0 ]; do reap; done
[ ${#failed[@]} -eq 0 ] || { echo "[fuzz] failed: ${failed[*]}" >&2; exit 1; }
