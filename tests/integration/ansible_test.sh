#!/usr/bin/env bash
# The Ansible role and playbook (packaging/ansible/), run for real with Debian's ansible-core
# against three SSH hosts made by this test:
#   - three network namespaces, each joined to this one by a veth pair on 10.213.N.0/30, each
#     with its own sshd (own host key, config, pid file and log in the test's directory) on
#     10.213.N.2, and a client key the test generates; known_hosts holds the three host keys
#     (StrictHostKeyChecking=yes);
#   - the .deb built from the build tree with cpack, installed by the role on the three "hosts":
#     they share this machine's filesystem, so the install is real here, three hosts at once
#     (hostbench_install_throttle: 1 serialises dpkg);
#   - each host scans its own fixture root (hardened, weak, docker-host) through
#     hostbench_scan_root; docker-host with its own profiles (linux, docker);
#   - a first run: the package, config.yaml, waivers.yaml (a waiver that applies on weak) and,
#     without systemd as PID 1 here, the cron.d fallback; three results fetched (JSON valid
#     hostbench-results/1 with the host's root, HTML beside it), the scan's temporary directories
#     gone, nothing written to the daily scan's history; `hostbench merge` (the build's binary, on
#     the controller) counting three hosts, its per-host scores and failed rules equal to the
#     fetched files', fleet.html linking each host's report;
#   - a second run, of the playbook the package installed: idempotent (no task of the role changed anything; the only changes are the
#     fetched files and the fleet report);
#   - --check before anything is installed (one host): clean, announces the installation and
#     the files, writes nothing;
#   - --check: runs clean and changes nothing (no changed task, results untouched), and again
#     with the apt install path and hostbench_schedule: timer (the package is found installed; the
#     role says why no timer can be enabled here; only the cron file's removal is announced);
#   - ansible-playbook --syntax-check and ansible-lint (production profile) on the playbook.
# Where network namespaces cannot be made, the hosts become ansible_connection=local aliases, and
# the test says so loudly. Tear-down (trap): sshd and every process of the namespaces, the
# namespaces and veths, and everything the run installed or wrote on this machine: the package
# (purged unless it was installed before), /etc/hostbench (restored if it existed),
# /etc/cron.d/hostbench, /var/cache/hostbench, /run/sshd when the test made it.
# Usage: ansible_test.sh BUILD_DIR SOURCE_DIR (as root; 50 to 100 s). HOSTBENCH_TEST_KEEP=1 keeps
# the test's directory (logs of every run, results) after the tear-down; HOSTBENCH_TEST_NO_NETNS=1
# takes the ansible_connection=local fallback.
set -uo pipefail
export LC_ALL=C.UTF-8
build=$(realpath "$1")
src=$(realpath "$2")
source "$src/tests/integration/lib.sh"
started=$(date +%s.%N)
phase() { echo "[$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%5.1f", e - s }') s] $*"; }

if [ "$(id -u)" -ne 0 ]; then echo "ansible_test: SKIPPED: needs root (network namespaces, dpkg)"; exit 77; fi
# Every tool comes from `packaging/install-deps.sh --test`; a missing one is a failure.
for tool in ansible-playbook ansible-lint ssh ssh-keygen /usr/sbin/sshd ip cpack dpkg jq /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "ansible_test: $tool is missing (packaging/install-deps.sh --test)" >&2; exit 1; }
done
# Ansible's apt module needs python3-apt on the hosts; without it, it installs it itself, and
# three hosts sharing one dpkg would collide doing so.
/usr/bin/python3 -c 'import apt' 2>/dev/null || { echo "ansible_test: python3-apt is missing (packaging/install-deps.sh --test)" >&2; exit 1; }
[ -f "$build/CPackConfig.cmake" ] || { echo "ansible_test: no $build/CPackConfig.cmake" >&2; exit 1; }
[ -x "$build/hostbench" ] || { echo "ansible_test: no $build/hostbench" >&2; exit 1; }

