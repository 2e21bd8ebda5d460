#!/usr/bin/env bash
# Hostile roots, built at test time: an offline root (--root) made by someone who wants the scanner
# to hang, crash, run out of memory, read outside the root, or write an invalid report. For each
# root the default profile is scanned with every report format, and the test asserts that:
#   - the scan finishes within $limit s (enforced with timeout) without a signal, exit 0, 1 or 3;
#   - every report is written and valid: JSON (jq), XCCDF 1.2 and JUnit (xmllint with the
#     schemas), HTML (html5lib, strict), metrics (promtool when installed);
#   - a sentinel file outside the root (its name and content a unique marker) never appears in
#     any report, in the console output or on standard error;
#   - the rules concerned end in `error` or in a verdict that is right for what the root holds;
#   - peak memory (maximum RSS, /usr/bin/time -v) stays under $max_rss_kb; each figure is printed.
# Usage: hostile_roots_test.sh HOSTBENCH_BINARY SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d /tmp/hostbench-hostile-XXXXXX) && [ -d "$work" ] || exit 1
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
cd "$src"   # ./profiles resolves from here
export NO_COLOR=1
source "$src/tests/integration/lib.sh"

py=/usr/bin/python3   # Debian's python, with python3-html5lib (packaging/install-deps.sh --test)
xsd=/usr/share/openscap/schemas/xccdf/1.2/xccdf_1.2.xsd
limit=120                       # seconds per scan, the bound on "no hang"
max_rss_kb=$((256 * 1024))      # 256 MiB
# Under AddressSanitizer (tests/sanitize.sh) memory and time grow severalfold: so do the bounds.
if [ -n "${ASAN_OPTIONS:-}" ] || ldd "$bin" 2>/dev/null | grep -q libasan; then
  limit=600; max_rss_kb=$((1024 * 1024))
fi

# The sentinel: outside every root, files named after a marker no fixture contains, written in
# the formats of the files the escaping links replace, with values the rules echo as evidence
# (a control below checks that they do, once inside a root).
marker="HBSENTINEL$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')"
out_dir="$work/outside"
mkdir -p "$out_dir/$marker.d"
printf 'Banner /etc/%s\nPermitRootLogin yes\nCiphers %s-cbc\n' "$marker" "$marker" > "$out_dir/$marker.sshd"
printf '{"log-level": "%s", "icc": true}\n' "$marker" > "$out_dir/$marker.json"
printf 'PASS_MAX_DAYS 99999\nENCRYPT_METHOD %s\n' "$marker" > "$out_dir/$marker.defs"
printf 'root:x:0:0:root:/root:/bin/bash\n%s:x:0:0::/:/bin/sh\n' "$marker" > "$out_dir/$marker.d/passwd"
printf 'root::19000:0:99999:7:::\n%s::19000:0:99999:7:::\n' "$marker" > "$out_dir/$marker.shadow"
printf 'kernel.randomize_va_space = 0\n' > "$out_dir/$marker.d/99-$marker.conf"
printf '* * * * * root /tmp/%s\n' "$marker" > "$out_dir/$marker.d/$marker"
chmod 0666 "$out_dir/$marker.d/99-$marker.conf" "$out_dir/$marker.d/$marker"  # world-writable: fs rules list them

# A base root: the weak fixture (every parsed host file) with the Docker host's state added.
make_fixture weak "$work/base"
cp -an "$src/tests/fixtures/docker-host/." "$work/base/"
rm -f "$work/base/README.md"
container=$(ls "$work/base/var/lib/docker/containers" | head -1)
cdir=var/lib/docker/containers/$container

# fresh NAME: a new copy of the base root in $r. The cases below delete and replace files under
# "$r/etc/...": r must never be empty or point outside $work, so any failure here ends the test.
fresh() {
  r="$work/roots/$1"
  case "$r" in "$work"/roots/?*) ;; *) echo "bad root '$r'" >&2; exit 1 ;; esac
  mkdir -p "$work/roots" && cp -a "$work/base" "$r" || { echo "cannot copy the base root" >&2; exit 1; }
}

