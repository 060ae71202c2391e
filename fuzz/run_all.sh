#!/usr/bin/env bash
# fuzz/run_all.sh [SECONDS]: builds the libFuzzer harnesses (preset "fuzz", clang with
# AddressSanitizer + UBSan), writes the seed corpus with MoEScope's own writers, then runs each
# harness for SECONDS (default 60) on one core. Exit status 1 when any harness found a crash,
# a leak, a hang or an input that runs out of memory; its input is then in
# <build>/fuzz-artifacts/<target>/ and belongs in fuzz/regressions/<target>/ once fixed.
#
#   MOESCOPE_FUZZ_BUILD   build folder (default build/fuzz)
#   MOESCOPE_FUZZ_TARGETS targets to run (default: all, see <build>/fuzz-targets.txt)
#   MOESCOPE_FUZZ_ARGS    more libFuzzer options, e.g. "-jobs=2 -workers=2"
set -euo pipefail

seconds=${1:-60}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${MOESCOPE_FUZZ_BUILD:-$here/build/fuzz}
cd "$here"

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset fuzz -B "$build"
fi
cmake --build "$build" --target fuzzers

seeds=$build/fuzz-seeds
corpus=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts
rm -rf "$seeds"
"$build/fuzz/moescope_make_seed_corpus" "$seeds" "$here/tests/data/reference/configs"

read -r -a targets <<< "${MOESCOPE_FUZZ_TARGETS:-$(cat "$build/fuzz-targets.txt")}"
read -r -a extra <<< "${MOESCOPE_FUZZ_ARGS:-}"
# Leaks are found by the sanitizer runs of the test suite; here they would stop the fuzzer
# at HDF5's and PCRE2's caches, which live until exit by design.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# The results reader reads each file first in this build's probe program (a process of its
# own, core/results/results_probe.h; damaged files may make HDF5 crash or ask for gigabytes
# there, which only refuses the file). The harness would also find it in the build tree.
export MOESCOPE_RESULTS_PROBE=${MOESCOPE_RESULTS_PROBE:-$build/core/moescope-results-probe}

failed=()
summary=()
for target in "${targets[@]}"; do
  mkdir -p "$corpus/$target" "$artifacts/$target"
  inputs=("$corpus/$target" "$seeds/$target")
  [ -d "fuzz/regressions/$target" ] && inputs+=("fuzz/regressions/$target")
  log=$build/fuzz-$target.log
  echo "== fuzz_$target for ${seconds} s"
  status=0
  "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 -malloc_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/$target/" "${extra[@]}" "${inputs[@]}" \
      > "$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  summary+=("$(printf '%-20s %10s executions  coverage %6s  %s' "$target" "${runs:-?}" "${cov:-?}" \
                 "$([ $status -eq 0 ] && echo ok || echo "FAILED (exit $status, see $log)")")")
  if [ $status -ne 0 ]; then
    failed+=("$target")
    tail -40 "$log"
  fi
done

echo "== summary (${seconds} s per target)"
printf '%s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ]