work=$(mktemp -d /tmp/hostbench-ansible-XXXXXX)
chmod 0755 "$work"
hosts=(hardened weak docker-host)
tag=$$
namespaces=()

# --- What is on this machine before, so that the tear-down leaves it exactly so --------------
pkg_before=$(dpkg-query -W -f '${Status} ${Version}' hostbench 2>/dev/null | sed -n 's/^install ok installed //p')
[ -e /etc/hostbench ] && cp -a /etc/hostbench "$work/etc-hostbench.before"
[ -e /etc/cron.d/hostbench ] && cp -a /etc/cron.d/hostbench "$work/cron-hostbench.before"
cache_before=no; [ -e /var/cache/hostbench ] && cache_before=yes
run_sshd_before=no; [ -e /run/sshd ] && run_sshd_before=yes
scan_tmp_before=$(ls -d /tmp/hostbench-scan.* 2>/dev/null | wc -l)
if [ -n "$pkg_before" ]; then
  echo "ansible_test: NOTE: hostbench $pkg_before is installed on this machine; the role installs" \
       "this build's package over it, and the test leaves that installed (it cannot bring back the old one)"
fi

cleanup() {
  local ns pid
  for ns in "${namespaces[@]}"; do
    # sshd and the sessions it forked; then the SSH control masters on this side see EOF.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
  done
  sleep 0.2
  for ns in "${namespaces[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  for i in 1 2 3; do ip link del "hba${tag}h$i" 2>/dev/null; done
  # The SSH control masters (ControlPersist) under the test's ANSIBLE_HOME, if any is left.
  for sock in "$work"/ansible-home/cp/*; do
    [ -S "$sock" ] && ssh -o ControlPath="$sock" -O exit dummy >/dev/null 2>&1
  done
  if [ -z "$pkg_before" ] && dpkg-query -W hostbench >/dev/null 2>&1; then
    dpkg --purge hostbench >"$work/purge.log" 2>&1 || { echo "ansible_test: dpkg --purge hostbench failed:" >&2; cat "$work/purge.log" >&2; }
  fi
  rm -rf /etc/hostbench
  [ -e "$work/etc-hostbench.before" ] && cp -a "$work/etc-hostbench.before" /etc/hostbench
  rm -f /etc/cron.d/hostbench
  [ -e "$work/cron-hostbench.before" ] && cp -a "$work/cron-hostbench.before" /etc/cron.d/hostbench
  [ "$cache_before" = no ] && rm -rf /var/cache/hostbench
  [ "$run_sshd_before" = no ] && rmdir /run/sshd 2>/dev/null
  if [ -n "${HOSTBENCH_TEST_KEEP:-}" ]; then echo "ansible_test: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$work"

phase "cpack"
# --- The package -----------------------------------------------------------------------------
(cd "$build" && cpack -G DEB -B "$work/cpack") >"$work/cpack.log" 2>&1
debs=("$work"/cpack/*.deb)
if [ ! -f "${debs[0]}" ]; then cat "$work/cpack.log" >&2; bad "cpack -G DEB made a .deb"; finish; exit 1; fi
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
echo "package: $(basename "$deb")"

# --- Fixture roots ---------------------------------------------------------------------------
for h in "${hosts[@]}"; do make_fixture "$h" "$work/roots/$h"; done

phase "hosts"
# --- Three SSH hosts in network namespaces ---------------------------------------------------
mkdir -m 0700 "$work/ssh"
ssh-keygen -q -t ed25519 -N '' -C hostbench-ansible-test -f "$work/ssh/id_ed25519"
cp "$work/ssh/id_ed25519.pub" "$work/ssh/authorized_keys"
chmod 0600 "$work/ssh/authorized_keys"
: >"$work/ssh/known_hosts"
mode=ssh
if ip -4 -o addr show | grep -q ' 10\.213\.[123]\.'; then
  bad "10.213.1-3.0/30 are free for the test's hosts (already in use here)"; finish; exit 1
fi
make_host() {  # make_host N: namespace, veth pair, sshd on 10.213.N.2
  local i=$1 ns="hbans-$tag-$1" addr="10.213.$1.2"
  ip netns add "$ns" || return 1
  namespaces+=("$ns")
  ip link add "hba${tag}h$i" type veth peer name "hba${tag}n$i" || return 1
  ip link set "hba${tag}n$i" netns "$ns" || return 1
  ip addr add "10.213.$i.1/30" dev "hba${tag}h$i" && ip link set "hba${tag}h$i" up || return 1
  ip -n "$ns" link set lo up && ip -n "$ns" addr add "$addr/30" dev "hba${tag}n$i" &&
    ip -n "$ns" link set "hba${tag}n$i" up || return 1
  ssh-keygen -q -t ed25519 -N '' -C "host$i" -f "$work/ssh/host_$i" || return 1
  echo "$addr $(cut -d' ' -f1,2 "$work/ssh/host_$i.pub")" >>"$work/ssh/known_hosts"
  cat >"$work/ssh/sshd_$i.conf" <<EOF
ListenAddress $addr:22
HostKey $work/ssh/host_$i
PidFile $work/ssh/sshd_$i.pid
AuthorizedKeysFile $work/ssh/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
PrintMotd no
MaxSessions 30
Subsystem sftp internal-sftp
EOF
  /usr/sbin/sshd -t -f "$work/ssh/sshd_$i.conf" || return 1
  ip netns exec "$ns" /usr/sbin/sshd -D -e -f "$work/ssh/sshd_$i.conf" 2>"$work/ssh/sshd_$i.log" &
}
ssh_opts=(-o "UserKnownHostsFile=$work/ssh/known_hosts" -o GlobalKnownHostsFile=/dev/null
          -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5)
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd
if [ -n "${HOSTBENCH_TEST_NO_NETNS:-}" ]; then
  mode=local; echo "HOSTBENCH_TEST_NO_NETNS is set" >"$work/netns.err"  # to try the fallback
else
  for i in 1 2 3; do
    if ! make_host "$i" 2>"$work/netns.err"; then mode=local; break; fi
  done
fi
if [ "$mode" = ssh ]; then
  for i in 1 2 3; do
    up=no
    for _ in $(seq 50); do
      if ssh "${ssh_opts[@]}" -i "$work/ssh/id_ed25519" "root@10.213.$i.2" true 2>/dev/null; then up=yes; break; fi
      sleep 0.1
    done
    check "sshd in namespace $i answers on 10.213.$i.2 with the test's key" [ "$up" = yes ]
    [ "$up" = yes ] || { cat "$work/ssh/sshd_$i.log" >&2; finish; exit 1; }
  done
else
  echo "################################################################################################"
  echo "ansible_test: WARNING: network namespaces cannot be made here ($(head -c 300 "$work/netns.err")):"
  echo "ansible_test: WARNING: FALLING BACK to ansible_connection=local aliases; SSH is NOT tested."
  echo "################################################################################################"
fi

# --- Inventory ---------------------------------------------------------------------------------
{
  echo "all:"
  echo "  vars:"
  if [ "$mode" = ssh ]; then
    echo "    ansible_user: root"
    echo "    ansible_ssh_private_key_file: $work/ssh/id_ed25519"
    echo "    ansible_ssh_common_args: >-"
    echo "      -o UserKnownHostsFile=$work/ssh/known_hosts -o GlobalKnownHostsFile=/dev/null"
    echo "      -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"
  else
    echo "    ansible_connection: local"
  fi
  cat <<EOF
    ansible_python_interpreter: /usr/bin/python3
    ansible_remote_tmp: $work/remote-tmp
    # root already, and this machine has no sudo
    ansible_become: false
    hostbench_install_from: deb
    hostbench_deb: $deb
    # the three hosts share this machine's dpkg
    hostbench_install_throttle: 1
    hostbench_schedule: timer_or_cron
    # one cron.d file for the three hosts here: the same minute for all (by default each host
    # has its own, which would rewrite the shared file on every run)
    hostbench_cron_minute: "17"
    hostbench_vars:
      pass_max_days: 365
    hostbench_waivers:
      - rule: host.files.motd
        justification: "Marketing owns the <b>banner</b> & its \"mode\"; see 'MKT-7'"
        owner: ops@example.org
        expires: "2099-12-31"
    hostbench_max_result_age_hours: 24
  hosts:
EOF
  i=0
  for h in "${hosts[@]}"; do
    i=$((i + 1))
    echo "    $h:"
    [ "$mode" = ssh ] && echo "      ansible_host: 10.213.$i.2"
    echo "      hostbench_scan_root: $work/roots/$h"
    [ "$h" = docker-host ] && echo "      hostbench_scan_profiles: [linux, docker]"
  done
} >"$work/inventory.yml"

export ANSIBLE_CONFIG="$src/packaging/ansible/ansible.cfg"
export ANSIBLE_HOME="$work/ansible-home"
export ANSIBLE_LOCAL_TEMP="$work/ansible-home/tmp"
export ANSIBLE_SSH_CONTROL_PATH_DIR="$work/ansible-home/cp"
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_DISPLAY_SKIPPED_HOSTS=1
playbook="$src/packaging/ansible/scan.yml"
play() {  # play LOG ARGS...: ansible-playbook from $work (results land in $work/results)
  local log=$1; shift
  (cd "$work" && ansible-playbook -i "$work/inventory.yml" "$playbook" \
     -e "hostbench_merge_binary=$build/hostbench" "$@") >"$log" 2>&1
}
# "TASK<TAB>HOST" for every task that reported changed (handlers included).
changed_tasks() {
  awk '/^(TASK|RUNNING HANDLER) \[/ { t = $0; sub(/^[A-Z ]+ \[/, "", t); sub(/\] \**$/, "", t) }
       /^changed: \[/ { h = $0; sub(/^changed: \[/, "", h); sub(/[] ].*/, "", h); print t "\t" h }' "$1" | sort -u
}
recap_ok() {  # every host in the recap with failed=0 unreachable=0
  local log=$1 h
  for h in "${hosts[@]}"; do
    grep -qE "^$h +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0 " "$log" || return 1
  done
}

