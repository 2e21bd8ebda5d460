#!/usr/bin/env bash
# The Debian package (packaging/cpack.cmake): builds it with `cpack -G DEB` from the build tree
# into a temporary directory, then checks it the way Debian and an operator would:
#   - dpkg-deb -c: every expected path with its mode, owner root, and nothing else;
#   - dpkg-deb -I: the control fields, Depends covering every shared library the binary needs
#     (dpkg-shlibdeps), the conffile, sane maintainer scripts, the changelog's version;
#   - lintian: no E: tag, and no W: tag outside the short allowlist below;
#   - the manual page: clean under `man --warnings` and `groff -ww`, and documenting every
#     command and option the binary's own --help lists;
#   - the unpacked binary (dpkg -x into a temporary root: nothing is installed on this machine):
#     scans tests/fixtures/hardened with the unpacked profiles and the shipped config and waivers;
#   - the systemd units: `systemd-analyze verify` with --root at the unpacked tree, so ExecStart
#     and Documentation= resolve to the package's own binary and man page;
#   - the service's sandbox, as far as it can be reproduced without systemd as PID 1 (this
#     machine has none): a live scan under its capability bounding set (setpriv) judges no rule
#     `error` that a full-root scan could judge and meets no "Permission denied"; every system
#     call of a scan (strace) is allowed by its SystemCallFilter=, every socket one of its
#     RestrictAddressFamilies=; and its mount and network settings, reproduced with unshare,
#     change no verdict of the mount, listening-socket and sticky-bit rules.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR (as root; about 30 s)
set -uo pipefail
export LC_ALL=C.UTF-8
build=$(realpath "$1")
src=$(realpath "$2")
source "$src/tests/integration/lib.sh"
started=$(date +%s.%N)
phase() { echo "[$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%5.1f", e - s }') s] $*"; }

# Root is needed to reproduce the service's sandbox (setpriv --bounding-set, unshare --mount).
if [ "$(id -u)" -ne 0 ]; then echo "package_test: SKIPPED: needs root (setpriv, unshare)"; exit 77; fi
# Every tool is installed by `packaging/install-deps.sh --test`; a missing one is a failure, not
# a reason to skip.
for tool in cpack dpkg-deb dpkg-shlibdeps dpkg-parsechangelog lintian man groff readelf jq \
            systemd-analyze setpriv strace unshare findmnt perl; do
  command -v "$tool" >/dev/null || { echo "package_test: $tool is missing (packaging/install-deps.sh --test)" >&2; exit 1; }
done
[ -f "$build/CPackConfig.cmake" ] || { echo "package_test: no $build/CPackConfig.cmake" >&2; exit 1; }

work=$(mktemp -d /tmp/hostbench-package-XXXXXX)
trap 'rm -rf "$work"' EXIT
# No ./profiles here: the unpacked binary must find the profiles through HOSTBENCH_PROFILE_PATH.
cd "$work"

