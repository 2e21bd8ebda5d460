#!/usr/bin/env bash
# Drift between scans with the real binary: a fixture host scanned, altered with --root and
# scanned again; `hostbench diff` exit codes both ways round and for identical scans; its JSON
# (hostbench-drift/1) checked with jq against what was changed; its HTML checked with xmllint and
# for hostile evidence that must appear escaped only; results that carry a drift rendered by
# `hostbench report`; the golden drift page, JSON and console listing.
# Usage: drift_test.sh HOSTBENCH_BINARY SOURCE_DIR
# HOSTBENCH_UPDATE_GOLDEN=1 rewrites tests/golden/drift.{html,json,txt} from the current writers.
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d /tmp/hostbench-drift-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$src"   # ./profiles resolves from here
export NO_COLOR=
source "$src/tests/integration/lib.sh"
golden="$src/tests/golden"

# The ids in a category of a drift document, sorted, one line.
ids() { jq -r --arg c "$2" '[.[$c][].id] | sort | join(" ")' "$1"; }
# jq -e quietly: true or false as the exit status.
jqe() { jq -e "$@" >/dev/null; }
# xmllint's HTML parser is HTML 4: it calls HTML5 elements invalid. Anything else is an error.
html_errors() {
  xmllint --html --noout "$1" 2>&1 | grep 'parser error :' |
    grep -Ev 'Tag (header|main|section|footer|time|details|summary|svg|circle|rect|text) invalid' | wc -l
}

"$bin" diff --help | grep -q 'Usage: hostbench diff OLD.json NEW.json'
check "diff --help exits 0 and shows the usage" [ $? -eq 0 ]
"$bin" --help | grep -q '^  diff '
check "diff is in the command list" [ $? -eq 0 ]

# --- one host, scanned three times ------------------------------------------------------------
make_fixture weak "$work/host"
scan() { "$bin" scan --no-config --profile linux --root "$work/host" --quiet --json "$1" >/dev/null; }
scan "$work/a.json"; check "scan a exits 1 (weak)" [ $? -eq 1 ]
scan "$work/a2.json"
# Two fixes: /etc/shadow to 0640, PermitRootLogin no in the legacy drop-in (read first).
chmod 0640 "$work/host/etc/shadow"
sed -i 's/^PermitRootLogin yes/PermitRootLogin no/' "$work/host/etc/ssh/sshd_config.d/10-legacy.conf"
scan "$work/b.json"
# Then two breaks: /etc/issue (passes on weak) made world-writable, and one more world-writable
# file for a rule that fails already (a new failing object).
chmod 0666 "$work/host/etc/issue"
printf 'x\n' > "$work/host/srv/new-world-writable" && chmod 0666 "$work/host/srv/new-world-writable"
scan "$work/c.json"

"$bin" diff "$work/a.json" "$work/a2.json" --json "$work/same.json" >"$work/same.txt"; rc=$?
check "identical scans: diff exits 0 (got $rc)" [ $rc -eq 0 ]
check "identical scans: has_changes false" jqe '.has_changes == false and .counts.newly_failing == 0 and .counts.fixed == 0 and .counts.changed == 0' "$work/same.json"
check "identical scans: every failing rule is still failing" \
  [ "$(jq '.counts.still_failing' "$work/same.json")" -eq "$(jq '.summary.fail' "$work/a.json")" ]
check "identical scans: the console says nothing changed" grep -q 'Nothing changed since the earlier scan' "$work/same.txt"
check "identical scans: no warning" jqe '.warnings == []' "$work/same.json"

"$bin" diff "$work/a.json" "$work/b.json" --json "$work/ab.json" >"$work/ab.txt"; rc=$?
check "only fixes: diff exits 0 (got $rc)" [ $rc -eq 0 ]
check "only fixes: fixed = shadow and permit_root_login ($(ids "$work/ab.json" fixed))" \
  [ "$(ids "$work/ab.json" fixed)" = "host.files.shadow host.ssh.permit_root_login" ]
check "only fixes: fixed rules say what they are now" \
  jqe '[.fixed[] | .before == "fail" and .after == "pass"] | all' "$work/ab.json"
check "only fixes: nothing newly failing" jqe '.newly_failing == []' "$work/ab.json"
check "only fixes: the evidence that changed is listed" \
  jqe '.fixed[] | select(.id == "host.files.shadow") | .evidence_added | any(test("mode 0640"))' "$work/ab.json"

"$bin" diff "$work/b.json" "$work/a.json" --json "$work/ba.json" >/dev/null; rc=$?
check "the other way round: diff exits 1 (got $rc)" [ $rc -eq 1 ]
check "the other way round: the two fixes are newly failing ($(ids "$work/ba.json" newly_failing))" \
  [ "$(ids "$work/ba.json" newly_failing)" = "host.files.shadow host.ssh.permit_root_login" ]

"$bin" diff "$work/b.json" "$work/c.json" --json "$work/bc.json" --html "$work/bc.html" >"$work/bc.txt"; rc=$?
check "breaks: diff exits 1 (got $rc)" [ $rc -eq 1 ]
check "breaks: newly failing = issue and world_writable_files ($(ids "$work/bc.json" newly_failing))" \
  [ "$(ids "$work/bc.json" newly_failing)" = "host.files.issue host.fs.world_writable_files" ]
