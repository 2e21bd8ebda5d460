#!/usr/bin/env bash
# The whole test suite under AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer:
# every target built with HOSTBENCH_SANITIZE=ON (-fsanitize=address,undefined
# -fno-sanitize-recover=undefined) in its own build directory, then ctest. Reports go to files
# (log_path), so that a report from a hostbench run inside an integration script fails this stage
# even where the script does not look at stderr or at that exit code; they are printed at the end.
# usage: tests/sanitize.sh [BUILD_DIR]      (default: build-asan)
# env:   CMAKE_ARGS passes through; SANITIZE_DOCTEST_ARGS and SANITIZE_CTEST_ARGS add arguments to
#        the unit-test binary (-tc=...) and to ctest; SANITIZE_EXCLUDE leaves integration tests out.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}

# g++, the project's compiler (clang 14 lacks C++20 features the tests use, such as a lambda
# capturing a structured binding). -O0 with line tables: this stage is bound by compile time
# (-O1 costs twice as much to compile); reports still name file:line.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1" \
  -DHOSTBENCH_SANITIZE=ON -DHOSTBENCH_WERROR=ON ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"

logs=$PWD/$build/sanitizer-reports
rm -rf "$logs"
mkdir -p "$logs"
chmod 1777 "$logs"  # docker_test.sh runs hostbench as nobody too
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
common="log_path=$logs/report:print_stacktrace=1${symbolizer:+:external_symbolizer_path=$symbolizer}"
# exitcode 86: never one of hostbench's own exit codes (0-3), which the scripts interpret.
export ASAN_OPTIONS="$common:detect_leaks=1:exitcode=86:strict_string_checks=1:check_initialization_order=1"
export UBSAN_OPTIONS="$common:halt_on_error=1:exitcode=86"
export LSAN_OPTIONS="exitcode=86"
# As under ctest (tests/CMakeLists.txt): no installed /etc/hostbench/config.yaml changes a test.
export HOSTBENCH_CONFIG=/nonexistent/hostbench-test/config.yaml

# The unit tests run in one process: as ~700 ctest entries each would pay ASan's start-up and
# LeakSanitizer's exit check (0.35 s apiece, minutes in all); that process (single-threaded) runs
# beside ctest, which runs the integration scripts (the tests named like "cli.integration") and
# the unit tests that need a process of their own: "cli scan: *" and "landlock: *" confine the
# process they run in with Landlock (engine/cli_scan.cpp), after which nothing else could write
# its temporary files.
isolated='^(cli scan|landlock): |^[a-z_]+[.][a-z_]+$'
# Excluded, with the reason:
#   - wall-clock bounds sized for the optimised build, which ASan at -O0 runs 3-20 times slower
#     (the normal ctest run keeps them):
slow_cases=(
  "dockerfile probe: hostile files give results fast"
  "drift: 300 rules of 2*"
)
#   - cli.readonly runs hostbench under strace: LeakSanitizer cannot work under ptrace, and the
#     sanitizer runtime's own report directory would count as a write outside the report paths;
#   - package.deb builds and lints the .deb: a package of a sanitizer build is nothing we ship
#     (dpkg-shlibdeps would add libasan), and it takes minutes;
#   - cli.ansible installs that .deb with Ansible over SSH: the same package, and the hosts run
#     the installed binary, not this build (its merge and scan paths run here in cli.fleet).
excluded=${SANITIZE_EXCLUDE-'^(cli[.]readonly|package[.]deb|cli[.]ansible)$'}
exclude_cases=$(IFS=,; echo "${slow_cases[*]},cli scan: *,landlock: *")

rc=0 unit_rc=0
unit_log=$PWD/$build/sanitize-unit.log
echo "sanitize: unit tests in one process (${#slow_cases[@]} time-bound cases excluded), beside ctest"
"$build/tests/hostbench_tests" --test-case-exclude="$exclude_cases" --no-intro=true \
  ${SANITIZE_DOCTEST_ARGS:-} >"$unit_log" 2>&1 &
unit_pid=$!
echo "sanitize: integration tests, and the unit tests that confine their process"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -R "$isolated" \
  ${excluded:+-E "$excluded"} ${SANITIZE_CTEST_ARGS:-} || rc=$?
wait "$unit_pid" || unit_rc=$?
echo "sanitize: unit tests (exit $unit_rc):"
cat "$unit_log"
[ "$unit_rc" -eq 0 ] || rc=$unit_rc

if compgen -G "$logs/report*" >/dev/null; then
  echo "sanitize: sanitizer reports:"
  for f in "$logs"/report*; do
    echo "---- $f"
    head -n 80 "$f"
  done
  rc=1
fi
if [ "$rc" -ne 0 ]; then
  echo "sanitize: FAILED"
  exit "$rc"
fi
echo "sanitize: the test suite passed under ASan+UBSan, no sanitizer reports"
