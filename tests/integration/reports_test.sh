#!/usr/bin/env bash
# The report formats against their real consumers: the XCCDF 1.2 schema (xmllint), OpenSCAP's
# own validator and report generator, a JUnit schema; re-rendering from JSON byte for byte;
# golden files; hostile content.
# Usage: reports_test.sh HOSTBENCH_BINARY SOURCE_DIR
# HOSTBENCH_UPDATE_GOLDEN=1 rewrites tests/golden/ from the current writers.
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d /tmp/hostbench-reports-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$src"
source "$src/tests/integration/lib.sh"
xsd=/usr/share/openscap/schemas/xccdf/1.2/xccdf_1.2.xsd
golden="$src/tests/golden"

# Every format the binary knows, from its own help.
formats=$("$bin" report --help | sed -n 's/^ *--\([a-z]*\) FILE .*/\1/p')
check "report knows json, xccdf and junit ($formats)" \
  grep -qx xccdf <<<"$formats"

# --- a scan of the weak fixture, every format at once ------------------------------------------
make_fixture weak "$work/weak"
args=()
for f in $formats; do args+=("--$f" "$work/scan.$f"); done
"$bin" scan --profile linux --root "$work/weak" --quiet "${args[@]}" >/dev/null; rc=$?
check "scan with every format exits 1 on weak (got $rc)" [ $rc -eq 1 ]
total=$(jq '.results | length' "$work/scan.json")

# XCCDF: the official schema, OpenSCAP's validator (schematron included) and its report.
xmllint --nonet --noout --schema "$xsd" "$work/scan.xccdf" 2>"$work/xmllint.err"
check "XCCDF is valid against the XCCDF 1.2 schema" [ $? -eq 0 ]
oscap xccdf validate "$work/scan.xccdf" >"$work/oscap-validate.txt" 2>&1
check "oscap xccdf validate accepts it" [ $? -eq 0 ]
oscap xccdf generate report "$work/scan.xccdf" > "$work/oscap.html" 2>"$work/oscap.err"
check "oscap xccdf generate report renders it" [ $? -eq 0 ]
rows=$(grep -oE 'rule-overview-leaf-(pass|fail|error|notapplicable|notchecked|informational|unknown|fixed|notselected)' "$work/oscap.html" | wc -l)
check "oscap's report shows every rule result ($rows of $total)" [ "$rows" -eq "$total" ]
fails=$(grep -oE 'rule-overview-leaf-fail' "$work/oscap.html" | wc -l)
check "oscap's report shows the failures ($fails)" [ "$fails" -eq "$(jq '.summary.fail' "$work/scan.json")" ]

# JUnit: a schema of the dialect CI systems read, and the counts.
xmllint --nonet --noout --schema "$src/tests/schemas/junit.xsd" "$work/scan.junit" 2>/dev/null
check "JUnit is valid against tests/schemas/junit.xsd" [ $? -eq 0 ]
check "JUnit has a testcase per rule" [ "$(xmllint --xpath 'count(//testcase)' "$work/scan.junit")" -eq "$total" ]
check "JUnit failures match the results" \
  [ "$(xmllint --xpath 'count(//testcase/failure)' "$work/scan.junit")" -eq "$(jq '.summary.fail' "$work/scan.json")" ]

# --- hostbench report: the same bytes as the scan's own rendering ---------------------------
rargs=()
for f in $formats; do rargs+=("--$f" "$work/again.$f"); done
"$bin" report "$work/scan.json" --quiet "${rargs[@]}"
check "report exits 0" [ $? -eq 0 ]
for f in $formats; do
  check "report re-renders $f byte for byte" cmp -s "$work/scan.$f" "$work/again.$f"
done

# --- golden files: the writers' output for a fixed results file --------------------------------
for f in $formats; do
  [ "$f" = json ] && continue
  "$bin" report "$golden/results.json" --quiet "--$f" "$work/golden.$f"
  if [ "${HOSTBENCH_UPDATE_GOLDEN:-}" = 1 ]; then cp "$work/golden.$f" "$golden/report.$f"; fi
  if [ -f "$golden/report.$f" ]; then
    check "golden $f unchanged (diff tests/golden/report.$f)" cmp -s "$golden/report.$f" "$work/golden.$f"
  else
    bad "no golden file tests/golden/report.$f (HOSTBENCH_UPDATE_GOLDEN=1 makes it)"
  fi