check "breaks: the new failing object is named" \
  jqe '.newly_failing[] | select(.id == "host.fs.world_writable_files") | .before == "fail" and ([.new_failing_objects[].id] | any(endswith("/srv/new-world-writable")))' "$work/bc.json"
check "breaks: nothing fixed" jqe '.fixed == []' "$work/bc.json"
check "breaks: counts match the lists" \
  jqe '. as $d | ["newly_failing","fixed","still_failing","changed","added","removed"] | map($d.counts[.] == ($d[.] | length)) | all' "$work/bc.json"
check "breaks: schema and both scans named" \
  jqe '.schema == "hostbench-drift/1" and .before.hostname == "weak" and .after.hostname == "weak" and .before.started < .after.started' "$work/bc.json"
check "breaks: the console lists the newly failing" grep -q 'NEW FAIL  low      host.files.issue' "$work/bc.txt"
check "breaks: no colour when not a terminal" [ "$(grep -c $'\x1b' "$work/bc.txt")" -eq 0 ]
check "breaks: HTML is well-formed ($(html_errors "$work/bc.html") errors)" [ "$(html_errors "$work/bc.html")" -eq 0 ]
check "breaks: HTML has the section and its counts" \
  grep -q 'data-drift-count="newly_failing">2<' "$work/bc.html"
check "breaks: HTML needs no script" [ "$(grep -c '<script' "$work/bc.html")" -eq 0 ]
"$bin" diff "$work/b.json" "$work/c.json" --json - >"$work/bc-stdout.json" 2>"$work/bc-stderr.txt"
check "--json -: the JSON on standard output" jqe '.counts.newly_failing == 2' "$work/bc-stdout.json"
check "--json -: the listing on standard error" grep -q 'NEW FAIL' "$work/bc-stderr.txt"

# Colour: on a terminal only, never with NO_COLOR or --no-color (script(1) gives a terminal).
if command -v script >/dev/null; then
  out=$(env -u NO_COLOR script -qec "$bin diff $work/b.json $work/c.json" /dev/null)
  check "on a terminal: colour" grep -q $'\x1b\[1;31mNEW FAIL' <<<"$out"
  out=$(NO_COLOR=1 script -qec "$bin diff $work/b.json $work/c.json" /dev/null)
  check "on a terminal with NO_COLOR: no colour" [ "$(grep -c $'\x1b' <<<"$out")" -eq 0 ]
  out=$(env -u NO_COLOR script -qec "$bin diff $work/b.json $work/c.json --no-color" /dev/null)
  check "on a terminal with --no-color: no colour" [ "$(grep -c $'\x1b' <<<"$out")" -eq 0 ]
fi

# Different hosts: a warning, not an error.
make_fixture hardened "$work/hardened"
"$bin" scan --no-config --profile linux --root "$work/hardened" --quiet --json "$work/hardened.json" >/dev/null
"$bin" diff "$work/hardened.json" "$work/a.json" --json "$work/hosts.json" >"$work/hosts.txt"; rc=$?
check "other host: exits 1 (weak fails what hardened passed) (got $rc)" [ $rc -eq 1 ]
check "other host: a warning names both hosts" \
  jqe '.warnings | any(test("different hosts: .hardened. then .weak."))' "$work/hosts.json"
check "other host: the console shows the warning" grep -q '^warning: the scans are of different hosts' "$work/hosts.txt"

# --- errors: exit 2, naming the file -------------------------------------------------------
"$bin" diff "$work/a.json" >/dev/null 2>&1; check "one file: exit 2" [ $? -eq 2 ]
err=$("$bin" diff "$work/a.json" "$work/missing.json" 2>&1 >/dev/null); rc=$?
check "missing file: exit 2 naming it ($err)" [ $rc -eq 2 ] && grep -q "missing.json: No such file" <<<"$err"
head -c 300 "$work/a.json" > "$work/cut.json"
err=$("$bin" diff "$work/cut.json" "$work/a.json" 2>&1 >/dev/null); rc=$?
check "truncated JSON: exit 2 naming the file ($err)" [ $rc -eq 2 ] && grep -q "cut.json: invalid JSON" <<<"$err"
jq '.results[0].status = "excellent"' "$work/a.json" > "$work/badstatus.json"
err=$("$bin" diff "$work/a.json" "$work/badstatus.json" 2>&1 >/dev/null); rc=$?
check "bad status: exit 2 naming the file ($err)" [ $rc -eq 2 ] && grep -q "badstatus.json: results: entry" <<<"$err"
err=$("$bin" diff "$work/a.json" "$work/host" 2>&1 >/dev/null); rc=$?
check "a directory: exit 2 ($err)" [ $rc -eq 2 ] && grep -q "not a regular file" <<<"$err"
"$bin" diff - "$work/b.json" < "$work/a.json" >/dev/null; rc=$?
check "'-' reads standard input (got $rc)" [ $rc -eq 0 ]

