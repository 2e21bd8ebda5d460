#!/usr/bin/env bash
# Operations, end to end with the real binary: the config file and its precedence, waivers in
# every report format, --output-dir history (latest links, retention, the lock against a second
# real scan), Prometheus metrics checked by promtool, the syslog line, and --timeout.
# Usage: operations_test.sh HOSTBENCH_BINARY SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d /tmp/hostbench-ops-XXXXXX)
cleanup() {
  [ -n "${stopped_pid:-}" ] && kill -CONT "$stopped_pid" 2>/dev/null
  [ -n "${syslog_pid:-}" ] && kill "$syslog_pid" 2>/dev/null
  [ -n "${made_dev_log:-}" ] && rm -f /dev/log
  rm -rf "$work"
}
trap cleanup EXIT
cd "$src"
export NO_COLOR=
source "$src/tests/integration/lib.sh"
silent() { "$@" >/dev/null 2>&1; }

make_fixture weak "$work/weak"
make_fixture hardened "$work/hardened"
scan=("$bin" scan --no-config --profile linux --root "$work/weak" --quiet)

# --- waivers ---------------------------------------------------------------------------------
cat >"$work/waivers.yaml" <<'EOF'
waivers:
  - rule: host.network.listeners
    object: "25"
    justification: "mail relay <b>for the lab</b>"
    owner: ops@example.org
    expires: 2999-12-31
  - rule: host.services.*
    justification: appliance image, services are its purpose
  - rule: host.ssh.banner
    justification: expired exception
    expires: 2001-01-01
  - rule: no.such.rule
    justification: stale entry
EOF
"${scan[@]}" --json "$work/plain.json" >/dev/null
"${scan[@]}" --waivers "$work/waivers.yaml" --json "$work/w.json" --xccdf "$work/w.xml" \
  --junit "$work/w.junit.xml" --html "$work/w.html" >/dev/null
rc=$?
check "a scan with waivers still exits by its remaining failures ($rc)" [ $rc -eq 1 ]
st() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .status' "$1"; }
check "listeners failed without waivers" [ "$(st "$work/plain.json" host.network.listeners)" = fail ]
# Port 25 is waived, but 111 still listens: the rule still fails, the object is waived.
check "listeners still fail (111 is not waived)" [ "$(st "$work/w.json" host.network.listeners)" = fail ]
check "the port 25 object is waived" [ "$(jq -r '.results[] | select(.id == "host.network.listeners") | .objects[] | select(.id == "tcp 0.0.0.0:25") | .status' "$work/w.json")" = waived ]
check "services rules are waived" [ "$(st "$work/w.json" host.services.avahi)" = waived ]
check "the justification is carried in JSON" \
  silent jq -e '.results[] | select(.id == "host.services.avahi") | .waivers[0].waiver.justification == "appliance image, services are its purpose"' "$work/w.json"
check "the expired waiver is reported" silent jq -e '.waivers.expired | map(.rule) == ["host.ssh.banner"]' "$work/w.json"
check "the expired waiver is not applied" [ "$(st "$work/w.json" host.ssh.banner)" = fail ]
check "the expired waiver says so in the evidence" \
  silent jq -e '.results[] | select(.id == "host.ssh.banner") | .evidence | any(startswith("waiver expired on 2001-01-01"))' "$work/w.json"
check "the unused waiver is reported" silent jq -e '.waivers.unused | map(.rule) == ["no.such.rule"]' "$work/w.json"
n_waived=$(jq '.summary.waived' "$work/w.json")
check "the summary counts waived rules ($n_waived)" [ "$n_waived" -ge 4 ]
check "XCCDF: a waived rule-result is pass with an override from fail" \
  silent xmllint --noout --xpath '//*[local-name()="rule-result"][@idref="xccdf_org.hostbench_rule_host.services.avahi"]/*[local-name()="override"]/*[local-name()="old-result" and text()="fail"]' "$work/w.xml"
check "XCCDF: the override's remark is the justification" \
  grep -q 'appliance image, services are its purpose \[' "$work/w.xml"
if command -v oscap >/dev/null; then
  check "XCCDF with overrides validates with oscap" silent oscap xccdf validate --skip-schematron "$work/w.xml"
fi
check "JUnit: waived rules pass with the justification in system-out" \
  silent xmllint --noout --xpath '//testcase[starts-with(@name, "host.services.avahi:")]/system-out[contains(., "appliance image")]' "$work/w.junit.xml"
