#!/usr/bin/env bash
# Malformed profiles: each file under tests/profiles/bad/ holds one mistake, and its first line
# says which and what the error must say:  # WHAT IS WRONG; expect: FRAGMENT[; line: N]
# A few more are made at test time (a FIFO, a directory, a device, a file past the size cap,
# nesting 100,000 deep, a 200,000-character rule id). For each, `hostbench validate FILE` and
# `hostbench scan --profile FILE --root FIXTURE` with every report asked for must:
#   exit 2 (not a signal, not a hang: each run is bounded to 5 s by timeout), print the file's
#   name (with :LINE: where the mistake has a line) and the fragment on standard error, and
#   write nothing: no report, no --output-dir.
# Usage: bad_profiles_test.sh HOSTBENCH_BINARY SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d /tmp/hostbench-badprof-XXXXXX) && [ -d "$work" ] || exit 1
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
cd "$src"   # ./profiles resolves from here (extends: [linux])
export NO_COLOR=1
source "$src/tests/integration/lib.sh"
bad_dir="$src/tests/profiles/bad"

make_fixture weak "$work/root"

# try FILE FRAGMENT [LINE]: validate and scan must both refuse FILE.
try() {
  local file=$1 frag=$2 line=${3:-} name out rc
  name=$(basename "$file")
  out="$work/out/$name"
  mkdir -p "$out"
  timeout -k 1 5 "$bin" validate "$file" >"$out/validate.out" 2>"$out/validate.err"
  rc=$?
  check "$name: validate exits 2 (got $rc$([ $rc -ge 124 ] && echo ': timeout or signal'))" [ $rc -eq 2 ]
  check "$name: validate names the file ($(head -c 200 "$out/validate.err"))" grep -qF -- "$file" "$out/validate.err"
  check "$name: validate says '$frag' ($(head -c 300 "$out/validate.err"))" grep -qF -- "$frag" "$out/validate.err"
  [ -n "$line" ] && check "$name: validate names line $line ($(head -c 200 "$out/validate.err"))" \
    grep -qF -- "$file:$line:" "$out/validate.err"
  timeout -k 1 5 "$bin" scan --profile "$file" --root "$work/root" --json "$out/r.json" \
    --html "$out/r.html" --xccdf "$out/r.xccdf" --junit "$out/r.junit" --output-dir "$out/history" \
    >"$out/scan.out" 2>"$out/scan.err"
  rc=$?
  check "$name: scan exits 2 (got $rc$([ $rc -ge 124 ] && echo ': timeout or signal'))" [ $rc -eq 2 ]
  check "$name: scan says '$frag' ($(head -c 300 "$out/scan.err"))" grep -qF -- "$frag" "$out/scan.err"
  check "$name: nothing scanned, no report written" \
    [ ! -e "$out/r.json" -a ! -e "$out/r.html" -a ! -e "$out/r.xccdf" -a ! -e "$out/r.junit" -a ! -e "$out/history" -a ! -s "$out/scan.out" ]
}

n=0
for f in "$bad_dir"/*.yaml; do
  # The first line, as text (UTF-16 files: NULs and the byte order mark dropped).
  head=$(head -n1 "$f" | LC_ALL=C tr -d '\000\376\377')
  frag=$(sed -n 's/.*; expect: \(.*\)$/\1/p' <<<"$head" | sed 's/; line: [0-9]*$//')
  line=$(sed -n 's/.*; line: \([0-9]*\)$/\1/p' <<<"$head")
  if [ -z "$frag" ]; then bad "$(basename "$f"): no '; expect: FRAGMENT' on its first line"; continue; fi
  try "$f" "$frag" "$line"
  n=$((n + 1))
done
check "at least 50 malformed profiles were tried ($n)" [ "$n" -ge 50 ]

# --- made at test time --------------------------------------------------------------------
gen="$work/gen"
mkdir -p "$gen"
mkfifo "$gen/fifo.yaml"
try "$gen/fifo.yaml" "not a regular file"
mkdir "$gen/directory.yaml"
try "$gen/directory.yaml" "not a regular file"
ln -s /dev/zero "$gen/zero.yaml"
try "$gen/zero.yaml" "not a regular file"
# Past the profile size cap (8 MiB): a valid start and a long comment.
{ head -n 20 "$src/profiles/linux.yaml"; /usr/bin/python3 -c 'print("#" + "x" * (9 << 20))'; } > "$gen/huge.yaml"
try "$gen/huge.yaml" "larger than 8388608 bytes"
# 100,000 levels of nesting in a variable.
/usr/bin/python3 -c '
print("profile: {id: deep, title: T, version: \"1\"}\nvars:\n  deep: " + "[" * 100000 + "]" * 100000 + "\nrules: []")' > "$gen/deep100k.yaml"
try "$gen/deep100k.yaml" "nested more than 64 levels deep" 3
# A 200,000-character rule id (libstdc++'s std::regex overflowed the stack on it).
/usr/bin/python3 -c '
print("profile: {id: longid, title: T, version: \"1\"}\nrules:\n  - id: " + "a" * 200000 + "\n    title: T\n    rationale: R\n    remediation: F\n    severity: low\n    check: { probe: file, path: /etc/passwd, expect: { mode: \"0644\" } }")' > "$gen/longid.yaml"
try "$gen/longid.yaml" "is not a valid rule id" 3
# A 200,000-character "${..." in a value (the same std::regex, in variable substitution).
/usr/bin/python3 -c '
print("profile: {id: longvar, title: T, version: \"1\"}\nrules:\n  - id: a.b\n    title: T\n    rationale: R\n    remediation: F\n    severity: low\n    check: { probe: file, path: \"${" + "a" * 200000 + "}\", expect: { mode: \"0644\" } }")' > "$gen/longvar.yaml"
try "$gen/longvar.yaml" "unknown variable" 8

finish
