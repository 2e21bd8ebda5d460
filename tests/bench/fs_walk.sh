#!/usr/bin/env bash
# Benchmark, not a test: the host.fs.* rules (one shared walk of /) against GNU find doing the
# same work, on this machine's own root. Median of 3 runs each after one warm-up run (so both
# read a warm dentry and inode cache), wall time and peak RSS from GNU time.
# Usage: tests/bench/fs_walk.sh [HOSTBENCH_BINARY] [SOURCE_DIR] [JOBS]
# Default: build/hostbench from the source checkout this script is in, --jobs = cores.
set -euo pipefail
src=$(realpath "${2:-$(dirname "$0")/../..}")
bin=$(realpath "${1:-$src/build/hostbench}")
jobs=${3:-$(nproc)}
runs=3
cd "$src"  # ./profiles resolves from here

if [ ! -x /usr/bin/time ]; then
  echo "GNU time is missing: apt-get install -y time" >&2
  exit 2
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# Prints "WALL_SECONDS PEAK_RSS_KB" of one run of the command. Its exit status does not matter:
# the scan exits 1 when a rule fails, find 1 when it meets an unreadable directory.
measure() {
  /usr/bin/time -o "$tmp" -f '%e %M' "$@" >/dev/null 2>&1 || true
  grep -E '^[0-9.]+ [0-9]+$' "$tmp"
}

# Median wall time and the peak RSS of that run, over $runs runs.
bench() {
  local name=$1; shift
  "$@" >/dev/null 2>&1 || true  # warm-up
  local results=()
  for _ in $(seq "$runs"); do results+=("$(measure "$@")"); done
  local median
  median=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-44s %6.2f s  %8d KB   (runs: %s)\n' "$name" "${median% *}" "${median#* }" \
    "$(printf '%s ' "${results[@]%% *}")"
}

files=$(find / -xdev 2>/dev/null | wc -l)
echo "root: / ($files entries on its filesystem), $(nproc) cores, hostbench --jobs $jobs"
bench "hostbench scan --check 'host.fs.*' (7 rules)" \
  "$bin" scan --check 'host.fs.*' --jobs "$jobs" --quiet
bench "find -xdev -type f -perm -0002" \
  find / -xdev -type f -perm -0002
bench "find ... -o -nouser -o -nogroup" \
  find / -xdev \( -type f -perm -0002 -o -nouser -o -nogroup \)
bench "find, all six categories" \
  find / -xdev \( -type f \( -perm -0002 -o -perm -4000 -o -perm -2000 \) \
    -o -type d -perm -0002 ! -perm -1000 -o -nouser -o -nogroup \)