phase "lint"
# --- Syntax and lint -------------------------------------------------------------------------
(cd "$work" && ansible-playbook -i "$work/inventory.yml" --syntax-check "$playbook") >"$work/syntax.log" 2>&1
rc=$?
check "ansible-playbook --syntax-check scan.yml (rc $rc)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$work/syntax.log" >&2
(cd "$src/packaging/ansible" && HOME="$work/lint-home" XDG_CACHE_HOME="$work/lint-home/cache" \
   ansible-lint --offline --nocolor scan.yml roles/hostbench) >"$work/lint.log" 2>&1
rc=$?
check "ansible-lint passes the production profile (rc $rc)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$work/lint.log" >&2

phase "check mode, before anything is installed"
# --- --check on a host that has nothing yet: clean, announces the install, writes nothing --------
machine_state() {
  ls -lR --time-style=full-iso /etc/hostbench /var/cache/hostbench /etc/cron.d/hostbench 2>&1
  dpkg-query -W -f '${Status} ${Version}\n' hostbench 2>&1
}
machine_state >"$work/fresh-before.state"
play "$work/check-fresh.log" --check --limit weak
rc=$?
check "--check before the first run: exits 0 (rc $rc)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/  | /' "$work/check-fresh.log" | tail -60 >&2
changed_tasks "$work/check-fresh.log" >"$work/check-fresh.changed"
check "--check before the first run: announces the copy, the configuration and the cron entry" \
  bash -c 'for t in "Copy the .deb to the host" "Write config.yaml" "Write the waivers file" "Write /etc/cron.d/hostbench"; do
             grep -qF "hostbench : $t	weak" "$1" || exit 1; done' _ "$work/check-fresh.changed"