check "HTML: a Waivers section" grep -q 'id="waivers-h"' "$work/w.html"
check "HTML: it lists the waivers in force, expired and unused" grep -q 'In force (.*Expired: .*Unused: ' <(tr -d '\n' <"$work/w.html")
check "HTML: the justification is escaped" grep -q 'mail relay &lt;b&gt;for the lab&lt;/b&gt;' "$work/w.html"
check "HTML: no raw markup from the waivers file" bash -c "! grep -q 'relay <b>for' '$work/w.html'"

printf 'waivers:\n  - rule: host.ssh.banner\n    owner: me\n' >"$work/bad-waivers.yaml"
out=$("${scan[@]}" --waivers "$work/bad-waivers.yaml" --json "$work/never.json" 2>&1); rc=$?
check "a waiver without justification is a load error (exit $rc)" [ $rc -eq 2 ]
check "the load error names file:line" grep -q "bad-waivers.yaml:2" <<<"$out"
check "nothing was scanned or written" [ ! -e "$work/never.json" ]

# --- the config file ----------------------------------------------------------------------------
cat >"$work/config.yaml" <<EOF
profiles: [linux]
waivers: $work/waivers.yaml
fail_on: critical
output:
  directory: $work/out
  formats: [json, xccdf]
EOF
"$bin" scan --config "$work/config.yaml" --root "$work/weak" --quiet >/dev/null; rc=$?
check "config: fail_on critical applies (weak has no critical failure: exit $rc)" [ $rc -eq 0 ]
check "config: the output directory holds the JSON" [ -L "$work/out/latest.json" ]
check "config: only the formats named" [ ! -e "$work/out/latest.html" ] && check "config: XCCDF written" [ -e "$work/out/latest.xml" ]
check "config: the waivers were applied" silent jq -e '.waivers.applied > 0' "$work/out/latest.json"
"$bin" scan --config "$work/config.yaml" --root "$work/weak" --quiet --fail-on low >/dev/null; rc=$?
check "config: a flag on the command line wins (--fail-on low: exit $rc)" [ $rc -eq 1 ]
"$bin" scan --config "$work/config.yaml" --root "$work/weak" --quiet --profile default --output-dir "$work/out2" >/dev/null
check "config: --profile on the command line replaces the config's profiles" \
  silent jq -e '[.scan.profiles[] | select(.requested) | .id] == ["default"]' "$work/out2/latest.json"
# HOSTBENCH_CONFIG names the file read without --config (in place of /etc/hostbench/config.yaml;
# ctest sets it to a missing path for every test); --no-config still ignores it.
printf 'profiles: [linux]\nfail_on: critical\n' >"$work/env-config.yaml"
HOSTBENCH_CONFIG="$work/env-config.yaml" "$bin" scan --root "$work/weak" --quiet >/dev/null; rc=$?
check "HOSTBENCH_CONFIG: its fail_on critical applies (exit $rc)" [ $rc -eq 0 ]
HOSTBENCH_CONFIG="$work/env-config.yaml" "$bin" scan --no-config --profile linux --root "$work/weak" --quiet >/dev/null; rc=$?
check "HOSTBENCH_CONFIG: --no-config ignores it (exit $rc)" [ $rc -eq 1 ]
HOSTBENCH_CONFIG="$work/missing.yaml" "$bin" scan --profile linux --root "$work/weak" --quiet >/dev/null; rc=$?
check "HOSTBENCH_CONFIG: a missing file means no config, as for the default path (exit $rc)" [ $rc -eq 1 ]
printf 'profiles: [linux]\njobs: lots\n' >"$work/bad-config.yaml"
out=$("$bin" scan --config "$work/bad-config.yaml" --root "$work/weak" 2>&1); rc=$?
check "config: a bad value is exit 2 ($rc)" [ $rc -eq 2 ]
check "config: the error names file:line" grep -q 'bad-config.yaml:2' <<<"$out"
printf 'fail_on: severe\n' >"$work/bad-config2.yaml"
out=$("$bin" scan --config "$work/bad-config2.yaml" --root "$work/weak" 2>&1); rc=$?
check "config: a value the option refuses names the config line ($out)" grep -q 'bad-config2.yaml:1:10: --fail-on severe' <<<"$out"
"$bin" scan --config "$work/missing.yaml" --root "$work/weak" >/dev/null 2>&1
check "config: a --config that does not exist is exit 2" [ $? -eq 2 ]

