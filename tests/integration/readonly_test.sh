#!/usr/bin/env bash
# The read-only guarantee: a scan changes nothing on the host it scans; it writes its reports (and
# their temporary files, the --output-dir history, its lock and latest.* links) in the
# directories it was given, and runs no program but itself and the documented commands below.
#   1. A fixture root is hashed (every entry's type, mode, owner, size, mtime and ctime, the
#      content of files and the target of symlinks; atimes are left out, since reading moves
#      them) before and after a full scan that writes every format outside it: identical.
#   2. A scan of the live host runs under strace (-f -e trace=%file,%process -y); the log must
#      show no open for writing (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC), unlink, rename, mkdir,
#      rmdir, chmod, chown, link, symlink, mknod, truncate or utime outside the report
#      directories, and no execve but the binary's own.
# Usage: readonly_test.sh HOSTBENCH_BINARY SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d /tmp/hostbench-readonly-XXXXXX) && [ -d "$work" ] || exit 1
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
cd "$src"   # ./profiles resolves from here
export NO_COLOR=1
source "$src/tests/integration/lib.sh"
py=/usr/bin/python3

# Commands a scan may run, each with the reason it is needed. A probe that runs a program must
# add it here (and to engine/command_runner.hpp's comment), or this test fails.
#   (none: every shipped probe reads files and kernel interfaces; the Docker Engine API is asked
#    over its unix socket, not through the docker CLI)
allowed_exec=("$bin")

hash_tree() {  # hash_tree DIR: one line per entry, sorted
  "$py" - "$1" <<'EOF'
import hashlib, os, stat, sys
root = sys.argv[1]
out = []
for d, dirs, files in os.walk(root, followlinks=False):
    for name in dirs + files:
        p = os.path.join(d, name)
        st = os.lstat(p)
        rel = os.path.relpath(p, root).encode("utf-8", "surrogateescape").hex()
        what = ""
        if stat.S_ISREG(st.st_mode):
            with open(p, "rb") as f:
                what = hashlib.sha256(f.read()).hexdigest()
        elif stat.S_ISLNK(st.st_mode):
            what = os.readlink(p).encode("utf-8", "surrogateescape").hex()
        elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            what = "%d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))
        out.append("%s %o %d %d %d %d %d %s" % (rel, st.st_mode, st.st_uid, st.st_gid, st.st_size,
                                                 st.st_mtime_ns, st.st_ctime_ns, what))
st = os.lstat(root)
out.append(". %o %d %d %d %d" % (st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns, st.st_ctime_ns))
print("\n".join(sorted(out)))
EOF
}

# --- 1. a fixture tree, hashed before and after a full scan ----------------------------------
root="$work/root"
make_fixture weak "$root"
cp -an "$src/tests/fixtures/docker-host/." "$root/"
# What a walk might be tempted to touch: special files, loops, links out, odd names, a Dockerfile.
mkfifo "$root/tmp/fifo"
mknod "$root/tmp/zero" c 1 5
ln -s . "$root/tmp/loop"
ln -s /etc/shadow "$root/tmp/abs-link"
ln -s ../../../../../../../../etc/passwd "$root/tmp/up-link"
printf x > "$root/tmp/"$'new\nline' && chmod 0777 "$root/tmp/"$'new\nline'
printf x > "$root/srv/suid" && chmod 4755 "$root/srv/suid"
mkdir -p "$root/srv/app" && printf 'FROM scratch\nADD . /\nUSER root\n' > "$root/srv/app/Dockerfile"
"$py" -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()' "$root/tmp/sock"
sync
before=$(hash_tree "$root")
out="$work/out"
mkdir -p "$out"
"$bin" scan --root "$root" --dockerfile "$root/srv/app" --json "$out/r.json" --html "$out/r.html" \
  --xccdf "$out/r.xccdf" --junit "$out/r.junit" --prometheus "$out/r.prom" \
  --output-dir "$out/history" --keep 1 >"$out/console" 2>"$out/stderr"