# scan NAME ROOT: the default profile on ROOT, every format; validates what it wrote.
scan() {
  local name=$1 root=$2 out="$work/out/$1"
  mkdir -p "$out"
  /usr/bin/time -v -o "$out/time" timeout -k 5 "$limit" "$bin" scan --root "$root" --jobs 2 \
    --json "$out/r.json" --html "$out/r.html" --xccdf "$out/r.xccdf" --junit "$out/r.junit" \
    --prometheus "$out/r.prom" >"$out/console" 2>"$out/stderr"
  local rc=$?
  [ -s "$out/time" ] && grep -q 'Command terminated by signal' "$out/time" && rc=$((128 + $(sed -n 's/.*signal \([0-9]*\).*/\1/p' "$out/time")))
  check "$name: the scan finished in time without a signal, exit 0/1/3 (got $rc)" \
    [ "$rc" -eq 0 -o "$rc" -eq 1 -o "$rc" -eq 3 ]
  check "$name: JSON results valid" jq -e '.schema == "hostbench-results/1" and (.results | length) > 200' "$out/r.json" >/dev/null
  check "$name: exit code follows the results" [ "$rc" -eq "$(expected_rc "$out/r.json" 2>/dev/null || echo x)" ]
  xmllint --nonet --noout --schema "$xsd" "$out/r.xccdf" 2>"$out/xccdf.err"
  check "$name: XCCDF schema-valid ($(head -c 300 "$out/xccdf.err"))" [ $? -eq 0 ]
  xmllint --nonet --noout --schema "$src/tests/schemas/junit.xsd" "$out/r.junit" 2>/dev/null
  check "$name: JUnit schema-valid" [ $? -eq 0 ]
  "$py" -c 'import html5lib, sys
html5lib.HTMLParser(strict=True).parse(open(sys.argv[1], "rb"))' "$out/r.html" 2>"$out/html.err"
  check "$name: HTML parses strictly ($(tail -1 "$out/html.err"))" [ $? -eq 0 ]
  if command -v promtool >/dev/null; then
    promtool check metrics <"$out/r.prom" >/dev/null 2>&1
    check "$name: metrics valid" [ $? -eq 0 ]
  fi
  for f in r.json r.html r.xccdf r.junit; do
    check "$name: $f is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$out/$f" -o /dev/null
  done
  check "$name: the sentinel outside the root appears nowhere" \
    [ "$(grep -rl "$marker" "$out" | wc -l)" -eq 0 ]
  local rss
  rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$out/time")
  echo "  $name: exit $rc, peak RSS $((rss / 1024)) MiB, $(sed -n 's/^\s*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/time") wall"
  check "$name: peak RSS ${rss} KiB under ${max_rss_kb} KiB" [ "${rss:-999999999}" -lt "$max_rss_kb" ]
  json="$out/r.json"
}

status() { jq -r --arg id "$1" '.results[] | select(.id == $id) | .status' "$json"; }
evidence() { jq -r --arg id "$1" '.results[] | select(.id == $id) | [.evidence[], (.objects[]?.evidence[])] | join(" | ")' "$json"; }
# expect_status ID STATUS...: the rule ended in one of the statuses.
expect_status() {
  local id=$1; shift
  local s; s=$(status "$id")
  local want
  for want in "$@"; do [ "$s" = "$want" ] && { ok; return; }; done
  bad "$case: $id is '$s', expected $* ($(evidence "$id" | head -c 300))"
}
# not_pass ID...: none of the rules passed.
not_pass() { local id; for id in "$@"; do
  local s; s=$(status "$id"); check "$case: $id is not pass (got '$s')" [ -n "$s" -a "$s" != pass ]; done; }

echo "hostile roots (default profile, bound ${limit} s, ${max_rss_kb} KiB):"

# --- 0. the base itself: the reference verdicts ---------------------------------------------
case=base; scan base "$work/base"
base_json=$json
check "base: some rules pass and some fail" [ "$(jq '.summary.pass > 10 and .summary.fail > 10' "$json")" = true ]

