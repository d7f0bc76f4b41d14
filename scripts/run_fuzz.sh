#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang + ASan + UBSan) and runs each for
# a bounded time, starting from the seed corpus in fuzz/corpus/<target>/.
# Prints the executions per target; fails if any target crashed, and leaves
# the crashing input in build/fuzz/artifacts/<target>/ (turn it into a
# regression test: a corpus case or a unit test, then fix the bug).
#
#   scripts/run_fuzz.sh            # 60 s per target (make fuzz)
#   FUZZ_SECONDS=20 scripts/run_fuzz.sh   # the CI variant (make fuzz-ci)
#   scripts/run_fuzz.sh query mix  # only these targets
#
# New inputs libFuzzer finds go to build/fuzz/work/<target>/, not into the
# repository's seeds; copy the interesting ones to fuzz/corpus/ by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
BUILD=build/fuzz
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(request_path query mix response)

scripts/deps.sh sanitizers
[ -f "$BUILD/build.ninja" ] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "${JOBS:-2}" --target "${TARGETS[@]/%/_fuzzer}" >/dev/null

status=0
summary=()
for t in "${TARGETS[@]}"; do
  work="$BUILD/work/$t"
  artifacts="$BUILD/artifacts/$t"
  mkdir -p "$work" "$artifacts"
  log="$BUILD/$t.log"
  echo "fuzz: $t for ${FUZZ_SECONDS} s" >&2
  # -timeout: one input taking over 10 s is a hang, reported as a crash.
  # `timeout` bounds the whole run even if libFuzzer itself misbehaves.
  set +e
  timeout $((FUZZ_SECONDS + 60)) "$BUILD/fuzz/${t}_fuzzer" "$work" "fuzz/corpus/$t" \
    -max_total_time="$FUZZ_SECONDS" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  speed=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  if [ "$rc" -ne 0 ]; then
    status=1
    summary+=("$(printf '%-14s CRASH (exit %d) after %s executions; see %s and %s' "$t" "$rc" "${execs:-?}" "$log" "$artifacts")")
  else
    summary+=("$(printf '%-14s %10s executions  %7s/s  coverage %s edges' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}")")
  fi
done
printf '%s\n' "${summary[@]}"
exit $status