rc=$?
check "fixture scan finished (exit $rc)" [ $rc -le 3 ]
check "fixture scan wrote its JSON" jq -e '.results | length > 200' "$out/r.json" >/dev/null
check "fixture scan wrote its history" [ -e "$out/history/latest.json" ]
after=$(hash_tree "$root")
check "the fixture tree is unchanged by the scan ($(diff <(echo "$before") <(echo "$after") | head -5))" \
  [ "$before" = "$after" ]
check "the hash covers the tree ($(wc -l <<<"$before") entries)" [ "$(wc -l <<<"$before")" -gt 250 ]

# --- 2. the live host under strace ----------------------------------------------------------
if ! command -v strace >/dev/null; then
  bad "strace is missing (packaging/install-deps.sh --test installs it)"
  finish; exit
fi
live="$work/live"
mkdir -p "$live/history"
log="$work/strace.log"
# -y shows the path behind every descriptor (openat(5</etc>, "x", ...)), -qq hides attach notes.
# (LeakSanitizer stops the world with ptrace, which fails under strace: no leak check here.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -f -qq -y -s 4096 -e trace=%file,%process -o "$log" \
  "$bin" scan --json "$live/r.json" --html "$live/r.html" --xccdf "$live/r.xccdf" \
  --junit "$live/r.junit" --prometheus "$live/m.prom" --output-dir "$live/history" \
  >"$live/console" 2>"$live/stderr"
rc=$?
check "live scan under strace finished (exit $rc)" [ $rc -le 3 ]
check "live scan wrote its reports" [ -s "$live/r.json" -a -s "$live/r.html" -a -s "$live/m.prom" -a -e "$live/history/latest.json" ]
echo "  strace log: $(wc -l < "$log") lines"

# The checker: reads an strace log, prints "# opens checked: N; execs: ..." and then one line
# per violation.
cat >"$work/check_log.py" <<'EOF'
import os, re, sys
log, allowed_dir, *allowed_exec = sys.argv[1:]
allowed_dir = os.path.realpath(allowed_dir)

def unquote(s):
    # strace's C-like quoting: \" \\ \n \t \xNN \NNN
    out = bytearray()
    i = 0
    b = s.encode("latin-1", "replace")
    while i < len(b):
        c = b[i]
        if c == 0x5C and i + 1 < len(b):
            n = chr(b[i + 1])
            if n == "x":
                out.append(int(b[i + 2:i + 4], 16)); i += 4; continue
            if n.isdigit():
                j = i + 1
                while j < len(b) and j < i + 4 and chr(b[j]).isdigit(): j += 1
                out.append(int(b[i + 1:j], 8)); i = j; continue
            out.append({"n": 10, "t": 9, "r": 13, "v": 11, "f": 12}.get(n, ord(n))); i += 2; continue
        out.append(c); i += 1
    return out.decode("utf-8", "surrogateescape")

# The path arguments of a call, each joined to the descriptor before it (strace -y prints
# "5</etc>"; AT_FDCWD and no descriptor mean the working directory).
token = re.compile(r'(-?\d+)<((?:[^>\\]|\\.)*)>|(AT_FDCWD)|"((?:[^"\\]|\\.)*)"')
def paths(args, cwd):
    out, base = [], cwd
    for fd, fdpath, atcwd, string in token.findall(args):
        if fd:
            base = unquote(fdpath)
        elif atcwd:
            base = cwd
        else:
            s = unquote(string)
            out.append(os.path.normpath(s if s.startswith("/") else os.path.join(base, s)))
    return out

def inside(p):
    return p == allowed_dir or p.startswith(allowed_dir + "/")

modifying = {"unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir",
             "chmod", "fchmodat", "fchmodat2", "chown", "lchown", "fchownat", "link", "linkat",
             "symlink", "symlinkat", "mknod", "mknodat", "truncate", "utime", "utimes",
             "utimensat", "futimesat", "setxattr", "lsetxattr", "removexattr", "lremovexattr"}