# --- history, retention and the lock ----------------------------------------------------------
hist=("$bin" scan --no-config --profile linux --root "$work/hardened" --quiet --output-dir "$work/hist")
for i in 1 2 3; do "${hist[@]}" --keep 2 >/dev/null; done
host=$(jq -r .scan.hostname "$work/hist/latest.json")
n=$(ls "$work/hist" | grep -c "^$host-.*\.json$")
check "retention: --keep 2 leaves two scans ($n)" [ "$n" -eq 2 ]
for f in json html xml junit.xml; do
  check "latest.$f points at the newest scan" [ -L "$work/hist/latest.$f" ] && \
    check "latest.$f resolves" [ -s "$work/hist/latest.$f" ]
done
newest=$(cd "$work/hist" && ls -t | grep "^$host-.*\.json$" | head -1)  # by mtime: "-2" stems sort oddly
check "latest.json is the newest ($newest)" [ "$(readlink "$work/hist/latest.json")" = "$newest" ]
touch -d '-3 days' "$work/hist/$host-20200101T000000Z.json"  # an old scan, by its stamp
"${hist[@]}" --keep-days 1 >/dev/null
check "retention: --keep-days removes scans older than the limit" [ ! -e "$work/hist/$host-20200101T000000Z.json" ]
perm=$(stat -c %a "$work/hist/$newest")
check "history files are 0640 ($perm)" [ "$perm" = 640 ]

# The lock: held by flock(1), then by a second, real scan stopped while it holds the directory.
flock "$work/hist/.hostbench.lock" sleep 3 &
holder=$!
sleep 0.3
out=$("${hist[@]}" 2>&1); rc=$?
check "a locked output directory: exit 4 ($rc)" [ $rc -eq 4 ]
check "the second scan says so" grep -q 'is writing to' <<<"$out"
wait $holder
got_lock=no
for attempt in 1 2 3 4 5; do
  "$bin" scan --no-config --profile default --root / --quiet --output-dir "$work/hist" >/dev/null 2>&1 &
  first=$!
  # Wait until the first scan holds the lock (it writes its pid there), then freeze it.
  for _ in $(seq 1 400); do
    [ "$(cat "$work/hist/.hostbench.lock" 2>/dev/null)" = "$first" ] && break
    sleep 0.005
  done
  if kill -STOP "$first" 2>/dev/null && [ "$(cat "$work/hist/.hostbench.lock")" = "$first" ] &&
     [ -d "/proc/$first" ]; then
    stopped_pid=$first
    out=$("${hist[@]}" 2>&1); rc=$?
    kill -CONT "$first"; stopped_pid=
    wait "$first"
    got_lock=yes
    break
  fi
  wait "$first"
done
if [ $got_lock = yes ]; then
  check "two concurrent scans: the second exits 4 ($rc)" [ $rc -eq 4 ]
  check "the second names the first's pid" grep -q "pid $first" <<<"$out"
else
  bad "could not catch a scan holding the lock in five attempts"
fi
check "the lock is free again afterwards" silent "${hist[@]}"
leftover=$(ls -A "$work/hist" | grep -c '\.tmp' || true)
check "no temporary files are left in the directory ($leftover)" [ "$leftover" -eq 0 ]
"${hist[@]}" --keep 0 >/dev/null 2>&1
check "--keep 0 is refused" [ $? -eq 2 ]
"$bin" scan --no-config --profile linux --root "$work/hardened" --keep 3 >/dev/null 2>&1
check "--keep without --output-dir is refused" [ $? -eq 2 ]

# --- drift against the last scan, and --only-changes for cron -----------------------------------
make_fixture hardened "$work/drift-root"
d=("$bin" scan --no-config --profile linux --root "$work/drift-root" --output-dir "$work/drift" --baseline last --only-changes)
out=$("${d[@]}" 2>&1); rc=$?
check "first scan with --baseline last (no earlier scan) prints in full (exit $rc)" grep -q 'score' <<<"$out"
check "the first scan has no drift" silent jq -e 'has("drift") | not' "$work/drift/latest.json"
out=$("${d[@]}" 2>&1); rc=$?
check "nothing changed: --only-changes prints nothing (exit $rc)" [ -z "$out" ]
check "nothing changed: the results still carry the (empty) drift" \
  silent jq -e '.drift.newly_failing == [] and .drift.has_changes == false' "$work/drift/latest.json"
