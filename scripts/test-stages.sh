#!/usr/bin/env bash
# Runs `make STAGE` for each stage in order, timing each; stops at the first failure and prints
# the time of every stage run (and which failed) at the end either way.
#   scripts/test-stages.sh native dist test-native test-node ...
set -uo pipefail
names=()
times=()
results=()
report() {
  local total=0 i
  printf '\n%-22s %9s  %s\n' stage seconds result
  for i in "${!names[@]}"; do
    printf '%-22s %9s  %s\n' "${names[$i]}" "${times[$i]}" "${results[$i]}"
    total=$((total + times[i]))
  done
  printf '%-22s %9s\n' total "$total"
}
trap report EXIT
for stage in "$@"; do
  start=$(date +%s)
  make --no-print-directory "$stage"
  status=$?
  names+=("$stage")
  times+=($(($(date +%s) - start)))
  if [ $status -ne 0 ]; then
    results+=("FAILED ($status)")
    exit $status
  fi
  results+=(ok)
done