check "--check before the first run: says the .deb's installation cannot be simulated yet" \
  grep -qF "Check mode: $(basename "$deb") is not on the host yet" "$work/check-fresh.log"
check "--check before the first run: nothing installed or written on the machine" \
  cmp -s "$work/fresh-before.state" <(machine_state)

phase "first run"
# --- First run -------------------------------------------------------------------------------
play "$work/run1.log"
rc=$?
check "first run: ansible-playbook exits 0 (rc $rc)" [ $rc -eq 0 ]
check "first run: every host ok, none failed or unreachable" recap_ok "$work/run1.log"
[ $rc -eq 0 ] || sed 's/^/  | /' "$work/run1.log" | tail -80 >&2
check "first run: the role installed the package (one host installs, the others find it installed)" \
  [ "$(changed_tasks "$work/run1.log" | grep -cP '^hostbench : Install the \.deb\t')" -eq 1 ]
installed=$(dpkg-query -W -f '${Status} ${Version}' hostbench 2>/dev/null)
check "hostbench $version is installed (got '$installed')" [ "$installed" = "install ok installed $version" ]
check "the .deb is kept in /var/cache/hostbench" [ -f "/var/cache/hostbench/$(basename "$deb")" ]

# config.yaml from the variables, accepted by the installed hostbench; the waivers from
# hostbench_waivers, in force (--output-dir on the command line wins over the file's).
cfg=/etc/hostbench/config.yaml
check "config.yaml is 0644 root:root" [ "$(stat -c '%a %U:%G' $cfg 2>/dev/null)" = "644 root:root" ]
check "waivers.yaml is 0640 root:root" [ "$(stat -c '%a %U:%G' /etc/hostbench/waivers.yaml 2>/dev/null)" = "640 root:root" ]
check "config.yaml holds the role's profiles, vars, waivers and output settings" /usr/bin/python3 - "$cfg" <<'EOF'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
assert c["profiles"] == ["default"], c
assert c["vars"] == {"pass_max_days": 365}, c
assert c["waivers"] == "/etc/hostbench/waivers.yaml", c
assert c["output"]["directory"] == "/var/lib/hostbench" and c["output"]["keep"] == 30, c
assert c["baseline"] == "last" and c["nice"] is True, c
EOF
/usr/bin/hostbench scan --config "$cfg" --output-dir "$work/history" --root "$work/roots/weak" \
  --quiet --json "$work/config-scan.json" >"$work/config-scan.log" 2>&1