# --- hostile evidence: escaped in HTML, inert on the console --------------------------------
h="$work/hostile-root"
mkdir -p "$h/etc"
printf 'Welcome\n' > "$h/etc/motd"
hostile=(--profile "$src/tests/integration/hostile/hostile.yaml" --root "$h" --quiet)
"$bin" scan --no-config "${hostile[@]}" --json "$work/h1.json" >/dev/null
printf '%s\n' '<script>window.__pwned=1</script>' $'esc\x1b[2J ctrl\x01' '<img src=x onerror="window.__pwned=1">' > "$h/etc/motd"
"$bin" scan --no-config "${hostile[@]}" --json "$work/h2.json" >/dev/null
"$bin" diff "$work/h1.json" "$work/h2.json" --json "$work/h.json" --html "$work/h.html" >"$work/h.txt"; rc=$?
check "hostile: the motd rule is newly failing (got $rc, $(ids "$work/h.json" newly_failing))" \
  [ $rc -eq 1 ] && [ "$(ids "$work/h.json" newly_failing)" = "hostile.file-content" ]
check "hostile: the script line reached the drift evidence" \
  jqe '[.newly_failing[].evidence_added[]] | any(contains("<script>window.__pwned=1</script>"))' "$work/h.json"
check "hostile: HTML is well-formed ($(html_errors "$work/h.html") errors)" [ "$(html_errors "$work/h.html")" -eq 0 ]
check "hostile: no raw <script> or <img in the HTML" [ "$(grep -c '<script\|<img' "$work/h.html")" -eq 0 ]
check "hostile: the evidence is shown escaped" grep -q '&lt;script&gt;window.__pwned=1&lt;/script&gt;' "$work/h.html"
check "hostile: xmllint sees the text, not an element" \
  [ "$(xmllint --html --xpath 'count(//script|//img)' "$work/h.html" 2>/dev/null)" = 0 ]
check "hostile: no control characters in the HTML" [ "$(LC_ALL=C grep -c $'[\x01\x1b]' "$work/h.html")" -eq 0 ]
check "hostile: no control characters on the console" [ "$(LC_ALL=C grep -c $'[\x01\x1b]' "$work/h.txt")" -eq 0 ]

# --- results that carry a drift (as scan --baseline writes them) render it --------------------
jq --slurpfile d "$work/bc.json" '. + {drift: ($d[0] | del(.schema))}' "$work/c.json" > "$work/c-drift.json"
"$bin" report "$work/c-drift.json" --html "$work/c-drift.html" --json "$work/c-drift-again.json" >"$work/c-drift.txt"; rc=$?
check "report with a drift: exits 0 (got $rc)" [ $rc -eq 0 ]
check "report with a drift: the JSON keeps it" \
  [ "$(jq -S .drift "$work/c-drift.json")" = "$(jq -S .drift "$work/c-drift-again.json")" ]
"$bin" report "$work/c-drift-again.json" --json "$work/c-drift-third.json" --quiet
check "report with a drift: written again, the same bytes" cmp -s "$work/c-drift-again.json" "$work/c-drift-third.json"
check "report with a drift: the HTML has the section" grep -q '<h2 id="drift-h">Changes since the last scan</h2>' "$work/c-drift.html"
check "report with a drift: HTML well-formed" [ "$(html_errors "$work/c-drift.html")" -eq 0 ]
check "report with a drift: the console ends with the drift block" \
  grep -q '^Changes since the scan of weak at .*: 2 newly failing, 0 fixed' "$work/c-drift.txt"
"$bin" report "$work/c.json" --html "$work/c-plain.html" --quiet
check "report without a drift: no section" [ "$(grep -c 'Changes since the last scan' "$work/c-plain.html")" -eq 0 ]

# --- golden: the drift of two fixed results files ---------------------------------------------
"$bin" diff "$golden/drift-before.json" "$golden/drift-after.json" --json "$work/golden.json" \
  --html "$work/golden.html" >"$work/golden.txt"; rc=$?
check "golden: diff exits 1 (got $rc)" [ $rc -eq 1 ]
check "golden: every category is populated" \
  jqe '.counts | .newly_failing == 4 and .fixed == 4 and .still_failing == 1 and .changed == 1 and .added == 1 and .removed == 1 and .unchanged == 1' "$work/golden.json"
check "golden: the expired waiver is newly failing, the new one a fix" \
  jqe '([.newly_failing[] | select(.id == "host.ssh.permit_root_login") | .before] == ["waived"]) and ([.fixed[] | select(.id == "host.ssh.banner") | .after] == ["waived"])' "$work/golden.json"
for f in html json txt; do
  if [ "${HOSTBENCH_UPDATE_GOLDEN:-}" = 1 ]; then cp "$work/golden.$f" "$golden/drift.$f"; fi
  if [ -f "$golden/drift.$f" ]; then
    check "golden drift.$f unchanged (diff tests/golden/drift.$f)" cmp -s "$golden/drift.$f" "$work/golden.$f"
  else
    bad "no golden file tests/golden/drift.$f (HOSTBENCH_UPDATE_GOLDEN=1 makes it)"
  fi
done

finish