write_flags = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC")
violations, execs, opens_checked, cwd = [], [], 0, os.getcwd()
pending = {}  # pid -> first half of an unfinished call
for raw in open(log, encoding="latin-1"):
    line = raw.rstrip("\n")
    m = re.match(r"^(\d+)\s+(.*)$", line)
    if not m: continue
    pid, rest = m.groups()
    if rest.endswith("<unfinished ...>"):
        pending[pid] = rest[: -len("<unfinished ...>")]
        continue
    r = re.match(r"^<\.\.\. (\w+) resumed>(.*)$", rest)
    if r:
        rest = pending.pop(pid, r.group(1) + "(") + r.group(2)
    c = re.match(r"^(\w+)\((.*)\)\s+=\s+(-?\d+|\?)", rest)
    if not c: continue
    name, args, ret = c.groups()
    failed = " [failed]" if ret.startswith("-") else ""
    if name in ("execve", "execveat"):
        ps = paths(args, cwd)
        prog = ps[0] if ps else "?"
        execs.append(prog)
        if prog not in allowed_exec:
            violations.append("exec of %s (not a documented command)%s" % (prog, failed))
        continue
    if name in ("open", "openat", "openat2", "creat"):
        opens_checked += 1
        ps = paths(args, cwd)
        if ps and (name == "creat" or write_flags.search(args)) and not inside(ps[0]):
            violations.append("%s for writing: %s (%s)%s" % (name, ps[0], args[:200], failed))
        continue
    if name in modifying:
        ps = paths(args, cwd)
        if name in ("symlink", "symlinkat"):
            ps = ps[1:]  # the first string is the link's target text, not a path written to
        for p in ps:
            if not inside(p):
                violations.append("%s %s%s" % (name, p, failed))
print("# opens checked: %d; execs: %s" % (opens_checked, ", ".join(execs) or "none"))
for v in violations:
    print(v)
EOF
# First a control: a shell that writes, renames, chmods and removes outside the allowed
# directory, and execs programs. The checker must see each of these.
ctl="$work/control"
mkdir -p "$ctl/allowed" "$ctl/elsewhere"
strace -f -qq -y -s 4096 -e trace=%file,%process -o "$work/control.log" /bin/sh -c "
  echo x > '$ctl/allowed/ok'; mv '$ctl/allowed/ok' '$ctl/allowed/ok2'
  echo x > '$ctl/elsewhere/a'; mv '$ctl/elsewhere/a' '$ctl/elsewhere/b'; chmod 600 '$ctl/elsewhere/b'
  mkdir '$ctl/elsewhere/d'; ln -s /etc/passwd '$ctl/elsewhere/l'; rm '$ctl/elsewhere/b'; touch '$ctl/elsewhere/t'"
"$py" "$work/check_log.py" "$work/control.log" "$ctl/allowed" /bin/sh >"$work/control.violations"
for what in "open.* for writing: $ctl/elsewhere/a" "rename.* $ctl/elsewhere/a" "chmod.* $ctl/elsewhere/b" \
  "mkdir.* $ctl/elsewhere/d" "symlink.* $ctl/elsewhere/l" "unlink.* $ctl/elsewhere/b" "exec of [^ ]*/touch" \
  "exec of [^ ]*/mv"; do
  check "control: the checker reports '$what'" grep -qE -- "$what" "$work/control.violations"
done
check "control: writes in the allowed directory are not reported" \
  [ "$(grep -c "$ctl/allowed" "$work/control.violations")" -eq 0 ]

"$py" "$work/check_log.py" "$log" "$live" "${allowed_exec[@]}" >"$work/violations"
summary=$(head -1 "$work/violations")
echo "  $summary"
nviol=$(grep -vc '^#' "$work/violations")
check "live scan: no write, unlink, rename, mkdir, chmod, chown or exec outside the report paths ($(grep -v '^#' "$work/violations" | head -5 | tr '\n' ';'))" \
  [ "$nviol" -eq 0 ]
check "live scan: strace saw the opens (the log is not empty)" \
  [ "$(sed -n 's/^# opens checked: \([0-9]*\).*/\1/p' "$work/violations")" -gt 1000 ]
check "live scan: the binary's own execve was seen" grep -q "execs: $bin" "$work/violations"

finish