phase "cpack"
# --- cpack ---------------------------------------------------------------------------------------
# -B keeps the staging tree and the .deb out of the build tree.
(cd "$build" && cpack -G DEB -B "$work/cpack") >"$work/cpack.log" 2>&1
rc=$?
debs=("$work"/cpack/*.deb)
if [ $rc -ne 0 ] || [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  cat "$work/cpack.log" >&2
  bad "cpack -G DEB made one .deb (rc $rc)"
  finish; exit 1
fi
ok
deb=${debs[0]}
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
version=$("$build/hostbench" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
check "the file name is hostbench_${version}-1_${arch}.deb" [ "$(basename "$deb")" = "hostbench_${version}-1_${arch}.deb" ]

phase "contents"
# --- contents: paths, modes, owners ------------------------------------------------------------
dpkg-deb -c "$deb" >"$work/contents.txt"
declare -A want=(
  [./usr/bin/hostbench]=-rwxr-xr-x
  [./etc/hostbench/config.yaml]=-rw-r--r--
  [./lib/systemd/system/hostbench.service]=-rw-r--r--
  [./lib/systemd/system/hostbench.timer]=-rw-r--r--
  [./usr/share/man/man1/hostbench.1.gz]=-rw-r--r--
  [./usr/share/doc/hostbench/copyright]=-rw-r--r--
  [./usr/share/doc/hostbench/changelog.Debian.gz]=-rw-r--r--
  [./usr/share/doc/hostbench/README.md.gz]=-rw-r--r--
  [./usr/share/doc/hostbench/profiles.md.gz]=-rw-r--r--
  [./usr/share/doc/hostbench/examples/waivers.yaml]=-rw-r--r--
  [./usr/share/doc/hostbench/examples/hostbench.cron]=-rw-r--r--
)
for p in "$src"/profiles/*.yaml; do want[./usr/share/hostbench/profiles/$(basename "$p")]=-rw-r--r--; done
# The Ansible playbook and role (packaging/ansible/), every file as it is in the source tree.
while read -r p; do want[./usr/share/hostbench/ansible/${p#./}]=-rw-r--r--; done < <(
  cd "$src/packaging/ansible" && find . -type f \( -name '*.yml' -o -name '*.j2' -o -name ansible.cfg \) -not -path './results/*')
declare -A got=()
while read -r mode owner _size _date _time path _rest; do
  got[$path]=$mode
  check "$path is owned by root/root (got $owner)" [ "$owner" = root/root ]
  case "$mode" in
    d*) check "directory $path is drwxr-xr-x (got $mode)" [ "$mode" = drwxr-xr-x ] ;;
    *) check "$path is an expected file (not in the list of the package's files)" [ -n "${want[$path]:-}" ] ;;
  esac
done <"$work/contents.txt"
for path in "${!want[@]}"; do
  check "$path is in the package with mode ${want[$path]} (got ${got[$path]:-nothing})" \
    [ "${got[$path]:-}" = "${want[$path]}" ]
done
check "nothing under /usr/local, /usr/etc or /etc/cron.d" \
  bash -c "! grep -qE '\./(usr/local|usr/etc|etc/cron\.d)/' '$work/contents.txt'"

phase "control"
# --- control ---------------------------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: hostbench" [ "$(field Package)" = hostbench ]
check "Version: ${version}-1 (got $(field Version))" [ "$(field Version)" = "${version}-1" ]
check "Architecture: $arch" [ "$(field Architecture)" = "$arch" ]
check "Section: admin" [ "$(field Section)" = admin ]
check "Priority: optional" [ "$(field Priority)" = optional ]
check "Maintainer is a name and an address" bash -c "dpkg-deb -f '$deb' Maintainer | grep -qE '^[^<]+ <[^@ ]+@[^> ]+>$'"
check "Description has a synopsis and a long description" \
  [ "$(field Description | sed -n 1p)" = "host hardening scanner for CIS-style benchmarks" -a "$(field Description | wc -l)" -gt 5 ]
depends=$(field Depends)
echo "Depends: $depends"
# Every shared library the binary needs comes from a package named in Depends (the binary is
# linked dynamically against yaml-cpp, Boost.Regex, pugixml, lz4, zlib, xz and zstd).
needed=$(readelf -d "$build/hostbench" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for lib in libyaml-cpp libboost_regex libpugixml liblz4 libz.so liblzma libzstd; do
  check "the binary links $lib dynamically" grep -q "^$lib" <<<"$needed"
done
# The names in Depends, without versions; a library's package may be named through one of its
# Provides (libboost-regex1.74.0 provides libboost-regex1.74.0-icu72, which dpkg-shlibdeps uses).
depends_names=$(sed -E 's/ *\([^)]*\)//g; s/ *[,|] */\n/g' <<<"$depends")
for lib in $needed; do
  path=$(ldd "$build/hostbench" | awk -v l="$lib" '$1 == l {print $3}')
  pkg=$(dpkg -S "$(realpath "$path")" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
  names=$(printf '%s\n%s\n' "$pkg" "$(dpkg-query -W -f '${Provides}' "$pkg" 2>/dev/null |
    sed -E 's/ *\([^)]*\)//g; s/ *, */\n/g')")
  check "Depends names ${pkg:-the package of $lib} (for $lib)" \
    bash -c '[ -n "$2" ] && grep -qxFf <(grep -v "^$" <<<"$1") <<<"$2"' _ "$names" "$depends_names"
done
mkdir "$work/control"
dpkg-deb -e "$deb" "$work/control"
check "conffiles lists /etc/hostbench/config.yaml alone" \
  [ "$(cat "$work/control/conffiles")" = /etc/hostbench/config.yaml ]
for s in postinst prerm postrm; do
  check "$s is executable" [ -x "$work/control/$s" ]
  check "$s is valid sh" sh -n "$work/control/$s"
done
check "postinst enables and starts nothing (the timer is the operator's choice)" \
  bash -c "! grep -v '^[[:space:]]*#' '$work/control/postinst' | grep -qE '\benable\b|start'"

phase "lintian"
# --- lintian -------------------------------------------------------------------------------------
# W: tags accepted, each with its reason. Anything else at W:, and anything at all at E:, fails.
allowed_warnings=(
  # The first changelog entry of a package in Debian closes its ITP bug; hostbench is packaged
  # outside Debian, so there is no bug to close.
  initial-upload-closes-no-bugs
  # The packages rules read /var/lib/dpkg/status themselves, by design: offline scans of a
  # mounted image (--root) cannot ask that image's dpkg, and the scanner runs no commands.
  uses-dpkg-database-directly
)
lintian --tag-display-limit 0 --display-info --fail-on none "$deb" >"$work/lintian.txt" 2>"$work/lintian.err"
check "lintian ran (rc $?)" [ $? -eq 0 ]
echo "lintian said:"; sed 's/^/  /' "$work/lintian.txt"
while read -r line; do
  case "$line" in
    E:*) bad "lintian error: $line" ;;
    W:*)
      tag=$(awk '{print $3}' <<<"$line")
      allowed=no
      for a in "${allowed_warnings[@]}"; do [ "$a" = "$tag" ] && allowed=yes; done
      check "lintian warning $tag is allowlisted ($line)" [ $allowed = yes ] ;;
  esac
