#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan + LeakSanitizer) and runs each one for a
# bounded time on seeds made from tests/fixtures (tests/fuzz/make_seeds.sh). Fails when any target
# crashes, hangs, leaks or trips a sanitizer; prints one summary line per target:
#   fuzz: TARGET runs=N exec/s=N cov=N ft=N corpus=N result=ok|FAIL (...)
# usage: tests/fuzz/run.sh [BUILD_DIR]      (default: build-fuzz; configured when it has no cache)
# env:   FUZZ_SECONDS  seconds per target (default 30)
#        FUZZ_JOBS     targets run at once (default 2)
#        FUZZ_TARGETS  a space-separated subset (default: all)
#        FUZZ_WORK     corpora, logs and crash inputs (default: BUILD_DIR/fuzz-work; emptied first)
#        FUZZ_NO_BUILD=1  use the binaries as they are
# A crash input is kept as FUZZ_WORK/artifacts/TARGET-crash-... and printed in base64 (when small),
# so that a CI log is enough to reproduce it: base64 -d > x && BUILD_DIR/tests/fuzz/fuzz_TARGET x
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-2}
work=${FUZZ_WORK:-$build/fuzz-work}

all_targets=(config_files debian_packages decompress docker_daemon docker_state dockerd_flags
             dockerfile fleet_results json_text mounts proc_net profile systemd_unit unix_http)
read -r -a targets <<<"${FUZZ_TARGETS:-${all_targets[*]}}"

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  cxx=${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}
  cc=${FUZZ_CC:-$(command -v clang-14 || command -v clang || true)}
  if [ -z "$cxx" ]; then
    echo "fuzz: no clang++ found (apt-get install clang-14 libclang-rt-14-dev)" >&2
    exit 1
  fi
  if [ -f "$build/CMakeCache.txt" ] && ! grep -q '^HOSTBENCH_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
    echo "fuzz: $build is not configured with HOSTBENCH_FUZZ=ON (clang); use another directory" >&2
    exit 1
  fi
  if [ ! -f "$build/CMakeCache.txt" ]; then
    # -O0 and line tables only: half the compile time of -O1 (this stage is bound by it in CI),
    # at some cost in executions per second; reports still name file:line. FUZZ_OPT overrides.
    CC=$cc CXX=$cxx cmake -S . -B "$build" -DHOSTBENCH_FUZZ=ON -DBUILD_TESTING=OFF \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="${FUZZ_OPT:--O0} -gline-tables-only" \
      >/dev/null
  fi
  cmake --build "$build" -j"$(nproc)" --target fuzz_all
fi

rm -rf "$work"
mkdir -p "$work/corpus" "$work/logs" "$work/artifacts"
bash tests/fuzz/make_seeds.sh "$src" "$work/seeds" >/dev/null

symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:allocator_may_return_null=0${symbolizer:+:external_symbolizer_path=$symbolizer}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${symbolizer:+:external_symbolizer_path=$symbolizer}"
export TMPDIR=$work  # unix_http's socket directory

dict_of() {
  case $1 in
    json_text | fleet_results) echo json ;;
    docker_daemon | docker_state) echo docker ;;
    config_files | debian_packages | dockerd_flags | dockerfile | profile | systemd_unit | unix_http) echo "$1" ;;
    *) echo "" ;;
  esac
}

run_one() {
  local t=$1 bin=$build/tests/fuzz/fuzz_$1 dict args=()
  dict=$(dict_of "$t")
  [ -n "$dict" ] && args+=("-dict=$src/tests/fuzz/dicts/$dict.dict")
  mkdir -p "$work/corpus/$t"
  cp "$work/seeds/$t"/* "$work/corpus/$t/" 2>/dev/null || true
  # No -max_len: libFuzzer takes the largest seed's size (at least 4096).
  local rc=0
  "$bin" "${args[@]}" -max_total_time="$seconds" -detect_leaks=1 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" \
    "$work/corpus/$t" >"$work/logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$work/logs/$t.rc"
}

echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time"
running=0
for t in "${targets[@]}"; do
  if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
    echo "fuzz: $t: no binary $build/tests/fuzz/fuzz_$t" >&2
    echo 127 >"$work/logs/$t.rc"
    continue
  fi
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

failed=0
for t in "${targets[@]}"; do
  log=$work/logs/$t.log
  rc=$(cat "$work/logs/$t.rc" 2>/dev/null || echo 127)
  final_stat() { sed -n "s/^stat::$1: *//p" "$log" 2>/dev/null | tail -1; }
  runs=$(final_stat number_of_executed_units)
  speed=$(final_stat average_exec_per_sec)
  last=$(grep -E '^#[0-9]+' "$log" 2>/dev/null | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  result=ok
  # A sanitizer or libFuzzer report anywhere in the log fails the target, whatever the exit code.
  why=$(grep -m1 -oE "what\(\): .*|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)[^(]*|runtime error:.*|SUMMARY: [A-Za-z]+Sanitizer.*" "$log" 2>/dev/null | cut -c1-200 || true)
  if [ "$rc" != 0 ] || [ -n "$why" ]; then
    result="FAIL (exit $rc${why:+; $why})"
    failed=$((failed + 1))
  fi
  echo "fuzz: $t runs=${runs:-0} exec/s=${speed:-0} cov=${cov:-0} ft=${ft:-0} corpus=${corpus:-0} result=$result"
done

if [ "$failed" -gt 0 ]; then
  for t in "${targets[@]}"; do
    rc=$(cat "$work/logs/$t.rc" 2>/dev/null || echo 127)
    grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$work/logs/$t.log" 2>/dev/null ||
      [ "$rc" != 0 ] || continue
    echo "---- fuzz: $t: end of $work/logs/$t.log"
    tail -n 60 "$work/logs/$t.log" || true
    for a in "$work/artifacts/$t-"*; do
      [ -f "$a" ] || continue
      echo "---- fuzz: $t: input $a ($(stat -c %s "$a") bytes), base64:"
      if [ "$(stat -c %s "$a")" -le 8192 ]; then base64 -w0 "$a"; echo; fi
    done
  done
  echo "fuzz: $failed of ${#targets[@]} targets failed"
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets passed"