rc=$?
check "the installed hostbench scans with the role's config.yaml (rc $rc: not 2)" [ $rc -eq 1 ]
[ $rc -eq 1 ] || cat "$work/config-scan.log" >&2
check "the role's waiver applies in that scan: host.files.motd waived, justification intact" \
  jq -e '(.results[] | select(.id == "host.files.motd") | .status == "waived") and
         (.waivers.applied >= 1) and
         ([.results[].waivers[]?.waiver.justification] | index("Marketing owns the <b>banner</b> & its \"mode\"; see '"'"'MKT-7'"'"'") != null)' \
  "$work/config-scan.json"

# The schedule: no systemd as PID 1 here, so hostbench_schedule: timer_or_cron wrote the cron.d
# fallback.
check "the service manager here is not systemd (the test expects the cron fallback)" \
  bash -c '[ "$(ps -p 1 -o comm=)" != systemd ]'
check "/etc/cron.d/hostbench is 0644 root:root" [ "$(stat -c '%a %U:%G' /etc/cron.d/hostbench 2>/dev/null)" = "644 root:root" ]
check "/etc/cron.d/hostbench runs the daily scan with the config file" \
  grep -qE '^[0-9]+ 4 \* \* \* root \[ -x /usr/bin/hostbench \] && \{ /usr/bin/hostbench scan --config /etc/hostbench/config.yaml --nice --quiet --only-changes;' /etc/cron.d/hostbench

