#!/usr/bin/env bash
# Runs `make STAGE` for each stage, timing each (wall clock and CPU seconds, user + system, of the
# stage and all it waited for); prints the table of every stage run, and which failed, at the end
# either way.
#
#   scripts/test-stages.sh STEP...
#
# A STEP is one stage (run in the foreground, its output straight to the terminal), or a set of
# lanes run at the same time: lanes separated by '|', each lane a space-separated list of stages run
# one after another, e.g.  'test-native test-repro | test-node | test-browser'.
# In a parallel step each stage writes to build/test-logs/STAGE.log; when a stage ends its result
# is printed, and the log of a failed stage is printed in full. The first failure stops the other
# lanes (their logs stay in build/test-logs/) unless KEEP_GOING=1, which lets them finish; either
# way the run fails and later steps do not run.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
logs="$here/build/test-logs"
mkdir -p "$logs"
run_start=$(date +%s)
names=()
times=()
cpus=()
results=()
report() {
  local i
  printf '\n%-22s %8s %8s  %s\n' stage wall-s cpu-s result
  for i in "${!names[@]}"; do
    printf '%-22s %8s %8s  %s\n' "${names[$i]}" "${times[$i]}" "${cpus[$i]}" "${results[$i]}"
  done
  printf '%-22s %8s\n' 'total (wall clock)' "$(($(date +%s) - run_start))"
}
# A folder the test files of this run may share (one Vite build of the packed tarball:
# scripts/dev-servers/vite-build.mjs), outside the clone, emptied for each run.
OAUTH_WASM_TEST_SHARE=$(mktemp -d /tmp/oauth-wasm-test-share.XXXXXX)
export OAUTH_WASM_TEST_SHARE
trap 'report; rm -rf "$OAUTH_WASM_TEST_SHARE"' EXIT
# The lanes run in process groups of their own, which an interrupt at the terminal does not reach.
lane_pids=()
stop_lanes() { local pid; for pid in "$@"; do kill -TERM -- "-$pid" 2>/dev/null; done; }
trap 'stop_lanes "${lane_pids[@]}"; exit 130' INT TERM

# run_stage STAGE OUT: runs make STAGE with its output to OUT (- for the terminal); writes
# "wall cpu status" to $logs/STAGE.time.
run_stage() {
  local stage=$1 out=$2 t TIMEFORMAT='%R %U %S'
  {
    { time {
        if [ "$out" = - ]; then make --no-print-directory "$stage" 2>&4; else make --no-print-directory "$stage" >"$out" 2>&1; fi
        echo $? >"$logs/$stage.status"
      }; } 2>"$logs/$stage.cputime"
  } 4>&2
  t=$(tail -n1 "$logs/$stage.cputime")
  awk -v s="$(cat "$logs/$stage.status")" '{ printf "%d %d %s\n", $1 + 0.5, $2 + $3 + 0.5, s }' <<<"$t" >"$logs/$stage.time"
}

# record STAGE [RESULT]: appends the stage's line of the table from $logs/STAGE.time.
record() {
  local stage=$1 wall cpu status
  if [ -f "$logs/$stage.time" ]; then read -r wall cpu status <"$logs/$stage.time"; else wall=-; cpu=-; status=; fi
  names+=("$stage")
  times+=("$wall")
  cpus+=("$cpu")
  if [ -n "${2:-}" ]; then results+=("$2")
  elif [ "$status" = 0 ]; then results+=(ok)
  else results+=("FAILED ($status)")
  fi
}

for step in "$@"; do
  if [[ "$step" != *'|'* ]]; then
    rm -f "$logs/$step.time"
    run_stage "$step" -
    record "$step"
    [ "${results[-1]}" = ok ] || exit 1
    continue
  fi
  IFS='|' read -r -a lanes <<<"$step"
  pids=()
  for lane in "${lanes[@]}"; do
    read -r -a stages <<<"$lane"
    for stage in "${stages[@]}"; do rm -f "$logs/$stage.time" "$logs/$stage.log"; done
    # Each lane in a process group of its own, so a stop reaches the servers and browsers it started.
    set -m
    (
      set +m
      for stage in "${stages[@]}"; do
        echo "[stages] $stage: started (log: build/test-logs/$stage.log)"
        run_stage "$stage" "$logs/$stage.log"
        read -r wall cpu status <"$logs/$stage.time"
        if [ "$status" = 0 ]; then
          echo "[stages] $stage: ok (${wall} s, ${cpu} s CPU)"
        else
          { echo "[stages] $stage: FAILED ($status) after ${wall} s; its output:"
            sed 's/^/  | /' "$logs/$stage.log"
            echo "[stages] $stage: FAILED ($status), output above"; }
          exit 1
        fi
      done
    ) &
    pids+=($!)
    lane_pids+=($!)
    set +m
  done
  failed=0
  remaining=("${pids[@]}")
  while [ ${#remaining[@]} -gt 0 ]; do
    wait -n -p done_pid "${remaining[@]}"
    status=$?
    left=()
    for pid in "${remaining[@]}"; do [ "$pid" = "$done_pid" ] || left+=("$pid"); done
    remaining=("${left[@]}")
    if [ $status -ne 0 ] && [ $failed = 0 ]; then
      failed=1
      if [ "${KEEP_GOING:-0}" != 1 ] && [ ${#remaining[@]} -gt 0 ]; then
        echo "[stages] stopping the other lanes (KEEP_GOING=1 lets them finish)"
        stop_lanes "${remaining[@]}"
      fi
    fi
  done
  for lane in "${lanes[@]}"; do
    read -r -a stages <<<"$lane"
    for stage in "${stages[@]}"; do
      if [ -f "$logs/$stage.time" ]; then record "$stage"
      elif [ $failed = 1 ] && [ -f "$logs/$stage.log" ]; then record "$stage" 'stopped'
      else record "$stage" 'not run'
      fi
    done
  done
  [ $failed = 0 ] || exit 1
done
