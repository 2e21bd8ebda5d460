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
