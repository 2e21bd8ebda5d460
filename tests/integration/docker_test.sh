#!/usr/bin/env bash
# The docker profile against a real Docker 20.10 daemon: an isolated dockerd (own data root, exec
# root, socket and config; never /etc/docker or /var/lib/docker), a busybox image made offline, a
# weak and a hardened container, a FROM-scratch image built from a Dockerfile; then `hostbench scan
# --profile docker --profile images --dockerfile ...` through the Engine API and
# from the daemon's files on disk. Both must judge each container as expected, and identically.
# Teardown must leave no daemon process and nothing mounted.
# Usage: docker_test.sh HOSTBENCH_BINARY SOURCE_DIR   (as root; exits 77, skipped, when no
# dockerd can run here at all: see docker_can_run in tests/integration/docker/lib.sh)
set -euo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")

# Rules allowed to end in `error` in the API run. Keep empty; add an id only with a reason.
ALLOWED_ERRORS=()

# shellcheck source=tests/integration/docker/lib.sh
source "$src/tests/integration/docker/lib.sh"
# shellcheck source=tests/integration/lib.sh
source "$src/tests/integration/lib.sh"   # ok, bad, check, finish

if ! docker_can_run; then
  echo "docker_test: SKIPPED: no dockerd can run on this machine (reason above)"
  exit 77
fi

W=$(mktemp -d /tmp/hbd.XXXXXX)
out=$(mktemp -d /tmp/hb-docker-out.XXXXXX)
footprint() { docker_host_footprint | grep -v '^links='; }
footprint_before=$(footprint)
declare -A ms=()
t_mark=$(_hb_now_ms)
lap() { local now; now=$(_hb_now_ms); ms[$1]=$((now - t_mark)); t_mark=$now; }

on_exit() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  # Second teardown on the normal path: must be a no-op (idempotence is part of the test).
  docker_env_teardown
  if ! docker_env_check_clean "$W"; then
    echo "FAILED: teardown left a process, a mount or $W (above)" >&2
    rc=1
  fi
  local after
  after=$(footprint)
  if [ "$after" != "$footprint_before" ]; then
    echo "FAILED: the isolated daemon changed the host's Docker paths or ip_forward:" >&2
    diff <(echo "$footprint_before") <(echo "$after") >&2
    rc=1
  fi
  if [ "${#ms[@]}" -gt 0 ]; then
    local k line=""
    for k in dockerd image containers scratch_image scan_api scan_disk teardown; do
      [ -n "${ms[$k]:-}" ] && line+=" $k=${ms[$k]}ms"
    done
    echo "docker_test: timings:$line"
  fi
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "FAILED: docker_test stopped (exit $rc) before its checks ran (messages above)" >&2
  fi
  if [ "$rc" -eq 0 ] || [ -z "$(ls -A "$out")" ]; then
    rm -rf "$out"
  else
    echo "docker_test: scan outputs kept in $out" >&2
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. The daemon, the image, the containers.
docker_env_setup "$W"
ms[dockerd]=$HB_DOCKER_START_MS
t_mark=$(_hb_now_ms)
docker_make_image hb-busybox:latest
lap image
docker_run_test_containers hb-busybox:latest
lap containers
docker_build_scratch_image hb-scratch:1.0 "$W/build"
lap scratch_image
echo "docker_test: dockerd $HB_DOCKER_PID, $DOCKER_HOST, socket bind in hb-weak: $HB_DOCKER_SOCK_BIND"

# A process named sshd inside hb-weak (a script's process takes the script's name), for 5.7.
docker exec -d hb-weak sh -c 'printf "#!/bin/sh\nsleep 3600\n" > /tmp/sshd && chmod 755 /tmp/sshd && /tmp/sshd'
for _ in $(seq 50); do
  docker exec hb-weak sh -c 'cat /proc/[0-9]*/comm' 2>/dev/null | grep -qx sshd && break
  sleep 0.1
done