# The fetched results.
for h in "${hosts[@]}"; do
  j="$work/results/$h.json"
  check "results/$h.json fetched, hostbench-results/1 of root $work/roots/$h" \
    jq -e --arg root "$work/roots/$h" '.schema == "hostbench-results/1" and .scan.root == $root and .summary.total > 0' "$j"
  check "results/$h.html fetched, an HTML report of the same scan" \
    bash -c 'grep -q "<!DOCTYPE html>" "$1" && grep -qF "$2" "$1"' _ "$work/results/$h.html" "$(jq -r .scan.started "$j")"
done
check "hardened.json is the hardened fixture's scan (hostname hardened, nothing fails)" \
  jq -e '.scan.hostname == "hardened" and .summary.fail == 0' "$work/results/hardened.json"
check "weak.json is the weak fixture's (hostname weak, failures) and the waiver applied there" \
  jq -e '.scan.hostname == "weak" and .summary.fail > 50 and (.results[] | select(.id == "host.files.motd") | .status) == "waived"' \
  "$work/results/weak.json"
check "docker-host.json was scanned with its own profiles, linux and docker" \
  jq -e '[.scan.profiles[] | select(.requested) | .id] == ["linux", "docker"]' "$work/results/docker-host.json"
check "the other hosts were scanned with the role's profiles (default)" \
  jq -e '[.scan.profiles[] | select(.requested) | .id] == ["default"]' "$work/results/weak.json"
check "the scans' temporary directories are gone from the hosts" \
  [ "$(ls -d /tmp/hostbench-scan.* 2>/dev/null | wc -l)" -eq "$scan_tmp_before" ]
# (Only this test's scans count: another scan on this machine meanwhile, without --no-config,
# reads the role's config.yaml and may write there.)
check "the playbook's scans wrote nothing to the daily scan's history (/var/lib/hostbench)" \
  bash -c 'for f in /var/lib/hostbench/*.json; do [ -f "$f" ] || continue
             jq -e --arg w "$1/roots/" "(.scan.root // \"\") | startswith(\$w)" "$f" >/dev/null && exit 1; done; exit 0' _ "$work"

# The merge on the controller.
fj="$work/results/fleet.json"
check "merge wrote fleet.json: hostbench-fleet/1, three files, three hosts, nothing skipped" \
  jq -e '.schema == "hostbench-fleet/1" and .summary.files == 3 and .summary.hosts == 3 and
         .summary.skipped == 0 and (.hosts | length) == 3 and .max_result_age_hours == 24' "$fj"
for h in "${hosts[@]}"; do
  j="$work/results/$h.json"
  check "fleet.json has $h with the score and failed rules of results/$h.json, and its HTML report" \
    jq -e --slurpfile r "$j" --arg file "$j" --arg h "$h" '
      [.hosts[] | select(.file == $file or (.file | endswith("/" + $h + ".json")))] as $m
      | ($m | length) == 1 and $m[0].score == $r[0].summary.score and $m[0].stale == false
        and ($m[0].failed | sort) == ([$r[0].results[] | select(.status == "fail") | .id] | sort)
        and ($m[0].report_html | endswith("/results/" + $h + ".html"))' "$fj"
  # The page builds its links from its embedded data: the relative link is there, quoted.
  check "fleet.html links $h.html (its drill-down to the fetched report)" grep -qF "\"$h.html\"" "$work/results/fleet.html"
done
check "fleet.html is one self-contained page (no external script, style or image)" \
  bash -c '! grep -qiE "<(script|link|img)[^>]+(src|href)=\"(https?:)?//" "$1"' _ "$work/results/fleet.html"
check "the results directory is 0750" [ "$(stat -c %a "$work/results")" = 750 ]

# The package ships the playbook and role (README's command line): the same files as the source.
check "the package installed the playbook and role under /usr/share/hostbench/ansible, as in the source" \
  diff -r -x results "$src/packaging/ansible" /usr/share/hostbench/ansible

