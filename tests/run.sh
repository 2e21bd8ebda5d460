#!/usr/bin/env bash
# README command (b): install what is missing, build, run every test. Run as root on Debian 12.
# BUILD_DIR (default build) and CMAKE_ARGS pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh --test
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOSTBENCH_WERROR=ON ${CMAKE_ARGS:-}
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
# Robustness (README "Fuzzing and sanitizers"): the suite again under ASan+UBSan, then every fuzz
# target for FUZZ_SECONDS (build-asan with g++, build-fuzz with clang). HOSTBENCH_SKIP_ROBUSTNESS=1
# skips both.
if [ "${HOSTBENCH_SKIP_ROBUSTNESS:-0}" != 1 ]; then
  tests/sanitize.sh build-asan
  FUZZ_SECONDS=${FUZZ_SECONDS:-8} tests/fuzz/run.sh build-fuzz  # 8 s: the CI time budget
fi