done

# --- hostile content: well-formed and valid whatever the host said ---------------------------
payload=$'<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> ]]> \'" \u0001 \u001b[31m \u2028'
jq --arg p "$payload" '
  .scan.hostname = ("host" + $p) | .scan.os = ("os" + $p) |
  .results |= map(.title += $p | .evidence += ["seen " + $p] | .objects += [{"id": ("obj" + $p), "status": "fail", "evidence": [$p]}])' \
  "$golden/results.json" > "$work/hostile.json"
"$bin" report "$work/hostile.json" --quiet --xccdf "$work/hostile.xccdf" --junit "$work/hostile.junit"
check "hostile results render" [ $? -eq 0 ]
xmllint --nonet --noout --schema "$xsd" "$work/hostile.xccdf" 2>/dev/null
check "hostile XCCDF is still schema-valid" [ $? -eq 0 ]
oscap xccdf validate "$work/hostile.xccdf" >/dev/null 2>&1
check "hostile XCCDF passes oscap validate" [ $? -eq 0 ]
xmllint --nonet --noout --schema "$src/tests/schemas/junit.xsd" "$work/hostile.junit" 2>/dev/null
check "hostile JUnit is still schema-valid" [ $? -eq 0 ]
check "no raw markup from the host in XCCDF" [ "$(grep -c '<script>\|<img' "$work/hostile.xccdf")" -eq 0 ]
check "no control characters in XCCDF" [ "$(LC_ALL=C grep -c $'[\x01\x1b]' "$work/hostile.xccdf")" -eq 0 ]

# --- a hostile host: names, contents and values that try to break out of every format --------
h="$work/hostile-root"
mkdir -p "$h/srv/drop" "$h/etc/docker" "$h/etc/ssh"
for name in '<img src=x onerror="window.__pwned=1">' ']]>&amp;' $'tab\there' $'bad\xff\xfeutf8' $'esc\e[31mred' $'new\nline'; do
  printf 'x' > "$h/srv/drop/$name" && chmod 0644 "$h/srv/drop/$name"
done
printf '%s\n' '<script>window.__pwned=1</script>' ']]><!--' $'ctrl\x01\x1b[2J' > "$h/etc/motd"
printf '{"log-level": "<script>window.__pwned=1</script>\\u0001\\u001b]]>"}\n' > "$h/etc/docker/daemon.json"
printf 'Banner "<img src=x onerror=\\"window.__pwned=1\\">"\n' > "$h/etc/ssh/sshd_config"
"$bin" scan --profile "$src/tests/integration/hostile/hostile.yaml" --root "$h" --quiet \
  --json "$work/h.json" --html "$work/h.html" --xccdf "$work/h.xccdf" --junit "$work/h.junit" >/dev/null; rc=$?
check "hostile host: the scan finishes and fails (got $rc)" [ $rc -eq 1 ]
check "hostile host: every rule failed on what it saw" [ "$(jq '.summary.fail' "$work/h.json")" -eq 4 ]
check "hostile host: JSON is valid" jq -e . "$work/h.json" >/dev/null
check "hostile host: a hostile file name reaches the evidence" \
  jq -e '[.results[].objects[].id] | any(contains("onerror"))' "$work/h.json" >/dev/null
xmllint --nonet --noout --schema "$xsd" "$work/h.xccdf" 2>/dev/null
check "hostile host: XCCDF schema-valid" [ $? -eq 0 ]
oscap xccdf validate "$work/h.xccdf" >/dev/null 2>&1
check "hostile host: oscap validate accepts it" [ $? -eq 0 ]
xmllint --nonet --noout --schema "$src/tests/schemas/junit.xsd" "$work/h.junit" 2>/dev/null
check "hostile host: JUnit schema-valid" [ $? -eq 0 ]
for f in h.xccdf h.junit h.html; do
  check "hostile host: no raw <script>window or <img in $f" [ "$(grep -c '<script>window\|<img src=x' "$work/$f")" -eq 0 ]
  check "hostile host: no control characters in $f" [ "$(LC_ALL=C grep -c $'[\x01\x1b]' "$work/$f")" -eq 0 ]
  check "hostile host: $f is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$work/$f" -o /dev/null
done

finish