chmod 0644 "$work/drift-root/etc/shadow"
out=$("${d[@]}" 2>&1); rc=$?
check "a change: the scan prints ($rc)" [ -n "$out" ]
check "a change: the console names the newly failing rule" grep -q 'host.files.shadow' <<<"$out"
check "a change: the JSON drift lists it as newly failing" \
  silent jq -e '.drift.newly_failing | map(.id) | index("host.files.shadow") != null' "$work/drift/latest.json"
check "a change: the HTML report has the drift section" grep -q 'Changes since the last scan' "$work/drift/latest.html"
"$bin" scan --no-config --profile linux --root "$work/drift-root" --baseline last >/dev/null 2>&1
check "--baseline last without --output-dir is refused" [ $? -eq 2 ]
"$bin" scan --no-config --profile linux --root "$work/drift-root" --only-changes >/dev/null 2>&1
check "--only-changes without --baseline is refused" [ $? -eq 2 ]
"$bin" scan --no-config --profile linux --root "$work/drift-root" --baseline "$work/missing.json" --json "$work/never2.json" >/dev/null 2>&1
check "a missing baseline file is exit 2" [ $? -eq 2 ]
check "... and nothing was written" [ ! -e "$work/never2.json" ]

# --- Prometheus metrics -------------------------------------------------------------------------
prom="$work/metrics/hostbench.prom"
mkdir -p "$work/metrics"
"${scan[@]}" --waivers "$work/waivers.yaml" --prometheus "$prom" >/dev/null
check "metrics written" [ -s "$prom" ]
if command -v promtool >/dev/null; then
  check "promtool check metrics accepts the file" promtool check metrics <"$prom"
  lint=$(promtool check metrics <"$prom" 2>&1)
  check "promtool has no lint remarks ($lint)" [ -z "$lint" ]
else
  bad "promtool is missing (packaging/install-deps.sh --test installs prometheus)"
fi
perm=$(stat -c %a "$prom")
check "metrics are readable by node_exporter (0644: $perm)" [ "$perm" = 644 ]
nfail=$(jq '.summary.fail' "$work/w.json")
check "metrics count the failures ($nfail)" grep -qx "hostbench_rules{status=\"fail\"} $nfail" "$prom"
check "metrics carry the waiver counts" grep -qx 'hostbench_waivers{state="expired"} 1' "$prom"
check "no temporary file beside the metrics" [ "$(ls -A "$work/metrics" | wc -l)" -eq 1 ]

# --- syslog -------------------------------------------------------------------------------------
# A datagram socket at /dev/log stands in for the journal (made only where none exists).
if [ ! -e /dev/log ] && [ "$(id -u)" -eq 0 ]; then
  made_dev_log=1
  python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
print("ready", flush=True)
s.settimeout(20)
data = s.recv(65536)
open(sys.argv[1], "wb").write(data)
' "$work/syslog.txt" >"$work/syslog.ready" &
  syslog_pid=$!
  for _ in $(seq 1 200); do grep -q ready "$work/syslog.ready" 2>/dev/null && break; sleep 0.02; done
  "${scan[@]}" --syslog >/dev/null
  wait $syslog_pid; syslog_pid=
  rm -f /dev/log; made_dev_log=
  check "syslog: one summary line" grep -q 'hostbench\[[0-9]*\]: scan of .*rules:.*exit 1' "$work/syslog.txt"
  check "syslog: priority warning for a failing scan (daemon.warning = <28>)" grep -q '^<28>' "$work/syslog.txt"
else
  echo "note: /dev/log exists or not root; the syslog line is not captured here"
fi

# --- --timeout ----------------------------------------------------------------------------------
"$bin" scan --no-config --root "$work/weak" --timeout 0 >/dev/null 2>&1
check "--timeout 0 is refused" [ $? -eq 2 ]
"$bin" scan --no-config --profile linux --root "$work/weak" --quiet --timeout 60 --json "$work/t.json" >/dev/null
check "--timeout that is not reached changes nothing" [ "$(jq '[.results[] | select(.status == "notchecked")] | length' "$work/t.json")" = "$(jq '[.results[] | select(.status == "notchecked")] | length' "$work/plain.json")" ]

finish