# 2. The scans (cwd = SRC so ./profiles is found). Exit 0, 1 or 3 means a report was written.
scan() { # MODE
  local rc=0
  (cd "$src" && timeout 300 "$bin" scan --profile docker --profile images \
     --dockerfile "$W/build/Dockerfile" --docker "$1" --json "$out/$1.json") \
    > "$out/$1.console" 2> "$out/$1.stderr" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 3 ]; then
    bad "scan --docker $1 exited $rc"
    sed 's/^/    /' "$out/$1.stderr" >&2
    return 1
  fi
  if ! jq -e '.results | type == "array"' "$out/$1.json" > /dev/null 2>&1; then
    bad "scan --docker $1 wrote no valid JSON results ($out/$1.json)"
    sed 's/^/    /' "$out/$1.stderr" >&2
    return 1
  fi
  ok
}
scan api && have_api=1 || have_api=0
lap scan_api
scan disk && have_disk=1 || have_disk=0
lap scan_disk

# 3. Per-container statuses. An object's id starts with the container name and a space.
expect=()   # "RULE CONTAINER STATUS"
for r in privileged docker_sock host_network host_pid memory_limit pids_limit readonly_rootfs \
    no_new_privileges user capabilities sensitive_mounts healthcheck cpu_shares; do
  expect+=("docker.container.$r hb-weak fail" "docker.container.$r hb-hardened pass")
done
expect+=("docker.container.restart_policy hb-hardened pass")
expect+=("docker.container.sshd hb-weak fail" "docker.container.sshd hb-hardened pass")
# Images (issue 8): the imported busybox image (a shell, no USER) and the FROM-scratch one.
expect+=("image.user hb-busybox:latest fail" "image.user hb-scratch:1.0 pass")
expect+=("image.shell hb-busybox:latest informational" "image.shell hb-scratch:1.0 informational")
expect+=("docker.image.healthcheck hb-busybox:latest fail" "docker.image.healthcheck hb-scratch:1.0 pass")
expect+=("image.latest_in_use hb-busybox:latest fail" "image.latest_in_use hb-scratch:1.0 pass")
expect+=("image.dangling hb-busybox:latest pass" "image.dangling hb-scratch:1.0 pass")
expect+=("runtime.process_limit hb-weak fail" "runtime.process_limit hb-hardened pass")
expect+=("runtime.memory_swap hb-weak fail" "runtime.memory_swap hb-hardened pass")
# The Dockerfile the scratch image was built from: every Dockerfile rule it is written to pass.
for r in user_nonroot base_pinned copy_not_add no_add_url exec_form healthcheck no_update_alone \
    no_secrets no_world_writable_or_setuid; do
  expect+=("dockerfile.$r $W/build/Dockerfile pass")
done
expect+=("dockerfile.apt_hygiene $W/build/Dockerfile notapplicable")   # it installs nothing

# The object's status, or "missing" / "ambiguous" / "no-rule".
status_of() { # FILE RULE NAME
  jq -r --arg rule "$2" --arg name "$3" '
    [.results[] | select(.id == $rule)] as $r
    | if ($r | length) == 0 then "no-rule"
      else [$r[0].objects[]? | select(.id == $name or (.id | startswith($name + " ")))]
        | if length == 0 then "missing(rule:" + $r[0].status + ")"
          elif length > 1 then "ambiguous"
          else .[0].status end
      end' "$1"
}
evidence_of() { # FILE RULE NAME: the object's evidence, else the rule's
  jq -r --arg rule "$2" --arg name "$3" '
    [.results[] | select(.id == $rule)][0] as $r
    | if $r == null then "rule not in results"
      else ([$r.objects[]? | select(.id == $name or (.id | startswith($name + " ")))][0]) as $o
        | if $o != null then ($o.id + ":"), ($o.evidence[]? | "  " + .)
          else "rule status " + $r.status + ", no object for " + $name + ":", ($r.evidence[]? | "  " + .) end
      end' "$1" | sed 's/^/      /'
}

