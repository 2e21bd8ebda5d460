#!/usr/bin/env bash
# Scans a real Debian 12 root made by debootstrap (--variant=minbase), built once and cached:
# the scan must finish, write valid results, leave the root untouched, and never claim a pass for
# what an image cannot show (listeners, running kernel state).
# Usage: debootstrap_test.sh HOSTBENCH_BINARY SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
cache=${HOSTBENCH_TEST_CACHE:-/var/cache/hostbench-test}
root="$cache/bookworm-minbase"
work=$(mktemp -d /tmp/hostbench-deboot-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$src"

source "$src/tests/integration/lib.sh"

if [ ! -f "$root/.hostbench-complete" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v debootstrap >/dev/null; then
    echo "debootstrap_test: needs root and debootstrap (packaging/install-deps.sh --test)" >&2
    exit 1
  fi
  mkdir -p "$cache"
  rm -rf "$root.tmp"
  echo "debootstrap_test: building $root (once; about a minute)"
  if ! debootstrap --variant=minbase bookworm "$root.tmp" http://deb.debian.org/debian \
      > "$work/debootstrap.log" 2>&1; then
    tail -20 "$work/debootstrap.log" >&2
    echo "debootstrap_test: debootstrap failed" >&2
    exit 1
  fi
  touch "$root.tmp/.hostbench-complete"
  rm -rf "$root"
  mv "$root.tmp" "$root"
fi

# What the root looks like before: paths, modes, owners, sizes, mtimes (not atimes).
snapshot() { (cd "$root" && find . -xdev -printf '%p %m %u %g %s %T@ %l\n' | LC_ALL=C sort | sha256sum); }
before=$(snapshot)

t0=$(date +%s%N)
"$bin" scan --root "$root" --json "$work/image.json" > "$work/image.txt" 2> "$work/image.err"; rc=$?
t1=$(date +%s%N)
echo "debootstrap_test: scan of $root took $(( (t1 - t0) / 1000000 )) ms, exit $rc"
check "scan finished with a results exit code (got $rc)" [ $rc -eq 0 -o $rc -eq 1 -o $rc -eq 3 ]
check "results are valid JSON with rules" jq -e '.results | length > 0' "$work/image.json" >/dev/null
check "the root was not changed by the scan" [ "$before" = "$(snapshot)" ]
check "the scan header names the image's own OS" \
  [ "$(jq -r '.scan.os' "$work/image.json")" = "Debian GNU/Linux 12 (bookworm)" ]
check "kernel is unknown offline" [ "$(jq -r '.scan.kernel' "$work/image.json")" = "unknown (offline root)" ]
check "no crash output" [ ! -s "$work/image.err" ]

# Facts an image cannot show: never pass.
for id in host.network.listeners host.disk.encryption host.mac.selinux host.mac.apparmor; do
  st=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .status' "$work/image.json")
  [ -z "$st" ] && continue   # not in this profile (yet)
  check "$id on an image is notapplicable or notchecked (got $st)" \
    [ "$st" = notapplicable -o "$st" = notchecked ]
done
# Running kernel parameters are not observable: a sysctl rule judges the configuration alone
# and says so.
n=$(jq '[.results[] | select(.id | startswith("host.net.")) | select(.evidence | any(test("running value not observable")))] | length' "$work/image.json")
check "sysctl rules say the running value is not observable ($n)" [ "$n" -gt 0 ]
errors=$(jq -r '.results[] | select(.status == "error") | "\(.id): \(.evidence | join("; "))"' "$work/image.json")
if [ -n "$errors" ]; then echo "rules in error on the image:"; echo "$errors"; fi
check "no rule ends in error on a plain Debian image" [ -z "$errors" ]

finish
