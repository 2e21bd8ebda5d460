#!/usr/bin/env bash
# End-to-end checks of the real binary: exit codes, reports, profile errors, fixture hosts.
# Usage: cli_test.sh HOSTBENCH_BINARY SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d /tmp/hostbench-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$src"   # ./profiles resolves from here
export NO_COLOR=

source "$src/tests/integration/lib.sh"

# --- basic commands -------------------------------------------------------------------------
out=$("$bin" --version); rc=$?
check "--version exits 0" [ $rc -eq 0 ]
check "--version names the tool" grep -q '^hostbench [0-9]' <<<"$out"
"$bin" frobnicate >/dev/null 2>&1; check "unknown command exits 2" [ $? -eq 2 ]
"$bin" scan --jobs zero >/dev/null 2>&1; check "bad --jobs exits 2" [ $? -eq 2 ]
"$bin" scan --help | grep -q -- '--fail-on'; check "scan --help lists options" [ $? -eq 0 ]
for c in list validate profiles; do
  "$bin" $c --help >/dev/null; check "$c --help exits 0" [ $? -eq 0 ]
done
profiles=$("$bin" profiles)
check "profiles lists linux" grep -q '^linux ' <<<"$profiles"
check "profiles lists default" grep -q '^default ' <<<"$profiles"
n=$("$bin" list --profile linux | wc -l)
check "linux has at least 25 rules ($n)" [ "$n" -ge 25 ]
"$bin" validate profiles/*.yaml >/dev/null; check "shipped profiles validate" [ $? -eq 0 ]

# --- a misspelt key: exit 2 with file:line:col, nothing scanned ------------------------------
sed '0,/^    remediation:/s//    remediaton:/' profiles/linux.yaml > "$work/bad.yaml"
line=$(grep -n '^    remediaton:' "$work/bad.yaml" | head -1 | cut -d: -f1)
err=$("$bin" scan --profile "$work/bad.yaml" --json "$work/never.json" 2>&1 >/dev/null); rc=$?
check "misspelt key exits 2" [ $rc -eq 2 ]
check "misspelt key names file:line:col ($err)" grep -q "bad.yaml:$line:5: unknown key 'remediaton'" <<<"$err"
check "nothing written on a profile error" [ ! -e "$work/never.json" ]
"$bin" validate "$work/bad.yaml" >/dev/null 2>&1; check "validate exits 2 on a bad profile" [ $? -eq 2 ]

# --- hardened fixture: passes what it covers ------------------------------------------------
make_fixture hardened "$work/hardened"
"$bin" scan --profile linux --root "$work/hardened" --json "$work/hardened.json" >"$work/hardened.txt"; rc=$?
check "hardened scan exits 0 (got $rc)" [ $rc -eq 0 ]
check "hardened: no fail" [ "$(jq '.summary.fail' "$work/hardened.json")" -eq 0 ]
check "hardened: passes at least 25" [ "$(jq '.summary.pass' "$work/hardened.json")" -ge 25 ]
check "hardened: JSON names the root" [ "$(jq -r '.scan.root' "$work/hardened.json")" = "$work/hardened" ]
check "hardened: schema" [ "$(jq -r '.schema' "$work/hardened.json")" = "hostbench-results/1" ]

# --- weak fixture: fails with evidence naming the file and the value -------------------------
make_fixture weak "$work/weak"
"$bin" scan --profile linux --root "$work/weak" --json "$work/weak.json" >"$work/weak.txt"; rc=$?
check "weak scan exits 1 (got $rc)" [ $rc -eq 1 ]
check "weak: at least 20 failures" [ "$(jq '.summary.fail' "$work/weak.json")" -ge 20 ]
check "weak: every failure has evidence" [ "$(jq '[.results[] | select(.status=="fail") | select((.evidence|length)==0 and (.objects|length)==0)] | length' "$work/weak.json")" -eq 0 ]
check "weak: console shows evidence with a path" grep -q '/etc/' "$work/weak.txt"
check "weak: console shows a fix" grep -q 'fix:' "$work/weak.txt"
for sev in low medium high critical; do
  "$bin" scan --profile linux --root "$work/weak" --quiet --fail-on $sev >/dev/null; rc=$?
  want=$(expected_rc "$work/weak.json" $sev)
  check "weak --fail-on $sev exits $want (got $rc)" [ $rc -eq "$want" ]
done

# --- an empty root: nothing passes ----------------------------------------------------------
mkdir -p "$work/empty"
"$bin" scan --root "$work/empty" --json "$work/empty.json" >/dev/null; rc=$?
check "empty root: no pass" [ "$(jq '.summary.pass' "$work/empty.json")" -eq 0 ]
check "empty root: exit code follows results" [ $rc -eq "$(expected_rc "$work/empty.json")" ]

# --- output options ---------------------------------------------------------------------------
"$bin" scan --profile linux --root "$work/weak" --json - 2>/dev/null > "$work/stdout.json"
check "--json - writes JSON to stdout" jq -e '.results | length > 0' "$work/stdout.json" >/dev/null
q=$("$bin" scan --profile linux --root "$work/weak" --quiet)
check "--quiet prints one line" [ "$(wc -l <<<"$q")" -eq 1 ]
check "no colour when not a terminal" [ "$(grep -c $'\e' "$work/weak.txt")" -eq 0 ]
"$bin" scan --profile linux --root "$work/weak" --check 'host.nosuch.*' >/dev/null 2>&1
check "--check matching nothing exits 2" [ $? -eq 2 ]
"$bin" scan --profile linux --root "$work/weak" --check 'host.ssh.*' --json "$work/ssh.json" >/dev/null
check "--check selects by glob" [ "$(jq '[.results[] | select(.id | startswith("host.ssh.") | not)] | length' "$work/ssh.json")" -eq 0 ]
check "--check kept some rules" [ "$(jq '.results | length' "$work/ssh.json")" -gt 0 ]
echo '{"precious": true}' > "$work/target.json"
ln -s "$work/target.json" "$work/link.json"
"$bin" scan --profile linux --root "$work/weak" --quiet --json "$work/link.json" >/dev/null 2>&1; rc=$?
check "a symlink at the report path does not stop the scan (exit $rc)" [ $rc -eq 1 ]
check "the symlink's target is untouched" grep -q precious "$work/target.json"
check "the report replaced the symlink" [ -f "$work/link.json" -a ! -L "$work/link.json" ]
check "reports are mode 0640" [ "$(stat -c %a "$work/weak.json")" = 640 ]
"$bin" scan --profile linux --root "$work/weak" --quiet --json "$work/no-such-dir/r.json" >/dev/null 2>&1
check "an unwritable report path exits 2" [ $? -eq 2 ]

# --- hostbench report: re-rendering saved results gives the same bytes ---------------------
"$bin" report "$work/weak.json" --quiet --json "$work/again.json"; rc=$?
check "report exits 0" [ $rc -eq 0 ]
check "report re-renders JSON byte for byte" cmp -s "$work/weak.json" "$work/again.json"
printed=$("$bin" report "$work/weak.json")
check "report prints the console summary" grep -q 'rules:' <<<"$printed"
echo '{"schema": "nope"}' > "$work/notresults.json"
"$bin" report "$work/notresults.json" >/dev/null 2>&1
check "report on foreign JSON exits 2" [ $? -eq 2 ]
"$bin" scan --profile linux --root "$work/no-such-dir" >/dev/null 2>&1
check "a missing --root exits 2" [ $? -eq 2 ]

# --- --dockerfile: files and directories, one object per Dockerfile ---------------------------
"$bin" scan --profile images --check 'dockerfile.*' --dockerfile tests/fixtures/dockerfiles/bad \
  --json "$work/df-bad.json" >/dev/null; rc=$?
check "bad Dockerfiles exit 1" [ $rc -eq 1 ]
n=$(jq '[.results[] | select(.id == "dockerfile.no_secrets") | .objects[]] | length' "$work/df-bad.json")
check "a directory is searched for *.Dockerfile (11 files, got $n)" [ "$n" -eq 11 ]
st=$(jq -r '.results[] | select(.id == "dockerfile.no_secrets") | .objects[]
            | select(.id | endswith("/bad/no_secrets.Dockerfile")) | .status' "$work/df-bad.json")
check "bad/no_secrets.Dockerfile fails dockerfile.no_secrets ($st)" [ "$st" = fail ]
for f in tests/fixtures/dockerfiles/good/*.Dockerfile; do
  r=$(basename "$f" .Dockerfile)
  st=$("$bin" scan --profile images --check "dockerfile.$r" --dockerfile "$f" --json - 2>/dev/null |
       jq -r '.results[0].status')
  case "$st" in pass|informational|notapplicable) ok ;; *) bad "good/$r.Dockerfile: dockerfile.$r is $st" ;; esac
done
"$bin" scan --profile images --dockerfile "$work/no-such-Dockerfile" >/dev/null 2>&1
check "a missing --dockerfile exits 2" [ $? -eq 2 ]
st=$("$bin" scan --profile images --check dockerfile.user_nonroot --json - 2>/dev/null | jq -r '.results[0].status')
check "without --dockerfile the Dockerfile rules are notapplicable ($st)" [ "$st" = notapplicable ]

# --- this machine: the scan finishes and its exit code follows its results ------------------
"$bin" scan --json "$work/live.json" >/dev/null; rc=$?
check "live scan wrote results" jq -e '.summary.total > 0' "$work/live.json" >/dev/null
check "live scan exit code ($rc) follows results" [ $rc -eq "$(expected_rc "$work/live.json")" ]

finish
