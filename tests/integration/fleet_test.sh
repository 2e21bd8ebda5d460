#!/usr/bin/env bash
# `hostbench merge` through the real binary on real scans: three fixture hosts scanned with
# different profiles (weak: default, hardened: linux, docker-host: docker) into one directory
# with their HTML reports, plus a malformed file, a results file of another schema and a
# hostile file name. The fleet JSON is checked against the hosts' own results with jq (every
# host's failed rules, score and counts; every rule's failing hosts), the order (worst hosts,
# most failed rules first), exit codes (3 with a file left out, 0 without, 2 with nothing
# usable), and the fleet HTML is parsed (xmllint) and links each host's report relatively.
# Usage: fleet_test.sh HOSTBENCH_BINARY SOURCE_DIR
set -uo pipefail
export LC_ALL=C.UTF-8
bin=$(realpath "$1")
src=$(realpath "$2")
source "$src/tests/integration/lib.sh"
cd "$src"
work=$(mktemp -d /tmp/hostbench-fleet-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

res=$work/out/results
mkdir -p "$res"
scan() {  # NAME FIXTURE PROFILE
  make_fixture "$2" "$work/roots/$1"
  "$bin" scan --no-config --root "$work/roots/$1" --profile "$3" --quiet \
    --json "$res/$1.json" --html "$res/$1.html" >/dev/null 2>&1
  local rc=$?
  check "scan of $1 exits 0, 1 or 3 (got $rc)" test "$rc" -le 3 -a "$rc" -ne 2
}
scan weak weak default
scan hardened hardened linux
scan dockerhost docker-host docker

# 1. Three good files: exit 0; the counts agree with each host's own results.
"$bin" merge "$res" --json "$work/out/fleet.json" --html "$work/out/fleet.html" >"$work/console" 2>"$work/err"
check "merge of three good files exits 0" test $? -eq 0
F=$work/out/fleet.json
check "fleet JSON schema" test "$(jq -r .schema "$F")" = hostbench-fleet/1
check "three hosts, three files, none skipped" test "$(jq -c '[.summary.hosts, .summary.files, .summary.skipped]' "$F")" = "[3,3,0]"
check "the console names the host count" grep -q "^fleet: 3 hosts from 3 files" "$work/console"
for name in weak hardened dockerhost; do
  own=$res/$name.json
  host=$(jq -c --arg f "$own" '.hosts[] | select(.file == $f)' "$F")
  check "$name is in the fleet" test -n "$host"
  want_failed=$(jq -c '[.results[] | select(.status == "fail") | .id] | sort' "$own")
  got_failed=$(jq -c '.failed | sort' <<<"$host")
  check "$name: failed rules agree with its results" test "$want_failed" = "$got_failed"
  want_error=$(jq -c '[.results[] | select(.status == "error") | .id] | sort' "$own")
  check "$name: error rules agree" test "$want_error" = "$(jq -c '.error | sort' <<<"$host")"
  check "$name: score agrees" test "$(jq '.summary.score * 10 | round' "$own")" = "$(jq '.score * 10 | round' <<<"$host")"
  check "$name: counts agree" test "$(jq -c '.summary | [.total, .pass, .fail, .notapplicable]' "$own")" = \
    "$(jq -c '.summary | [.total, .pass, .fail, .notapplicable]' <<<"$host")"
  check "$name: hostname" test "$(jq -r .scan.hostname "$own")" = "$(jq -r .hostname <<<"$host")"
  check "$name: profiles" test "$(jq -c '[.scan.profiles[].id]' "$own")" = "$(jq -c .profiles <<<"$host")"
  check "$name: report_html names its HTML" test "$(jq -r .report_html <<<"$host")" = "$res/$name.html"
  check "$name: not stale" test "$(jq -r .stale <<<"$host")" = false
done
# Every rule: its failing hosts are exactly the hosts whose results fail it; not_scanned counts
# the hosts whose profiles lack it.
want_rules=$(jq -s -c '[.[] | .scan.hostname as $h | .results[] | select(.status == "fail") | {id, h: $h}]
  | group_by(.id) | map({id: .[0].id, hosts: (map(.h) | sort)}) | sort_by(.id)' "$res"/*.json)
got_rules=$(jq -c '[.rules[] | select(.failing | length > 0) | {id, hosts: (.failing | sort)}] | sort_by(.id)' "$F")
check "every rule's failing hosts agree with the results" test "$want_rules" = "$got_rules"
check "rules: the union of the three hosts' rules" test "$(jq '.summary.rules' "$F")" = \
  "$(jq -s '[.[].results[].id] | unique | length' "$res"/*.json)"
# default (weak) holds linux, docker and images; hardened scanned linux alone, dockerhost docker.
check "a docker rule is not scanned on the host without the docker profile" \
  test "$(jq -c '[.rules[] | select(.profile == "docker") | .hosts.not_scanned] | unique' "$F")" = "[1]"
check "a linux rule is not scanned on the docker-only host" \
  test "$(jq -c '[.rules[] | select(.profile == "linux") | .hosts.not_scanned] | unique' "$F")" = "[1]"
check "rules: most failed first" jq -e '[.rules[].hosts.fail] | . == (sort | reverse)' "$F" >/dev/null
check "hosts: worst first (failed rules weighted by severity)" jq -e '
  [.hosts[].summary.failed_by_severity | .low + 2 * .medium + 3 * .high + 4 * .critical]
  | . == (sort | reverse)' "$F" >/dev/null
# The page: well-formed enough for an HTML parser, each host's report linked relative to it.
check "fleet HTML parses" xmllint --html --noout "$work/out/fleet.html" 2>/dev/null
for name in weak hardened dockerhost; do
  check "fleet HTML links results/$name.html" grep -q "results/$name.html" "$work/out/fleet.html"
done
check "fleet HTML holds no absolute link to the results" bash -c "! grep -q 'href=\"$res' '$work/out/fleet.html'"

# 2. A malformed file, another schema and a hostile name: left out or merged, exit 3.
printf '{"schema":"hostbench-results/1","results":[{"id":"x"' >"$res/broken.json"
"$bin" diff "$res/weak.json" "$res/hardened.json" --json "$res/drift.json" >/dev/null 2>&1
hostile=$'<img src=x onerror=alert(1)>\e[31m.json'
cp "$res/weak.json" "$res/$hostile"
"$bin" merge "$res" --json "$F" --html "$work/out/fleet.html" >"$work/console" 2>"$work/err"
check "a file left out: exit 3" test $? -eq 3
check "4 hosts (the hostile-named copy merges), 2 files left out" \
  test "$(jq -c '[.summary.hosts, .summary.files, .summary.skipped]' "$F")" = "[4,6,2]"
check "the broken file is named with a line and column" \
  jq -e --arg f "$res/broken.json" '.problems[] | select(.file == $f and .skipped and (.message | test("^not valid JSON: 1:[0-9]+: ")))' "$F" >/dev/null
check "the drift file is named as another schema" \
  jq -e --arg f "$res/drift.json" '.problems[] | select(.file == $f and (.message | test("schema .hostbench-drift/1.")))' "$F" >/dev/null
check "the same hostname twice is a warning" \
  jq -e '.problems[] | select((.skipped | not) and (.message | test("the same hostname .weak.")))' "$F" >/dev/null
check "stderr names the left-out file" grep -q "broken.json: left out: not valid JSON" "$work/err"
check "no escape character reaches the terminal" bash -c "! grep -q $'\e' '$work/err' '$work/console'"
check "the hostile name is escaped in the page" bash -c "! grep -qF '<img src=x' '$work/out/fleet.html'"
check "... and is there, escaped" grep -qF '&lt;img src=x onerror=alert(1)&gt;' "$work/out/fleet.html"
check "the page still parses" xmllint --html --noout "$work/out/fleet.html" 2>/dev/null

# 3. Nothing usable: exit 2, and the JSON says why.
"$bin" merge "$res/broken.json" --json "$work/none.json" >/dev/null 2>&1
check "nothing to merge: exit 2" test $? -eq 2
check "the JSON of an empty fleet lists the problem" test "$(jq '.problems | length' "$work/none.json")" = 1

# 4. Staleness: a host scanned 3 days ago by the results' own clock is stale at 48 h, not at 100.
jq '.scan.started = (now - 72*3600 | strftime("%Y-%m-%dT%H:%M:%SZ"))' "$res/hardened.json" >"$work/old.json"
"$bin" merge "$work/old.json" --json "$work/stale.json" >/dev/null 2>&1
check "72 h old results are stale at the default 48 h" test "$(jq '.hosts[0].stale' "$work/stale.json")" = true
check "age_hours is about 72" jq -e '.hosts[0].age_hours | . > 71.9 and . < 72.2' "$work/stale.json" >/dev/null
"$bin" merge "$work/old.json" --max-age-hours 100 --json "$work/stale.json" >/dev/null 2>&1
check "not stale at --max-age-hours 100" test "$(jq '.hosts[0].stale' "$work/stale.json")" = false

finish
