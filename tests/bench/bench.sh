#!/usr/bin/env bash
# Benchmark, not a test (issue 10): hostbench's speed and memory against its targets and beside
# OpenSCAP, on this machine and on generated hosts. Prints progress on standard error and, on
# standard output, a markdown table ready for README's Performance section.
#
# Usage: tests/bench/bench.sh [HOSTBENCH_BINARY]
#   default binary: build/hostbench of the checkout this script is in (build it Release).
# Environment: RUNS (measured runs per row, default 5, after one warm-up), SCALES (default
#   "1 10 100"), BENCH_WORK (where the generated hosts go, default /tmp/hostbench-bench),
#   JOBS (hostbench --jobs, default: the number of cores), BENCH_PREFIX (words put before every
#   measured command, default none: on a machine that other work keeps busy, "chrt -f 50" runs
#   each measured scan at real-time priority, so that the figures are the program's and not the
#   neighbours'; as root only, and each run is short).
#
# Each row: the median of RUNS runs (warm cache: one unmeasured run first) of the wall time,
# the CPU time (user + system) and the peak RSS, from getrusage of the child
# (tests/bench/measure.py). Rows:
#   (a) the default profile on this machine, without the filesystem-walk rules
#       (--skip 'host.fs.*') and whole;
#   (b) hosts made by tests/bench/gen_host.py at each scale, scanned with --root (default
#       profile; 1x = 20 containers, 500 sockets, 500 packages, 200 files under /etc);
#   (c) OpenSCAP: `oscap xccdf eval --profile <standard>` with Debian's ssg-debian content.
# Then the 100x/1x ratio, `hostbench scan --timings` of the largest host (every source key
# listed once), and, when strace is installed, the files that host's scan opened more than once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$src/build/hostbench}")
runs=${RUNS:-5}
scales=${SCALES:-1 10 100}
work=${BENCH_WORK:-/tmp/hostbench-bench}
jobs=${JOBS:-$(nproc)}
read -r -a prefix <<<"${BENCH_PREFIX:-}"
measure="$here/measure.py"
cd "$src"  # ./profiles resolves from here

