#!/usr/bin/env bash
# Benchmark, not a test (issue 11): `hostbench merge` on a synthetic fleet. Generates HOSTS
# results of RULES rules each with hostbench_fleet_gen (tests/support/fleet_gen.hpp: about the
# size of a real host's results, ~1.1 KB per rule; odd hosts lack a third of the rules; ages
# spread over 4 days, so about half are stale), then measures the merge (median of RUNS runs
# after a warm-up; tests/bench/measure.py: wall, CPU, peak RSS) without reports, with --json,
# and with --json and --html. Prints a markdown table on standard output.
#
# Usage: tests/bench/fleet_bench.sh [BUILD_DIR]   (default build/; hostbench and
#   tests/hostbench_fleet_gen must be built)
# Environment: HOSTS (default 10000), RULES (300), RUNS (3), BENCH_WORK (/tmp/hostbench-fleet-bench;
#   about 3.2 GB at the defaults, kept for the next run unless KEEP=0), BENCH_PREFIX as in bench.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(realpath "${1:-$src/build}")
hosts=${HOSTS:-10000}
rules=${RULES:-300}
runs=${RUNS:-3}
work=${BENCH_WORK:-/tmp/hostbench-fleet-bench}
read -r -a prefix <<<"${BENCH_PREFIX:-}"
bin=$build/hostbench
gen=$build/tests/hostbench_fleet_gen
[ -x "$bin" ] && [ -x "$gen" ] || { echo "build hostbench and hostbench_fleet_gen in $build first" >&2; exit 2; }

dir=$work/$hosts-$rules
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  echo "generating $hosts hosts x $rules rules in $dir" >&2
  t0=$(date +%s.%N)
  "$gen" "$dir" "$hosts" "$rules"
  echo "generated in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s" >&2
  touch "$dir/.complete"
fi
bytes=$(du -sb "$dir" | cut -f1)

row() {  # LABEL ARGS...
  local label=$1; shift
  read -r wall cpu rss _ < <("${prefix[@]}" python3 "$here/measure.py" "$runs" "$bin" merge "$dir" -q "$@")
  printf '| %s | %.2f s | %.2f s | %.0f MiB |\n' "$label" "$wall" "$cpu" "$((rss / 1024))"
}
echo "| $hosts hosts x $rules rules ($((bytes / 1024 / 1024)) MiB of results) | wall | CPU | peak RSS |"
echo "|---|---|---|---|"
row "merge, console only"
row "merge --json" --json "$work/fleet.json"
row "merge --json --html" --json "$work/fleet.json" --html "$work/fleet.html"
echo "reports: fleet.json $(du -h "$work/fleet.json" | cut -f1), fleet.html $(du -h "$work/fleet.html" | cut -f1)" >&2
[ "${KEEP:-1}" = 1 ] || rm -rf "$dir"