done <"$work/lintian.txt"
for a in "${allowed_warnings[@]}"; do
  grep -q "^W: hostbench: $a\b" "$work/lintian.txt" ||
    echo "note: allowlisted lintian warning $a no longer appears; remove it from the allowlist"
done

phase "unpack"
# --- unpack ---------------------------------------------------------------------------------------
root=$work/root
dpkg -x "$deb" "$root"
bin=$root/usr/bin/hostbench
export HOSTBENCH_PROFILE_PATH=$root/usr/share/hostbench/profiles
check "the binary is stripped (no .symtab, no .debug_*, no .comment)" \
  bash -c "! readelf -S '$bin' | grep -qE '\.symtab|\.debug_|\.comment'"
check "hostbench --version says $version" [ "$("$bin" --version)" = "hostbench $version" ]
zcat "$root/usr/share/doc/hostbench/changelog.Debian.gz" >"$work/changelog"
check "changelog.Debian's newest entry is ${version}-1 (a version bump needs an entry)" \
  [ "$(dpkg-parsechangelog -l "$work/changelog" -S Version)" = "${version}-1" ]
check "copyright is machine-readable (DEP-5)" \
  grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$root/usr/share/doc/hostbench/copyright"

phase "man page"
# --- the manual page ------------------------------------------------------------------------------
man1=$root/usr/share/man/man1/hostbench.1.gz
MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$man1" >/dev/null 2>"$work/man.err"
check "man --warnings is silent ($(head -c 300 "$work/man.err"))" [ ! -s "$work/man.err" ]
zcat "$man1" >"$work/hostbench.1"
groff -man -ww -z "$work/hostbench.1" 2>"$work/groff.err"
check "groff -man -ww is silent ($(head -c 300 "$work/groff.err"))" [ ! -s "$work/groff.err" ]
commands=$("$bin" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')
check "hostbench --help lists commands" [ -n "$commands" ]
for c in $commands; do
  check "the man page documents the command $c" grep -qE "^\.(B|BI) \"?$c\b" "$work/hostbench.1"
  # An option is documented where a .B/.BI/.BR line names it (not merely mentioned in an example).
  for o in $("$bin" "$c" --help | sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}--\([a-z][a-z-]*\).*/\2/p'); do
    esc=$(sed 's/-/\\\\-/g' <<<"$o")
    check "the man page documents $c --$o" \
      grep -qE "^\\.(B|BI|BR) .*\\\\-\\\\-${esc}([^\\\\a-z]|\$)" "$work/hostbench.1"
  done
done

phase "fixture scans"
# --- the unpacked binary on a fixture host -------------------------------------------------------
make_fixture hardened "$work/host"
for p in "$root"/usr/share/hostbench/profiles/*.yaml; do
  check "validate $(basename "$p")" "$bin" validate "$p"
done
check "profiles lists the unpacked profiles" bash -c "'$bin' profiles | grep -q default"
"$bin" scan --no-config --root "$work/host" --json "$work/scan.json" --quiet >"$work/scan.out" 2>&1
rc=$?
check "scan of the hardened fixture exits 0, 1 or 3 (got $rc: $(head -c 300 "$work/scan.out"))" \
  [ $rc -eq 0 -o $rc -eq 1 -o $rc -eq 3 ]
check "its JSON results are hostbench-results/1" [ "$(jq -r .schema "$work/scan.json" 2>/dev/null)" = hostbench-results/1 ]
total=$(jq '.results | length' "$work/scan.json" 2>/dev/null || echo 0)
check "it judged rules ($total results, $(jq .summary.pass "$work/scan.json" 2>/dev/null) pass)" \
  [ "$total" -gt 100 -a "$(jq .summary.pass "$work/scan.json" 2>/dev/null || echo 0)" -gt 0 ]
check "its exit code follows its results" [ $rc -eq "$(expected_rc "$work/scan.json")" ]
if [ -d /usr/share/hostbench/profiles ]; then
  echo "note: /usr/share/hostbench/profiles exists on this machine and is searched first; the rules' sources are not checked"
else
  check "the rules came from the unpacked profiles" \
    [ "$(jq --arg d "$root/usr/share/hostbench/profiles/" '[.results[].source | startswith($d)] | all' "$work/scan.json")" = true ]
fi

# The shipped config and waivers example, as the service would run them, with the report
# directory moved into the temporary tree (the service's would be /var/lib/hostbench).
sed -e "s#^  directory: /var/lib/hostbench\$#  directory: $work/history#" \
    -e "s#^\#waivers: /etc/hostbench/waivers.yaml\$#waivers: $root/usr/share/doc/hostbench/examples/waivers.yaml#" \
    "$root/etc/hostbench/config.yaml" >"$work/config.yaml"
check "the config's output directory and waivers were redirected" \
  [ "$(grep -cE "^  directory: $work/history\$|^waivers: $root/" "$work/config.yaml")" -eq 2 ]
mkdir "$work/history"
"$bin" scan --config "$work/config.yaml" --root "$work/host" --quiet >"$work/config.out" 2>&1
rc=$?
check "scan with the shipped config and waivers exits 0, 1 or 3 (got $rc: $(head -c 300 "$work/config.out"))" \
  [ $rc -eq 0 -o $rc -eq 1 -o $rc -eq 3 ]
latest=$work/history/latest.json
check "it kept its reports in the output directory (latest.json)" [ -s "$latest" ]
check "they are the same scan as without the config ($total rules)" \
  [ "$(jq '.results | length' "$latest" 2>/dev/null)" = "$total" ]
waivers=$(grep -c '^  - rule:' "$root/usr/share/doc/hostbench/examples/waivers.yaml")
check "the example's $waivers waivers were loaded (got $(jq -c .waivers.loaded "$latest" 2>/dev/null))" \
  [ "$(jq .waivers.loaded "$latest" 2>/dev/null)" = "$waivers" ]
# The next day's run: a second scan kept beside the first, compared with it (baseline: last).
sleep 1
"$bin" scan --config "$work/config.yaml" --root "$work/host" --quiet >"$work/config2.out" 2>&1
rc=$?
check "a second scan with the shipped config exits 0, 1 or 3 (got $rc: $(head -c 300 "$work/config2.out"))" \
  [ $rc -eq 0 -o $rc -eq 1 -o $rc -eq 3 ]
kept=$(find "$work/history" -maxdepth 1 -type f -name '*.json' ! -name 'latest*' | wc -l)
check "the output directory keeps both scans ($kept JSON results)" [ "$kept" -eq 2 ]
check "the second compared itself with the first (drift in latest.json, nothing newly failing)" \
  [ "$(jq '.drift.counts.newly_failing' "$latest" 2>/dev/null)" = 0 ]

phase "systemd-analyze"
# --- the systemd units ----------------------------------------------------------------------------
# With --root, systemd-analyze resolves ExecStart=/usr/bin/hostbench in the unpacked tree; the
# tree lacks the host's own units (sysinit.target, timers.target, ...), so a copy of them is
# added, and MANPATH makes Documentation=man:hostbench(1) resolve to the package's page. Any
# output (an unknown key, a bad value) counts as a failure, not only the exit code.
vroot=$work/vroot
cp -a "$root" "$vroot"
mkdir -p "$vroot/usr/lib/systemd"
cp -a "$(realpath /lib/systemd/system)" "$vroot/usr/lib/systemd/system"
MANPATH=$vroot/usr/share/man systemd-analyze verify --root="$vroot" \
  /lib/systemd/system/hostbench.service /lib/systemd/system/hostbench.timer >"$work/verify.out" 2>&1
rc=$?
check "systemd-analyze verify accepts the units (rc $rc: $(head -c 500 "$work/verify.out"))" \
  [ $rc -eq 0 -a ! -s "$work/verify.out" ]
unit=$root/lib/systemd/system/hostbench.service
check "ExecStart is the documented command" \
  grep -qx 'ExecStart=/usr/bin/hostbench scan --config /etc/hostbench/config.yaml --quiet' "$unit"
check "exit 1 (findings) is a success of the unit" grep -qx 'SuccessExitStatus=1' "$unit"
exposure=$(systemd-analyze security --offline=true --root="$vroot" /lib/systemd/system/hostbench.service 2>/dev/null |
  sed -n 's/.*Overall exposure level for hostbench.service: \([0-9.]*\).*/\1/p')
echo "systemd-analyze security: exposure $exposure (0 safest, 10 unprotected)"
check "the service's exposure is below 4 (got ${exposure:-nothing})" \
  awk -v e="${exposure:-99}" 'BEGIN { exit !(e < 4) }'

phase "sandbox: reference scan"
# --- the sandbox, reproduced as far as possible ---------------------------------------------------
# Three live scans of this machine (each walks its whole filesystem): a full-root reference; one
# under the unit's capabilities and traced by strace; one in the unit's mount and network
# namespace settings. A listener of the test's own on all addresses and a world-writable
# directory without the sticky bit (under /tmp) make the listening-socket and sticky-bit rules
# fail on any machine, whatever other tests create or remove meanwhile.
setting() { sed -n "s/^$1=//p" "$unit" | tail -1; }
mkdir -m 0777 "$work/world-writable"
perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(Listen => 1, LocalAddr => "0.0.0.0", LocalPort => 0, Proto => "tcp") or die; print $s->sockport, "\n"; STDOUT->flush; sleep 300' >"$work/listener.port" &
listener=$!
trap 'kill "$listener" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/listener.port" ] && break; sleep 0.1; done
port=$(cat "$work/listener.port")
"$bin" scan --no-config --json "$work/live-full.json" --quiet >/dev/null 2>&1
check "the reference scan sees the test's world-writable directory" \
  grep -qx "$work/world-writable" <(jq -r '.results[] | select(.id == "host.fs.world_writable_dirs") | .objects[]?.id' "$work/live-full.json")
check "the reference scan sees the test's listener (port $port)" \
  grep -q ":$port\b" <(jq -r '.results[] | select(.id == "host.network.listeners") | (.evidence[]?, .objects[]?.id)' "$work/live-full.json")
jq -r '.results[] | "\(.id) \(.status)"' "$work/live-full.json" | sort -k1,1 >"$work/full.st"

phase "sandbox: capabilities and system calls"
# (1) Capabilities and system calls. Under the unit's CapabilityBoundingSet= and NoNewPrivileges=
# (setpriv; root then keeps only what the bounding set allows) a scan must not end in `error`
# where the full-root scan did not, nor meet "Permission denied" anywhere. Every system call it
# makes (strace -c; the filesystem walk and --nice included) must be in the unit's
# SystemCallFilter= (the allowed sets less the ~ ones, expanded by systemd-analyze).
caps=$(setting CapabilityBoundingSet | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
check "the unit names a capability bounding set ($caps)" [ -n "$caps" ]
setpriv --bounding-set "-all,$caps" --inh-caps=-all --no-new-privs -- \
  strace -f -qq -c -o "$work/strace.sum" \
  "$bin" scan --no-config --nice --json "$work/live-caps.json" --quiet >/dev/null 2>&1
check "a scan runs under the bounding set (CapBnd of a child: $(setpriv --bounding-set "-all,$caps" --no-new-privs -- grep CapBnd /proc/self/status | cut -f2))" \
  [ -s "$work/live-caps.json" ]
jq -r '.results[] | "\(.id) \(.status)"' "$work/live-caps.json" | sort -k1,1 >"$work/caps.st"
new_errors=$(join "$work/full.st" "$work/caps.st" | awk '$3 == "error" && $2 != "error" {print $1}')
check "no rule ends in error only for lack of a capability (${new_errors:-none})" [ -z "$new_errors" ]
join "$work/full.st" "$work/caps.st" | awk '$2 != $3 {print "note: " $1 " is " $2 " as root, " $3 " under the bounding set"}'
denied=$(jq -r '.results[] | select(any((.evidence[]?, .objects[]?.evidence[]?); test("ermission denied"))) | .id' "$work/live-caps.json")
check "no evidence says Permission denied under the bounding set (${denied:-none})" [ -z "$denied" ]

systemd-analyze syscall-filter >"$work/filters.txt" 2>/dev/null
expand() {  # the system calls of filter groups, nested groups expanded
  awk -v want="$1" '
    /^@/ { g = $1; next }
    g != "" && $1 != "" && $1 !~ /^#/ { members[g] = members[g] " " $1 }
    END {
      n = split(want, todo, " "); head = 1
      while (head <= n) {
        x = todo[head++]
        if (x in seen) continue; seen[x] = 1
        if (x ~ /^@/) { m = split(members[x], parts, " "); for (i = 1; i <= m; i++) todo[++n] = parts[i] }
        else print x
      }
    }' "$work/filters.txt" | sort -u
}
allow_sets=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' "$unit" | tr '\n' ' ')
deny_sets=$(sed -n 's/^SystemCallFilter=~\(.*\)/\1/p' "$unit" | tr '\n' ' ')
comm -23 <(expand "$allow_sets") <(expand "$deny_sets") >"$work/allowed.txt"
check "the filter allows system calls ($(wc -l <"$work/allowed.txt") of them)" [ -s "$work/allowed.txt" ]
awk 'NR > 2 && $NF != "total" && $NF !~ /^-/ {print $NF}' "$work/strace.sum" | sort -u >"$work/used.txt"
check "strace counted the scan's system calls ($(wc -l <"$work/used.txt") distinct)" [ "$(wc -l <"$work/used.txt")" -gt 10 ]
outside=$(comm -23 "$work/used.txt" "$work/allowed.txt" | tr '\n' ' ')
check "every system call of a scan is allowed by SystemCallFilter= (outside: ${outside:-none})" [ -z "$outside" ]
# Socket families: a quick scan without the walk rules, tracing socket() alone.
families=$(setting RestrictAddressFamilies)
strace -f -qq -e trace=socket,socketpair -o "$work/strace.net" \
  "$bin" scan --no-config --skip 'host.fs.*' --json "$work/live-net.json" --quiet >/dev/null 2>&1
check "the scan's sockets were traced" [ -s "$work/live-net.json" ]
used_families=$(grep -oE 'socket(pair)?\((AF|PF)_[A-Z0-9]+' "$work/strace.net" | sed 's/.*(//; s/^PF_/AF_/' | sort -u | tr '\n' ' ')
for f in $used_families; do
  check "sockets of family $f are allowed by RestrictAddressFamilies=$families" grep -qw "$f" <<<"$families"
done

phase "sandbox: namespaces"
# (2) What the scan observes: the unit's mount-namespace and network settings, reproduced with
# unshare in namespaces of their own (nothing changes on this machine), must not change a verdict
# of the rules that read them: the mount rules (/proc/self/mountinfo), the listening sockets
# (/proc/net), the sticky bit of world-writable directories (/tmp). Reproduced: ProtectSystem=
# and ProtectKernelTunables= (read-only remounts; the test directory stays writable like a
# ReadWritePaths=), and, should the unit ever set them, PrivateTmp= (fresh /tmp and /var/tmp),
# ProtectHome= (read-only binds, or empty tmpfs), PrivateDevices= (a tmpfs /dev) and
# PrivateNetwork= (an empty network namespace).
cat >"$work/sandbox.sh" <<'SANDBOX'
set -e
work=$1 strict=$2 tunables=$3 ptmp=$4 phome=$5 pdev=$6 out=$7
mount --make-rprivate /
mount --bind "$work" "$work"
exec 8<"$work"   # the test's files (writable), reachable as /proc/self/fd/8 even under a covered /tmp
if [ "$strict" = strict ] || [ "$strict" = full ] || [ "$strict" = yes ]; then
  findmnt -rn -o TARGET | while read -r t; do
    t=$(printf '%b' "$t")
    case "$t" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|"$work") continue ;; esac
    [ "$strict" = strict ] || case "$t" in /usr|/usr/*|/boot|/boot/*|/efi|/efi/*|/etc|/etc/*) ;; *) continue ;; esac
    mount -o remount,bind,ro "$t" 2>/dev/null || true
  done
fi
if [ "$tunables" = yes ]; then mount --bind /proc/sys /proc/sys; mount -o remount,bind,ro /proc/sys; fi
case "$phome" in
  read-only) for d in /home /root /run/user; do
               [ -d "$d" ] && mount --bind "$d" "$d" && mount -o remount,bind,ro "$d"; done ;;
  yes|tmpfs) for d in /home /root /run/user; do [ -d "$d" ] && mount -t tmpfs -o mode=0755 tmpfs "$d"; done ;;
esac
if [ "$pdev" = yes ]; then mount -t tmpfs -o nosuid,mode=0755 tmpfs /dev; fi
if [ "$ptmp" = yes ]; then
  mkdir -p "$work/ptmp/tmp" "$work/ptmp/var-tmp"; chmod 1777 "$work/ptmp/tmp" "$work/ptmp/var-tmp"
  mount --bind "$work/ptmp/var-tmp" /var/tmp
  mount --bind "$work/ptmp/tmp" /tmp
fi
HOSTBENCH_PROFILE_PATH=/proc/self/fd/8/root/usr/share/hostbench/profiles \
  /proc/self/fd/8/root/usr/bin/hostbench scan --no-config --check 'host.mounts.*' \
  --check host.network.listeners --check host.fs.world_writable_dirs --json "/proc/self/fd/8/$out" --quiet
SANDBOX
netns=(); [ "$(setting PrivateNetwork)" = yes ] && netns=(--net)
unshare --mount "${netns[@]}" bash "$work/sandbox.sh" "$work" "$(setting ProtectSystem)" \
  "$(setting ProtectKernelTunables)" "$(setting PrivateTmp)" "$(setting ProtectHome)" \
  "$(setting PrivateDevices)" sandboxed.json >"$work/sandbox.out" 2>&1
kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null
check "a scan runs in the reproduced sandbox ($(tail -c 300 "$work/sandbox.out"))" [ -s "$work/sandboxed.json" ]
jq -r '.results[] | "\(.id) \(.status)"' "$work/sandboxed.json" 2>/dev/null | sort -k1,1 >"$work/sandboxed.st"
check "the reproduced sandbox judged the namespace-reading rules ($(wc -l <"$work/sandboxed.st"))" \
  [ "$(wc -l <"$work/sandboxed.st")" -gt 10 ]
changed=$(join -a1 -e none -o 0,1.2,2.2 "$work/sandboxed.st" "$work/full.st" | awk '$2 != $3 {printf "%s %s (host: %s); ", $1, $2, $3}')
check "the sandbox changes no verdict of the namespace-reading rules (${changed:-none})" [ -z "$changed" ]

phase "cron example"
# --- the cron example -----------------------------------------------------------------------------
cron=$root/usr/share/doc/hostbench/examples/hostbench.cron
check "the cron example has one job, run as root with the config" \
  [ "$(grep -cE '^[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +root +.*/usr/bin/hostbench scan --config /etc/hostbench/config.yaml' "$cron")" -eq 1 ]
check "its command line is valid sh" sh -n -c "$(grep -E '^[0-9*]' "$cron" | sed -E 's/^([^ ]+ +){6}//')"

echo "package_test: $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
finish