# --- 1. symlink loops -------------------------------------------------------------------------
case=symlink_loops; fresh $case
rm -f "$r/etc/ssh/sshd_config" "$r/etc/passwd" "$r/etc/docker/daemon.json" "$r/proc/self/mountinfo"
ln -s sshd_config "$r/etc/ssh/sshd_config"                    # itself
ln -s passwd.b "$r/etc/passwd"; ln -s passwd "$r/etc/passwd.b"  # a cycle of two
ln -s ../docker/daemon.json "$r/etc/docker/daemon.json"       # itself, through ..
ln -s /proc/self/mountinfo "$r/proc/self/mountinfo"           # itself, absolute
ln -s . "$r/etc/sysctl.d/loop.d"                              # directory loops for walks and globs
ln -s .. "$r/etc/ssh/sshd_config.d/up"
ln -s /tmp "$r/tmp/again"
ln -s "$(printf 'x/%.0s' $(seq 1 50))" "$r/tmp/x"               # 50 hops of x -> x/x/...
scan $case "$r"
expect_status host.ssh.permit_root_login error
expect_status host.files.sshd_config error fail
expect_status host.files.passwd error fail
expect_status docker.daemon.icc error
expect_status host.accounts.uid0_only_root error
expect_status host.mounts.tmp_separate error
check "$case: the loop is named in the evidence" grep -q 'Too many levels of symbolic links' <(evidence host.ssh.permit_root_login)

# --- 2. symlinks out of the root (absolute, .., to /, to the sentinel) -------------------------
case=escaping_symlinks; fresh $case
up=$(printf '../%.0s' $(seq 1 30))
rm -rf "$r/etc/shadow" "$r/etc/passwd" "$r/etc/ssh/sshd_config" "$r/etc/docker/daemon.json" \
  "$r/etc/login.defs" "$r/etc/group" "$r/$cdir/config.v2.json" "$r/etc/motd" \
  "$r/etc/sysctl.d" "$r/etc/cron.d" "$r/srv/shared"
ln -s "$out_dir/$marker.shadow" "$r/etc/shadow"                        # absolute
ln -s "${up}${out_dir#/}/$marker.d/passwd" "$r/etc/passwd"             # .. far above the root
ln -s "${up}${out_dir#/}/$marker.sshd" "$r/etc/ssh/sshd_config"
ln -s "/proc/self/root$out_dir/$marker.json" "$r/etc/docker/daemon.json"  # through the host's /proc
ln -s "/proc/1/cwd$out_dir/$marker.defs" "$r/etc/login.defs"
ln -s "${up}etc/group" "$r/etc/group"                                  # the host's own /etc/group
ln -s "$out_dir/$marker.json" "$r/$cdir/config.v2.json"
ln -s "/proc/1/root$out_dir/$marker.sshd" "$r/etc/motd"
ln -s "$out_dir/$marker.d" "$r/etc/sysctl.d"                           # directories out of the root
ln -s "${up}${out_dir#/}/$marker.d" "$r/etc/cron.d"
ln -s / "$r/srv/shared"
ln -s "$out_dir" "$r/tmp/out"
scan $case "$r"
expect_status host.files.shadow error fail
not_pass host.accounts.no_empty_passwords host.accounts.uid0_only_root host.accounts.pass_max_days \
  host.accounts.encrypt_method docker.daemon.icc host.kernel.aslr host.accounts.groups_exist
# The control: the same files inside a root do reach the evidence, so their absence above means
# the links were not followed out of the root.
case=sentinel_inside; fresh $case
cp "$out_dir/$marker.shadow" "$r/etc/shadow"
cp "$out_dir/$marker.d/passwd" "$r/etc/passwd"
cp "$out_dir/$marker.sshd" "$r/etc/ssh/sshd_config"
cp "$out_dir/$marker.json" "$r/etc/docker/daemon.json"
cp "$out_dir/$marker.defs" "$r/etc/login.defs"
cp -a "$out_dir/$marker.d/." "$r/etc/sysctl.d/"
cp -a "$out_dir/$marker.d/." "$r/etc/cron.d/"
out="$work/out/$case"; mkdir -p "$out"
"$bin" scan --root "$r" --json "$out/r.json" >/dev/null 2>&1
json="$out/r.json"
check "$case (control): the marker reaches the evidence from inside a root ($(grep -o "$marker" "$json" | wc -l) times)" \
  [ "$(grep -o "$marker" "$json" | wc -l)" -ge 5 ]
expect_status host.accounts.uid0_only_root fail
expect_status host.accounts.no_empty_passwords fail

