#!/usr/bin/env bash
# Scans as an unprivileged user (nobody: setpriv --reuid=65534 --regid=65534 --clear-groups).
#   - On a fixture root (root-owned, /etc/shadow and /etc/gshadow 0640 root:shadow as on Debian)
#     the scan completes, and no rule reaches a verdict that root would not reach: every rule
#     nobody judges (pass or fail) has root's status; the rules that read root-only files are
#     `error`, their evidence saying "Permission denied (run as root)".
#   - The console says how many rules could not be checked and why.
#   - The same fixture copied below a directory nobody cannot enter: exit 2, a clear message.
#   - The live host: the scan completes (exit 0, 1 or 3) with every report, and the /etc/shadow
#     rules are `error` with the hint, never pass or fail.
# Usage: nonroot_test.sh HOSTBENCH_BINARY SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d /tmp/hostbench-nonroot-XXXXXX) && [ -d "$work" ] || exit 1
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
cd "$src"   # ./profiles resolves from here
export NO_COLOR=1
source "$src/tests/integration/lib.sh"

if [ "$(id -u)" -ne 0 ]; then echo "nonroot_test: needs root (to become nobody)"; exit 77; fi
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
if ! as_nobody test -x "$bin" || ! as_nobody test -r "$src/profiles/default.yaml"; then
  bad "nobody cannot run $bin or read $src/profiles (the test needs both)"; finish; exit
fi
chmod 0755 "$work"
out="$work/out"
mkdir -p "$out" && chown 65534:65534 "$out"

# Rules that must never be judged without root, on the fixture: they read /etc/shadow.
shadow_rules=(host.accounts.no_empty_passwords host.accounts.users_pass_max_days
              host.accounts.users_pass_warn_age host.accounts.users_inactive)

# --- 1. a fixture root: nobody's verdicts are root's, or error ---------------------------------
fx="$work/fixture"
make_fixture hardened "$fx"
cp -an "$src/tests/fixtures/docker-host/." "$fx/"
chmod 0700 "$fx/var/lib/docker" 2>/dev/null   # as dockerd leaves it (0710 root:root)
for f in /etc/shadow /etc/gshadow /etc/shadow- /etc/gshadow-; do
  [ -e "$fx$f" ] && chown root:42 "$fx$f" && chmod 0640 "$fx$f"
done
"$bin" scan --root "$fx" --json "$out/root.json" >/dev/null 2>&1
check "fixture as root: scanned" jq -e '.results | length > 200' "$out/root.json" >/dev/null
as_nobody "$bin" scan --root "$fx" --json "$out/nobody.json" --html "$out/nobody.html" \
  --xccdf "$out/nobody.xccdf" --junit "$out/nobody.junit" >"$out/nobody.txt" 2>"$out/nobody.err"
rc=$?
check "fixture as nobody: completes, exit 0/1/3 (got $rc; $(head -c 300 "$out/nobody.err"))" [ $rc -le 3 -a $rc -ne 2 ]
check "fixture as nobody: every report written" [ -s "$out/nobody.json" -a -s "$out/nobody.html" -a -s "$out/nobody.xccdf" -a -s "$out/nobody.junit" ]
check "fixture as nobody: the scan says who ran it" [ "$(jq -r '.scan.user' "$out/nobody.json")" != root ]
# Every rule nobody judged, judged as root did.
jq -r --slurpfile root "$out/root.json" '
  ($root[0].results | map({(.id): .status}) | add) as $r
  | .results[] | select(.status == "pass" or .status == "fail" or .status == "waived")
  | select(.status != $r[.id]) | "\(.id): nobody \(.status), root \($r[.id])"' "$out/nobody.json" >"$out/differ"
check "fixture as nobody: no pass or fail that root does not give ($(head -5 "$out/differ" | tr '\n' ';'))" [ ! -s "$out/differ" ]
for id in "${shadow_rules[@]}"; do
  s=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .status' "$out/nobody.json")
  check "fixture as nobody: $id is error (got '$s')" [ "$s" = error ]
  check "fixture as nobody: $id says Permission denied (run as root)" \
    jq -e --arg id "$id" '.results[] | select(.id == $id) | .evidence | any(contains("/etc/shadow: Permission denied (run as root)"))' "$out/nobody.json" >/dev/null
done
n_err=$(jq '.summary.error' "$out/nobody.json")
n_denied=$(jq '[.results[] | select(.status == "error") | select([.evidence[], (.objects[]? | select(.status == "error") | .evidence[])] | any(test("[Pp]ermission denied")))] | length' "$out/nobody.json")
check "fixture as nobody: some rules are in error for want of root ($n_denied of $n_err)" [ "$n_denied" -ge ${#shadow_rules[@]} ]
line=$(grep -E '^[0-9]+ rules? in error: ' "$out/nobody.txt")
echo "  nobody on the fixture: $line"
check "fixture as nobody: the console counts the rules in error by cause ($line)" \
  grep -qE "^$n_err rules? in error: $n_denied permission denied \(run as root\)" <<<"$line"

# --- 2. the fixture where nobody cannot even enter -------------------------------------------
mkdir -m 0700 "$work/private"
cp -a "$fx" "$work/private/fixture"
as_nobody "$bin" scan --root "$work/private/fixture" --json "$out/private.json" >/dev/null 2>"$out/private.err"
rc=$?
check "unreadable root as nobody: exit 2 (got $rc)" [ $rc -eq 2 ]
check "unreadable root as nobody: says why ($(cat "$out/private.err"))" \
  grep -q "root $work/private/fixture: Permission denied (run as root)" "$out/private.err"
check "unreadable root as nobody: no report" [ ! -e "$out/private.json" ]

# --- 3. the live host as nobody -----------------------------------------------------------
as_nobody "$bin" scan --json "$out/live.json" --html "$out/live.html" --xccdf "$out/live.xccdf" \
  --junit "$out/live.junit" >"$out/live.txt" 2>"$out/live.err"
rc=$?
check "live host as nobody: completes, exit 0/1/3 (got $rc; $(head -c 300 "$out/live.err"))" [ $rc -le 3 -a $rc -ne 2 ]
check "live host as nobody: every report written" [ -s "$out/live.json" -a -s "$out/live.html" -a -s "$out/live.xccdf" -a -s "$out/live.junit" ]
if [ -e /etc/shadow ] && ! as_nobody test -r /etc/shadow; then
  for id in "${shadow_rules[@]}"; do
    s=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .status' "$out/live.json")
    check "live host as nobody: $id is error, not a verdict (got '$s')" [ "$s" = error ]
  done
fi
line=$(grep -E '^[0-9]+ rules? in error: ' "$out/live.txt")
echo "  nobody on this host: $line"
check "live host as nobody: the console says how many rules could not be checked and why" \
  grep -qE '^[0-9]+ rules? in error: [0-9]+ permission denied \(run as root\)' <<<"$line"

finish