phase "second run"
# --- Second run: idempotent (with the installed playbook, as the README runs it) ----------------
playbook=/usr/share/hostbench/ansible/scan.yml
play "$work/run2.log"
rc=$?
check "second run: ansible-playbook exits 0 (rc $rc)" [ $rc -eq 0 ]
check "second run: every host ok, none failed or unreachable" recap_ok "$work/run2.log"
changed_tasks "$work/run2.log" >"$work/run2.changed"
echo "second run, changed tasks:"; sed 's/^/  /' "$work/run2.changed"
check "second run: no task of the role changed anything" bash -c '! grep -q "^hostbench : " "$1"' _ "$work/run2.changed"
check "second run: the only changes are the fetched results and the fleet report" \
  bash -c '! grep -vqE "^(Fetch the JSON results|Fetch the HTML report|Merge the results into the fleet report)	" "$1"' _ "$work/run2.changed"
check "second run: each host's results fetched again (a new scan)" \
  [ "$(grep -cE '^Fetch the (JSON results|HTML report)	' "$work/run2.changed")" -eq 6 ]
[ $rc -eq 0 ] || sed 's/^/  | /' "$work/run2.log" | tail -60 >&2

phase "check mode"
# --- --check: clean, and changes nothing -------------------------------------------------------
sums() { (cd "$work/results" && sha256sum ./*; stat -c '%n %Y' /etc/hostbench/* /etc/cron.d/hostbench /var/cache/hostbench/*); }
sums >"$work/before-check.sums"
play "$work/check.log" --check
rc=$?
check "--check: ansible-playbook exits 0 (rc $rc)" [ $rc -eq 0 ]
check "--check: every host ok, none failed or unreachable" recap_ok "$work/check.log"
check "--check: no task reports a change" [ -z "$(changed_tasks "$work/check.log")" ]
check "--check: nothing scanned, fetched or merged (results and installed files untouched)" \
  cmp -s "$work/before-check.sums" <(sums)
[ $rc -eq 0 ] || sed 's/^/  | /' "$work/check.log" | tail -60 >&2

# The apt install path (the package is found installed) and hostbench_schedule: timer without
# systemd (the role says why, and would only remove the cron fallback). One host is enough.
play "$work/check-apt.log" --check --limit weak -e hostbench_install_from=apt -e hostbench_schedule=timer
rc=$?
check "--check with install_from=apt and schedule=timer: exits 0 (rc $rc)" [ $rc -eq 0 ]
changed_tasks "$work/check-apt.log" >"$work/check-apt.changed"
check "--check apt: the package is already installed (Install the package: ok)" \
  bash -c 'grep -q "^TASK \[hostbench : Install the package\]" "$1" && ! grep -q "^hostbench : Install the package	" "$2"' \
  _ "$work/check-apt.log" "$work/check-apt.changed"
check "--check apt/timer: the only change announced is the cron fallback's removal" \
  bash -c '[ -s "$1" ] && ! grep -vq "^hostbench : Remove /etc/cron.d/hostbench	" "$1"' _ "$work/check-apt.changed"
check "--check timer: the role says the timer cannot be enabled without systemd" \
  grep -q "hostbench.timer is not enabled on weak: its service manager is $(ps -p 1 -o comm=), not systemd" "$work/check-apt.log"
check "--check timer: /etc/cron.d/hostbench is still there" [ -f /etc/cron.d/hostbench ]
[ $rc -eq 0 ] || sed 's/^/  | /' "$work/check-apt.log" | tail -60 >&2

phase "done"
echo "mode: $mode ($([ "$mode" = ssh ] && echo "three sshd in network namespaces" || echo "ansible_connection=local FALLBACK"))"
for f in run1 run2 check; do
  echo "$f: $(grep -cE '^(TASK|RUNNING HANDLER) \[' "$work/$f.log") tasks; recap:"
  sed -n '/^PLAY RECAP/,$p' "$work/$f.log" | sed '1d;/^$/d;s/^/  /'
done
finish