printf '%-38s %-12s %-8s %-8s %-8s\n' rule container expected api disk
for e in "${expect[@]}"; do
  read -r rule name want <<< "$e"
  got_api=-; got_disk=-
  [ "$have_api" -eq 1 ] && got_api=$(status_of "$out/api.json" "$rule" "$name")
  [ "$have_disk" -eq 1 ] && got_disk=$(status_of "$out/disk.json" "$rule" "$name")
  mark=""
  [ "$have_api" -eq 0 ] || [ "$got_api" = "$want" ] || mark+=" <- api"
  [ "$have_disk" -eq 0 ] || [ "$got_disk" = "$want" ] || mark+=" <- disk"
  printf '%-38s %-12s %-8s %-8s %-8s%s\n' "$rule" "$name" "$want" "$got_api" "$got_disk" "$mark"
  for mode in api disk; do
    v=got_$mode have=have_$mode
    [ "${!have}" -eq 1 ] || continue   # that scan already failed (counted once above)
    if [ "${!v}" = "$want" ]; then
      ok
    else
      bad "$rule $name: --docker $mode says ${!v}, expected $want"
      [ -f "$out/$mode.json" ] && evidence_of "$out/$mode.json" "$rule" "$name" >&2
    fi
  done
done

# 4. The API and the disk agree on every docker.container.* object.
objects() { # FILE: "rule container status", sorted
  jq -r '.results[] | select(.id | test("^(docker\\.container|image|runtime)\\.")) | .id as $r
         | .objects[]? | "\($r) \(.id | split(" ")[0]) \(.status)"' "$1" | LC_ALL=C sort
}
if [ "$have_api" -eq 1 ] && [ "$have_disk" -eq 1 ]; then
  objects "$out/api.json" > "$out/api.objects"
  objects "$out/disk.json" > "$out/disk.objects"
  n=$(wc -l < "$out/api.objects")
  if [ "$n" -eq 0 ]; then
    bad "no docker.container.* object in the API run"
  elif diff -u "$out/api.objects" "$out/disk.objects" > "$out/objects.diff"; then
    ok
    echo "api and disk agree on all $n container and image objects"
  else
    bad "api and disk disagree on container or image objects (- api, + disk):"
    grep '^[-+][^-+]' "$out/objects.diff" | sed 's/^/    /' >&2
  fi
fi

# 5. No docker.* rule ends in error through the API, except those listed in ALLOWED_ERRORS.
if [ "$have_api" -eq 1 ]; then
  allowed='[]'
  if [ "${#ALLOWED_ERRORS[@]}" -gt 0 ]; then
    allowed=$(printf '%s\n' "${ALLOWED_ERRORS[@]}" | jq -R . | jq -sc .)
  fi
  errors=$(jq -r --argjson allowed "$allowed" '
    .results[] | select((.id | startswith("docker.")) and .status == "error")
    | select(.id as $i | $allowed | index($i) | not)
    | "\(.id): \([.evidence[]?] | join("; "))"' "$out/api.json")
  if [ -n "$errors" ]; then
    bad "docker.* rules in error (--docker api):"
    sed 's/^/    /' <<< "$errors" >&2
  else
    ok
    echo "no docker.* rule in error (--docker api; allowed: ${ALLOWED_ERRORS[*]:-none})"
  fi
fi

# 6. A user who may not open the socket: the container rules are `error` and say why; nothing
# is guessed from disk (the state files are root's anyway).
if command -v setpriv > /dev/null && id nobody > /dev/null 2>&1; then
  nb=$(mktemp -d /tmp/hb-nobody.XXXXXX) && chmod 0777 "$nb"
  rc=0
  (cd "$src" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
     "$bin" scan --profile docker --check 'docker.container.*' --json "$nb/r.json") \
    > /dev/null 2> "$nb/stderr" || rc=$?
  st=$(jq -r '.results[] | select(.id == "docker.container.privileged") | .status' \
         "$nb/r.json" 2> /dev/null || echo none)
  ev=$(jq -r '.results[] | select(.id == "docker.container.privileged") | .evidence[]' \
         "$nb/r.json" 2> /dev/null || true)
  if [ "$rc" -eq 3 ] && [ "$st" = error ] && grep -q "permission denied" <<< "$ev"; then
    ok
    echo "as nobody: exit 3, docker.container.privileged error: $ev"
  else
    bad "as nobody: expected exit 3 and an error naming 'permission denied'; got exit $rc, $st: $ev"
    sed 's/^/    /' "$nb/stderr" >&2
  fi
  rm -rf "$nb"
fi

# 7. Teardown, timed; the EXIT trap runs it again and asserts nothing is left.
t_mark=$(_hb_now_ms)
docker_env_teardown
lap teardown
check "teardown left nothing behind" docker_env_check_clean "$W"

finish