[ -x "$bin" ] || { echo "no hostbench binary at $bin (build it: cmake -DCMAKE_BUILD_TYPE=Release)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }
mkdir -p "$work"

log() { printf '%s\n' "$*" >&2; }
declare -A WALL CPU RSS
# bench KEY COMMAND...: measures and keeps the medians under KEY.
bench() {
  local key=$1; shift
  local line w c r
  line=$(python3 "$measure" "$runs" "${prefix[@]}" "$@")
  read -r w c r _ <<<"$line"
  WALL[$key]=$w CPU[$key]=$c RSS[$key]=$r
  log "  $key: $line"
}
ms() { python3 -c "import sys; print('%.0f ms' % (float(sys.argv[1]) * 1000))" "$1"; }
secs() { python3 -c "import sys; v=float(sys.argv[1]); print('%.2f s' % v if v >= 1 else '%.0f ms' % (v * 1000))" "$1"; }
mib() { python3 -c "import sys; print('%.1f MiB' % (int(sys.argv[1]) / 1024))" "$1"; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
lt() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$1" "$2"; }
le() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$1" "$2"; }
yesno() { if "$@"; then echo "yes"; else echo "**no**"; fi; }

log "hostbench benchmark: $bin, --jobs $jobs, $(nproc) cores, median of $runs runs after one warm-up${BENCH_PREFIX:+, each run under '$BENCH_PREFIX'}"
# shellcheck source=/dev/null
log "machine: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- (a) this machine ------------------------------------------------------------------------
log "(a) this machine, default profile"
bench local_nowalk "$bin" scan --quiet --jobs "$jobs" --skip 'host.fs.*'
bench local_all "$bin" scan --quiet --jobs "$jobs"
local_summary=$("$bin" scan --quiet --jobs "$jobs" 2>/dev/null || true)

# ---- (b) generated hosts ---------------------------------------------------------------------
declare -A SUMMARY
for s in $scales; do
  log "(b) generated host at ${s}x"
  python3 "$here/gen_host.py" "$work/host-${s}x" --scale "$s" --force >&2
  bench "gen_$s" "$bin" scan --quiet --jobs "$jobs" --root "$work/host-${s}x"
  SUMMARY[$s]=$("$bin" scan --quiet --jobs "$jobs" --root "$work/host-${s}x" 2>/dev/null || true)
  log "  ${SUMMARY[$s]}"
done

# ---- (c) OpenSCAP ----------------------------------------------------------------------------
# ssg-debian ships no Debian 12 datastream up to 0.1.65 (bookworm's): the closest is Debian 11's,
# whose rules all come out notapplicable on Debian 12 because its platform check reads
# /etc/debian_version against ^11. A copy with that pattern widened to 11 or 12 is measured
# beside it, so that OpenSCAP does the rules' work.
oscap_note=""
oscap_key=""
ssg=/usr/share/xml/scap/ssg/content
standard=xccdf_org.ssgproject.content_profile_standard
if command -v oscap >/dev/null && [ -d "$ssg" ]; then
  ds=""
  for v in 12 11 10; do
    if [ -f "$ssg/ssg-debian$v-ds.xml" ]; then ds="$ssg/ssg-debian$v-ds.xml"; dsv=$v; break; fi
  done
  if [ -n "$ds" ] && oscap info --profiles "$ds" 2>/dev/null | grep -q "^$standard:"; then
    log "(c) OpenSCAP: oscap xccdf eval --profile $standard $ds"
    bench oscap oscap xccdf eval --profile "$standard" "$ds"
    oscap_results=$(oscap xccdf eval --profile "$standard" "$ds" 2>/dev/null | grep -c '^Result' || true)
    oscap_judged=$(oscap xccdf eval --profile "$standard" "$ds" 2>/dev/null | grep -cE '^Result\s+(pass|fail)' || true)
    oscap_label="OpenSCAP 1.3, ssg-debian$dsv standard profile ($oscap_judged of $oscap_results rules judged)"
    oscap_key=oscap
    if [ "$dsv" != 12 ] && [ "$(cut -d. -f1 /etc/debian_version 2>/dev/null)" = 12 ]; then
      patched="$work/ssg-debian$dsv-on-debian12-ds.xml"
      sed "s/\^$dsv\.\[0-9\]+\\$/^($dsv|12).[0-9]+\$/" "$ds" >"$patched"
      if ! cmp -s "$ds" "$patched"; then
        log "(c') the same datastream with its platform check accepting Debian 12: $patched"
        bench oscap12 oscap xccdf eval --profile "$standard" "$patched"
        p_results=$(oscap xccdf eval --profile "$standard" "$patched" 2>/dev/null | grep -c '^Result' || true)
        p_judged=$(oscap xccdf eval --profile "$standard" "$patched" 2>/dev/null | grep -cE '^Result\s+(pass|fail)' || true)
        oscap12_label="OpenSCAP, the same with its platform check widened to Debian 12 ($p_judged of $p_results rules judged)"
        oscap_key=oscap12
      fi
      oscap_note="ssg-debian has no Debian 12 content here: Debian ${dsv}'s datastream was used."
    fi
  else
    oscap_note="no ssg-debian datastream with the standard profile under $ssg"
  fi
else
  oscap_note="OpenSCAP not measured: apt-get install -y openscap-scanner ssg-debian"
fi
[ -n "$oscap_note" ] && log "  note: $oscap_note"

# ---- --timings and repeated reads on the largest host ----------------------------------------
largest=${scales##* }
timings=$("${prefix[@]}" "$bin" scan --quiet --jobs "$jobs" --root "$work/host-${largest}x" --timings 2>&1 >/dev/null || true)
sources=$(printf '%s\n' "$timings" | sed -n '/^Slowest sources/,$p' | tail -n +2 | awk '{print $3}')
dup_sources=$(printf '%s\n' "$sources" | sort | uniq -d)
reread=""
if command -v strace >/dev/null; then
  trace="$work/strace-${largest}x.txt"
  strace -f -qq -y -e trace=openat -o "$trace" "$bin" scan --quiet --jobs "$jobs" \
    --root "$work/host-${largest}x" >/dev/null 2>&1 || true
  reread=$(grep -oE "= [0-9]+<$work/host-${largest}x/[^>]*>" "$trace" | sed 's/^= [0-9]*<//; s/>$//' |
    sort | uniq -c | sort -rn | while read -r n p; do
      [ "$n" -gt 1 ] && [ -f "$p" ] && printf '%s× %s (%s bytes)\n' "$n" "${p#"$work/host-${largest}x"}" "$(stat -c %s "$p")"
    done || true)
fi

# ---- report ----------------------------------------------------------------------------------
gen_desc() {  # scale -> what the host holds
  local s=$1
  echo "$((20 * s)) containers, $((500 * s)) sockets, $((500 * s)) packages, $((200 * s)) files in /etc"
}
row() {  # label key target met
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(secs "${WALL[$2]}")" "$(secs "${CPU[$2]}")" \
    "$(mib "${RSS[$2]}")" "$3" "$4"
}
echo
echo "hostbench $("$bin" --version | awk '{print $2}') ($(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')), $(nproc) cores, --jobs $jobs, median of $runs warm runs${BENCH_PREFIX:+ under \`$BENCH_PREFIX\`}; load $(cut -d' ' -f1 /proc/loadavg) at the end; $(date -u +%Y-%m-%d)"
echo
echo "| what | wall | CPU (user+sys) | peak RSS | target | met |"
echo "|---|---|---|---|---|---|"
row "this machine, default profile without the walk rules (\`--skip 'host.fs.*'\`)" local_nowalk \
  "< 100 ms, < 20 MiB" "$(yesno lt "${WALL[local_nowalk]}" 0.1) / $(yesno lt "${RSS[local_nowalk]}" 20480)"
row "this machine, whole default profile (walk of \`/\` included)" local_all "< 1 s" \
  "$(yesno lt "${WALL[local_all]}" 1)"
for s in $scales; do
  target="—"; met="—"
  if [ "$s" = 100 ]; then
    target="< 1 s, < 128 MiB"
    met="$(yesno lt "${WALL[gen_100]}" 1) / $(yesno lt "${RSS[gen_100]}" 131072)"
  fi
  row "generated host ${s}× ($(gen_desc "$s")), \`--root\`" "gen_$s" "$target" "$met"
done
first=${scales%% *}
if [ "$largest" != "$first" ]; then
  r=$(ratio "${WALL[gen_$largest]}" "${WALL[gen_$first]}")
  rc=$(ratio "${CPU[gen_$largest]}" "${CPU[gen_$first]}")
  echo "| ${largest}× host / ${first}× host | ${r}× | ${rc}× | $(ratio "${RSS[gen_$largest]}" "${RSS[gen_$first]}")× | ≤ $((largest * 6 / 5))× wall | $(yesno le "$r" "$((largest * 6 / 5))") |"
fi
if [ -n "${WALL[oscap]:-}" ]; then
  row "$oscap_label" oscap "—" "—"
  [ -n "${WALL[oscap12]:-}" ] && row "$oscap12_label" oscap12 "—" "—"
  echo "| hostbench ÷ OpenSCAP${WALL[oscap12]:+ (widened)}, this machine: without the walk rules / whole default profile | $(ratio "${WALL[local_nowalk]}" "${WALL[$oscap_key]}") / $(ratio "${WALL[local_all]}" "${WALL[$oscap_key]}") | $(ratio "${CPU[local_nowalk]}" "${CPU[$oscap_key]}") / $(ratio "${CPU[local_all]}" "${CPU[$oscap_key]}") | $(ratio "${RSS[local_nowalk]}" "${RSS[$oscap_key]}") / $(ratio "${RSS[local_all]}" "${RSS[$oscap_key]}") | — | — |"
fi
echo
[ -n "$oscap_note" ] && echo "OpenSCAP: $oscap_note" && echo
echo "Scan summaries: this machine: ${local_summary}"
for s in $scales; do echo "- ${s}×: ${SUMMARY[$s]}"; done
echo
echo "\`hostbench scan --root ${largest}× --timings\` (standard error):"
echo
echo '```'
printf '%s\n' "$timings"
echo '```'
echo
if [ -z "$dup_sources" ]; then
  echo "Each source key listed appears once ($(printf '%s\n' "$sources" | grep -c .) listed; the table shows the 10 slowest)."
else
  echo "**Source keys listed more than once:** $dup_sources"
fi
echo "Once-per-scan is proven by the unit tests \"facts: a key is computed once even when many threads ask at once\" (tests/engine/facts_test.cpp) and \"scanner: a source shared by many rules is computed once per scan\" (tests/engine/scanner_test.cpp), through Facts::parse_counts()."
if command -v strace >/dev/null; then
  if [ -n "$reread" ]; then
    echo "Each key is computed once, but strace shows files of the ${largest}× host that more than one source reads (a file per source key):"
    echo
    printf '%s\n' "$reread" | sed 's/^/- /'
  else
    echo "strace: the ${largest}× scan opened no file under the root more than once."
  fi
fi
