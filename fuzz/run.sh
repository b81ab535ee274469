#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (in build/fuzz), makes the seed corpus from the
# fixtures, replays every saved regression input (fuzz/regressions/<harness>/), then fuzzes each
# harness for SECONDS seconds. A crash, a hang (over 10 s for one input) or a broken invariant
# fails the run and leaves the input in build/fuzz/crashes/: add it to fuzz/regressions/<harness>/
# once the bug is fixed, so it is replayed by every later run.
# usage: fuzz/run.sh [SECONDS]      (default $FUZZ_SECONDS, else 60)
set -u
seconds=${1:-${FUZZ_SECONDS:-60}}
cd "$(dirname "$0")/.."
build=build/fuzz
harnesses=(frontmatter markdown stats page)
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is missing; install it with: sudo apt-get install clang libclang-rt-dev"
  exit 1
fi
cmake -S fuzz -B "$build" -DCMAKE_CXX_COMPILER=clang++ >/dev/null || exit 1
targets=()
for h in "${harnesses[@]}"; do targets+=("${h}_fuzz"); done
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}" >"$build/build.log" 2>&1 || {
  grep -E "error" "$build/build.log" | head -n 20
  echo "fuzz: the harnesses did not build (the whole log: $build/build.log)"
  exit 1
}
rm -rf "$build/seeds"
bash fuzz/make_corpus.sh "$build/seeds"
mkdir -p "$build/crashes"
failed=0
for h in "${harnesses[@]}"; do
  exe="$build/${h}_fuzz"
  regressions="fuzz/regressions/$h"
  mkdir -p "$build/corpus/$h" "$regressions"
  dict=()
  case "$h" in markdown | page | frontmatter) dict=(-dict=fuzz/markdown.dict) ;; esac
  # 1. Every input that once crashed, run once.
  if [ -n "$(ls -A "$regressions")" ]; then
    if "$exe" -timeout=10 -rss_limit_mb=4096 "$regressions"/* >"$build/$h-regressions.log" 2>&1; then
      echo "ok   $h: $(ls "$regressions" | wc -l) regression inputs"
    else
      echo "FAIL $h: a regression input fails again (log: $build/$h-regressions.log)"
      grep -E "ERROR|invariant|Running" "$build/$h-regressions.log" | tail -n 5
      failed=1
    fi
  fi
  # 2. Fuzzing from the corpus kept between runs, the seeds and the regressions.
  "$exe" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$h-" \
    "$build/corpus/$h" "$build/seeds/$h" "$regressions" >"$build/$h.log" 2>&1
  code=$?
  runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$build/$h.log" | grep -oE "[0-9]+$")
  if [ "$code" = 0 ]; then
    echo "ok   $h: ${runs:-?} inputs in ${seconds}s, no crash"
  else
    echo "FAIL $h: exit $code after ${runs:-?} inputs (log: $build/$h.log)"
    grep -E "ERROR|invariant|SUMMARY|Test unit written" "$build/$h.log" | head -n 8
    failed=1
  fi
done
exit "$failed"