# --- 3. 2 GiB sparse files where small configs are expected -----------------------------------
case=sparse; fresh $case
sparse_files=(etc/ssh/sshd_config etc/docker/daemon.json var/lib/dpkg/status etc/passwd etc/shadow
  etc/group etc/login.defs etc/fstab etc/pam.d/common-password etc/sysctl.d/30-debug.conf
  etc/modprobe.d/usb-storage.conf proc/self/mountinfo proc/net/tcp proc/modules
  "$cdir/config.v2.json" "$cdir/hostconfig.json" lib/systemd/system/docker.service
  etc/apt/sources.list var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease
  proc/sys/kernel/randomize_va_space)
for f in "${sparse_files[@]}"; do rm -f "$r/$f"; truncate -s 2G "$r/$f"; done
# an uncompressed apt list of 2 GiB too
rm -f "$r"/var/lib/apt/lists/*_Packages.gz
truncate -s 2G "$r/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"
scan $case "$r"
for id in host.ssh.permit_root_login host.ssh.log_level docker.daemon.icc docker.daemon.log_level \
  host.packages.unwanted host.accounts.uid0_only_root host.accounts.no_empty_passwords \
  host.accounts.pass_max_days host.network.listeners host.mounts.tmp_separate; do
  expect_status $id error
done
check "$case: the evidence says the file is too large" grep -q 'larger than' <(evidence host.ssh.permit_root_login)

# --- 4. FIFOs and character devices where configs are expected (no hang) ----------------------
case=fifo_device; fresh $case
for f in etc/ssh/sshd_config etc/docker/daemon.json var/lib/dpkg/status etc/passwd "$cdir/config.v2.json" \
  etc/sysctl.d/30-debug.conf proc/net/tcp; do rm -f "$r/$f"; mkfifo "$r/$f"; done
for f in etc/shadow etc/login.defs proc/self/mountinfo "$cdir/hostconfig.json" etc/group; do
  rm -f "$r/$f"; mknod "$r/$f" c 1 5          # /dev/zero: endless
done
rm -f "$r/etc/fstab"; mknod "$r/etc/fstab" c 5 0   # /dev/tty
mkfifo "$r/tmp/fifo" "$r/srv/fifo"; mknod "$r/tmp/zero" c 1 5; chmod 0666 "$r/tmp/zero" "$r/tmp/fifo"
scan $case "$r"
for id in host.ssh.permit_root_login docker.daemon.icc host.packages.unwanted host.accounts.uid0_only_root \
  host.accounts.no_empty_passwords host.accounts.pass_max_days host.network.listeners host.mounts.tmp_separate; do
  expect_status $id error
done
check "$case: the evidence names the file type" grep -qE 'is a (fifo|char_device)' <(evidence host.ssh.permit_root_login; evidence host.accounts.no_empty_passwords)

# --- 5. binary garbage in every parsed file ---------------------------------------------------
case=garbage; fresh $case
"$py" - "$r" <<'EOF'
import os, random, sys
root = sys.argv[1]
rnd = random.Random(7)
n = 0
for d, dirs, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        if os.path.islink(p) or not os.path.isfile(p):
            continue
        size = os.path.getsize(p)
        # random bytes, NULs, a 200 KB line, and text-like noise with = : { [ that parsers look for
        data = bytes(rnd.getrandbits(8) for _ in range(min(max(size, 512), 16384)))
        data += b"\x00" * 64 + b"A" * 200000 + b"\n" + b"{[{[\"=:\n" * 100 + bytes(range(256))
        with open(p, "wb") as fh:
            fh.write(data)
        n += 1
print(f"  garbage: {n} files replaced", file=sys.stderr)
EOF
scan $case "$r"
for id in docker.daemon.icc docker.daemon.log_level host.packages.unwanted host.packages.security-updates \
  host.network.listeners host.mounts.tmp_separate host.accounts.uid0_only_root \
  host.accounts.no_empty_passwords docker.container.privileged docker.container.user \
  host.modules.cramfs host.modules.usb_storage host.fs.unowned host.fs.ungrouped \
  host.accounts.users_pass_max_days; do
  expect_status $id error
done

# --- 6. JSON nested 100,000 deep -------------------------------------------------------------
case=deep_json; fresh $case
"$py" -c 'import sys; sys.stdout.write("{\"a\":" * 100000 + "1" + "}" * 100000)' > "$r/etc/docker/daemon.json"
"$py" -c 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000)' > "$r/$cdir/config.v2.json"
"$py" -c 'import sys; sys.stdout.write("{\"HostConfig\":" + "[" * 100000 + "]" * 100000 + "}")' > "$r/$cdir/hostconfig.json"
scan $case "$r"
for id in docker.daemon.icc docker.daemon.log_level docker.daemon.consistent; do expect_status $id error; done
for id in docker.container.privileged docker.container.user docker.container.capabilities; do
  expect_status $id error
done
check "$case: the evidence names the depth limit" grep -qi 'deep\|depth\|nest' <(evidence docker.daemon.icc)

# --- 7. a million-line /proc/net/tcp (and 200,000 more sockets in /proc/net/udp) -------------
case=proc_net_million; fresh $case
"$py" - "$r/proc/net/tcp" "$r/proc/net/udp" <<'EOF'
import sys
head = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
for path, n, state in ((sys.argv[1], 999999, "0A"), (sys.argv[2], 200000, "07")):
    with open(path, "w") as f:
        f.write(head)
        for i in range(n):
            f.write("%4d: 0100007F:%04X 00000000:0000 %s 00000000:00000000 00:00000000 00000000     0        0 %d 1 0000000000000000 100 0 0 10 0\n" % (i, 1024 + i % 60000, state, 100000 + i))
EOF
echo "  proc_net_million: /proc/net/tcp has $(wc -l < "$r/proc/net/tcp") lines, $(($(stat -c %s "$r/proc/net/tcp") / 1048576)) MiB"
scan $case "$r"
# 1.2 million sockets in all: past the scanner's cap, so the table is not judged (a partial table
# would be a guess).
expect_status host.network.listeners error
check "$case: the evidence names the cap" grep -q 'more than 1000000 sockets' <(evidence host.network.listeners)
# With /proc/net/tcp alone, its million lines are read and judged: every socket is on loopback,
# so nothing is exposed.
rm -f "$r/proc/net/udp" "$r/proc/net/tcp6" "$r/proc/net/udp6"
scan ${case}_tcp_only "$r"
expect_status host.network.listeners pass
check "$case: every socket was seen" grep -q '60000 listening sockets' <(evidence host.network.listeners)

# --- 8. file names with newlines, invalid UTF-8, escapes, 255 bytes --------------------------
case=weird_names; fresh $case
long=$(printf 'n%.0s' $(seq 1 250))
for d in tmp srv etc/cron.d etc/sysctl.d etc/ssh/sshd_config.d home/olduser etc/security; do
  for n in $'new\nline.conf' $'bad\xff\xfeutf8.conf' $'esc\e[31mred.conf' $'tab\there.conf' \
           '<img src=x onerror=alert(1)>.conf' ']]>&amp;.conf' "$long.conf" '-rf .conf'; do
    printf 'X=1\n' > "$r/$d/$n" && chmod 0777 "$r/$d/$n"
  done
done
mkdir -p "$r/srv/"$'dir\nwith\nnewlines' && chmod 0777 "$r/srv/"$'dir\nwith\nnewlines'
printf 'x' > "$r/srv/"$'dir\nwith\nnewlines/'$'\xc0\xaf' && chmod 4755 "$r/srv/"$'dir\nwith\nnewlines/'$'\xc0\xaf'
scan $case "$r"
expect_status host.fs.world_writable_files fail
expect_status host.fs.setuid fail
check "$case: a name with a newline is listed as an object, the newline escaped" \
  jq -e '[.results[] | select(.id == "host.fs.world_writable_files") | .objects[].id] | any(contains("/tmp/new\\x0aline.conf"))' "$json" >/dev/null
check "$case: invalid UTF-8 in a name became U+FFFD in JSON" \
  jq -e '[.results[] | select(.id == "host.fs.world_writable_files") | .objects[].id] | any(contains("bad\ufffd"))' "$json" >/dev/null
check "$case: no raw escape or <img in the reports" \
  [ "$(grep -c $'\e\\|<img src=x' "$work/out/$case/r.html" "$work/out/$case/r.xccdf" "$work/out/$case/r.junit" | awk -F: '{s+=$2} END {print s}')" -eq 0 ]

finish
