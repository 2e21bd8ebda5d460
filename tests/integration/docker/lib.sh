# Sourced helpers for the Docker integration test and the fixture capture: an isolated dockerd
# (its own data root, exec root, socket and config, never /etc/docker or /var/lib/docker), a
# busybox image made offline, the two test containers, and a teardown that leaves nothing behind.
# Works under `set -euo pipefail`. Needs root, Debian's docker.io (dockerd, containerd, runc),
# busybox-static, jq and curl. Facts this relies on: /work/shared/FACTS.md, "Docker".
#
#   docker_can_run                    0 if a dockerd can run here at all, else a reason on stderr
#   docker_env_setup WORKDIR          start the daemon, export DOCKER_HOST (WORKDIR short: /tmp/hbd.X)
#   docker_make_image NAME:TAG        a busybox-static image via `docker import`, no network
#   docker_run_test_containers IMAGE  hb-weak and hb-hardened, both verified running
#   docker_env_teardown               containers, daemons, mounts, WORKDIR; idempotent, trap-safe
#   docker_env_check_clean WORKDIR    0 if no process of ours runs and nothing is mounted under it
#   docker_host_footprint             host state the daemon must not change (compare before/after)
#   hb_docker ARGS...                 the docker client that works against this daemon

HB_DOCKER_WORKDIR=${HB_DOCKER_WORKDIR:-}
HB_DOCKER_PID=${HB_DOCKER_PID:-}
HB_CONTAINERD_PID=${HB_CONTAINERD_PID:-}
HB_DOCKER_CLIENT=${HB_DOCKER_CLIENT:-}
HB_DOCKER_START_TIMEOUT=${HB_DOCKER_START_TIMEOUT:-20}

_hb_log() { echo "docker-lib: $*" >&2; }
_hb_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The client: the preinstalled 28.x (speaks API 1.41 to the 20.10 daemon) or docker.io's own.
hb_docker() {
  if [ -z "$HB_DOCKER_CLIENT" ]; then
    local c
    for c in /usr/local/bin/docker /usr/bin/docker; do
      if [ -x "$c" ]; then HB_DOCKER_CLIENT=$c; break; fi
    done
  fi
  [ -n "$HB_DOCKER_CLIENT" ] || { _hb_log "no docker client"; return 127; }
  timeout 120 "$HB_DOCKER_CLIENT" "$@"
}

# The Engine API over the daemon's socket: _hb_api PATH (e.g. /v1.41/info).
_hb_api() {
  curl -sS --fail --max-time 30 --unix-socket "$HB_DOCKER_WORKDIR/docker.sock" "http://d$1"
}

docker_can_run() {
  local why=() t
  [ "$(id -u)" -eq 0 ] || why+=("not root (dockerd needs root)")
  for t in /usr/sbin/dockerd /usr/bin/containerd /usr/sbin/runc; do
    [ -x "$t" ] || why+=("no $t (apt-get install docker.io)")
  done
  [ -x /usr/local/bin/docker ] || [ -x /usr/bin/docker ] || why+=("no docker client")
  for t in jq curl timeout; do
    command -v "$t" > /dev/null || why+=("no $t")
  done
  [ -x /bin/busybox ] || why+=("no /bin/busybox (apt-get install busybox-static)")
  if [ -x /bin/busybox ] && command -v ldd > /dev/null && ldd /bin/busybox > /dev/null 2>&1; then
    why+=("/bin/busybox is dynamically linked (busybox-static needed)")
  fi
  # Containers need cgroups (v1 controllers or v2) and the right to mount.
  if ! grep -qE ' cgroup2? ' /proc/self/mounts; then why+=("no cgroup filesystem mounted"); fi
  if [ "${#why[@]}" -eq 0 ]; then
    t=$(mktemp -d /tmp/hbd-probe.XXXXXX)
    if ! unshare -m sh -c "mount -t tmpfs none '$t' && umount '$t'" 2> /dev/null; then
      why+=("cannot mount (no CAP_SYS_ADMIN or mounts forbidden)")
    fi
    # Storage: overlay2 needs the overlay filesystem; vfs works on anything dockerd accepts as its
    # root, but not on overlay or tmpfs-less exotic roots it rejects at start (setup reports that).
    if ! grep -qw overlay /proc/filesystems && ! modprobe -n overlay 2> /dev/null; then
      _hb_log "no overlay filesystem: dockerd will fall back to vfs (slow but works)"
    fi
    rmdir "$t"
  fi
  if [ "${#why[@]}" -gt 0 ]; then
    printf 'docker-lib: no dockerd can run here: %s\n' "${why[@]}" >&2
    return 1
  fi
}

# The runc wrapper: the capability bounding set here lacks CAP_SYS_RESOURCE, so runc cannot grant
# it (--privileged fails with "unable to apply caps: operation not permitted"). The wrapper drops
# it from the OCI spec runc is about to use; Docker's own records keep what was asked for.
_hb_write_runc_wrapper() {
  local bin=$1/bin
  mkdir -p "$bin"
  cat > "$bin/runc" << 'EOF'
#!/bin/bash
# hostbench test wrapper: removes capabilities the bounding set lacks from the OCI spec, then
# runs the real runc. Spec: the bundle's config.json (--bundle/-b, else the cwd) for create/run,
# the file after --process for exec.
set -u
real=/usr/sbin/runc
cmd="" bundle="" process=""
args=("$@")
i=0
while [ $i -lt ${#args[@]} ]; do
  a=${args[$i]}
  case "$a" in
    --bundle|-b) i=$((i + 1)); bundle=${args[$i]:-} ;;
    --bundle=*) bundle=${a#--bundle=} ;;
    --process|-p) i=$((i + 1)); process=${args[$i]:-} ;;
    --process=*) process=${a#--process=} ;;
    # Global options with a value, before the command.
    --root|--log|--log-format|--criu|--rootless) [ -z "$cmd" ] && i=$((i + 1)) ;;
    -*) ;;
    *) [ -z "$cmd" ] && cmd=$a ;;
  esac
  i=$((i + 1))
done
# Capabilities the bounding set has (CapBnd), by number; the spec's names are CAP_*.
bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
drop='["CAP_SYS_RESOURCE"]'
if [ -n "$bnd" ] && (( (16#$bnd >> 24) & 1 )); then drop='[]'; fi
strip() { # FILE JQPATH
  local f=$1 p=$2 tmp
  [ -f "$f" ] || return 0
  grep -q CAP_SYS_RESOURCE "$f" || return 0
  [ "$drop" = '[]' ] && return 0
  tmp=$(mktemp "$f.XXXXXX") || return 0
  if jq -c --argjson d "$drop" "if $p.capabilities then $p.capabilities |= with_entries(.value |= (if type == \"array\" then . - \$d else . end)) else . end" "$f" > "$tmp"; then
    chmod --reference="$f" "$tmp" 2> /dev/null
    mv -f "$tmp" "$f"
  else
    rm -f "$tmp"
  fi
}
case "$cmd" in
  create|run) strip "${bundle:-$PWD}/config.json" .process ;;
  exec) [ -n "$process" ] && strip "$process" "" ;;
esac
exec "$real" "$@"
EOF
  chmod 0755 "$bin/runc"
}

# dockerd's configuration. iptables off (no NAT rules on the host), no docker0 bridge, no IP
# forwarding (dockerd would otherwise set net.ipv4.ip_forward=1 on the host), the trust key in
# WORKDIR (20.10 writes /etc/docker/key.json otherwise), storage driver by dockerd's own choice
# (overlay2 where it works, else vfs) unless HB_DOCKER_STORAGE_DRIVER says.
# EXTRA (a JSON object, may be empty) is merged in; isolation keys win over it.
_hb_write_daemon_json() {
  local w=$1 driver=${2:-} extra=${3:-}
  [ -n "$extra" ] || extra='{}'
  jq -n --arg key "$w/key.json" --arg driver "$driver" --argjson extra "$extra" '
    $extra
    + {"iptables": false, "bridge": "none", "ip-masq": false, "ip-forward": false,
       "log-level": "info", "deprecated-key-path": $key}
    + (if $driver != "" then {"storage-driver": $driver} else {} end)' > "$w/daemon.json"
}

# Directories outside WORKDIR that dockerd and containerd create whatever their roots are:
# dockerd's plugin discovery directory, containerd 1.6's shim socket directory (the shims'
# sockets are /run/containerd/s/<sha256>, not under --exec-root), and the parent cgroup "docker"
# in each cgroup hierarchy (cgroupfs driver). Deepest first. Teardown removes the ones that did
# not exist before setup, if they are empty (rmdir only).
_hb_outside_dirs() {
  echo /run/docker/plugins /run/docker /run/containerd/s /run/containerd
  awk '$3 == "cgroup" || $3 == "cgroup2" {print $2 "/docker"}' /proc/self/mounts
}

_hb_start_dockerd() {
  local w=$1
  : > "$w/dockerd.log"
  # Own session: a Ctrl-C to the test does not reach dockerd before teardown does.
  PATH="$w/bin:$PATH" setsid /usr/sbin/dockerd --config-file "$w/daemon.json" \
    --data-root "$w/data" --exec-root "$w/exec" --pidfile "$w/dockerd.pid" \
    -H "unix://$w/docker.sock" < /dev/null >> "$w/dockerd.log" 2>&1 &
  HB_DOCKER_PID=$!
  echo "$HB_DOCKER_PID" > "$w/hb-dockerd.pid"
  local deadline=$(( $(_hb_now_ms) + HB_DOCKER_START_TIMEOUT * 1000 ))
  while [ "$(_hb_now_ms)" -lt "$deadline" ]; do
    if [ "$(curl -s --max-time 2 --unix-socket "$w/docker.sock" http://d/_ping 2> /dev/null)" = OK ]; then
      # dockerd's own pidfile is authoritative (setsid may have forked).
      HB_DOCKER_PID=$(cat "$w/dockerd.pid" 2> /dev/null || echo "$HB_DOCKER_PID")
      echo "$HB_DOCKER_PID" > "$w/hb-dockerd.pid"
      return 0
    fi
    if ! kill -0 "$HB_DOCKER_PID" 2> /dev/null && ! kill -0 "$(cat "$w/dockerd.pid" 2> /dev/null || echo x)" 2> /dev/null; then
      _hb_log "dockerd exited during start ($w/dockerd.log):"
      { grep -E 'level=(error|fatal)|^failed to start' "$w/dockerd.log" || tail -n 15 "$w/dockerd.log"; } |
        tail -n 10 >&2
      HB_DOCKER_PID=""
      return 1
    fi
    sleep 0.1
  done
  _hb_log "dockerd did not answer _ping within ${HB_DOCKER_START_TIMEOUT}s; last log lines:"
  tail -n 15 "$w/dockerd.log" >&2
  return 1
}

docker_env_setup() {
  local w=${1:?usage: docker_env_setup WORKDIR [EXTRA_DAEMON_JSON]} extra=${2:-}
  mkdir -p "$w"
  w=$(cd "$w" && pwd -P)
  local sock="$w/docker.sock"
  # sun_path is 108 bytes with the NUL; containerd's socket under the exec root is longer.
  if [ "${#w}" -gt 60 ]; then
    _hb_log "WORKDIR $w is too long for unix sockets under it (use mktemp -d /tmp/hbd.XXXXXX)"
    return 1
  fi
  HB_DOCKER_WORKDIR=$w
  export HB_DOCKER_WORKDIR
  mkdir -p "$w/data" "$w/exec" "$w/client"
  chmod 0711 "$w"
  local d
  : > "$w/hb-created-dirs"
  for d in $(_hb_outside_dirs); do
    [ -e "$d" ] || echo "$d" >> "$w/hb-created-dirs"
  done
  _hb_write_runc_wrapper "$w"
  local t0 t1
  t0=$(_hb_now_ms)
  _hb_write_daemon_json "$w" "${HB_DOCKER_STORAGE_DRIVER:-}" "$extra"
  if ! _hb_start_dockerd "$w"; then
    if [ -z "${HB_DOCKER_STORAGE_DRIVER:-}" ]; then
      _hb_log "retrying with storage-driver vfs"
      docker_env_teardown_daemon
      _hb_umount_under "$w/data"
      rm -rf "$w/data" && mkdir -p "$w/data"
      _hb_write_daemon_json "$w" vfs "$extra"
      _hb_start_dockerd "$w" || return 1
    else
      return 1
    fi
  fi
  t1=$(_hb_now_ms)
  HB_DOCKER_START_MS=$((t1 - t0))
  export HB_DOCKER_START_MS
  export DOCKER_HOST="unix://$sock"
  # The client's config (and anything it writes) stays in WORKDIR too.
  export DOCKER_CONFIG="$w/client"
  # The client: whichever talks to this daemon.
  local c
  for c in "${HB_DOCKER_CLIENT:-}" /usr/local/bin/docker /usr/bin/docker; do
    if [ -z "$c" ] || [ ! -x "$c" ]; then continue; fi
    if timeout 20 "$c" version --format '{{.Server.Version}}' > /dev/null 2>&1; then
      HB_DOCKER_CLIENT=$c
      break
    fi
    c=""
  done
  [ -n "$c" ] || { _hb_log "no docker client talks to the daemon"; return 1; }
  export HB_DOCKER_CLIENT
  HB_CONTAINERD_PID=$(cat "$w/exec/containerd/containerd.pid" 2> /dev/null || true)
  export HB_DOCKER_PID HB_CONTAINERD_PID
  _hb_log "dockerd pid $HB_DOCKER_PID up in ${HB_DOCKER_START_MS} ms," \
    "storage $(_hb_api /v1.41/info | jq -r .Driver), client $HB_DOCKER_CLIENT"
}

# A busybox-static root, imported: /bin/busybox and applet links, /etc/passwd with root and app.
docker_make_image() {
  local ref=${1:?usage: docker_make_image NAME:TAG}
  local r="$HB_DOCKER_WORKDIR/rootfs" a
  rm -rf "$r"
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root" "$r/home/app" "$r/proc" "$r/sys" "$r/dev"
  cp /bin/busybox "$r/bin/busybox"
  for a in sh ash sleep id cat ls true false echo env ps grep mkdir rm touch wc head tail \
      hostname whoami stat mount df; do
    ln -s busybox "$r/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' > "$r/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' > "$r/etc/group"
  chmod 1777 "$r/tmp"
  chmod 0700 "$r/root"
  chown 1000:1000 "$r/home/app"
  tar --numeric-owner -C "$r" -cf "$HB_DOCKER_WORKDIR/rootfs.tar" .
  hb_docker import --change 'CMD ["/bin/sleep","3600"]' \
    --message "hostbench test image: busybox-static" \
    "$HB_DOCKER_WORKDIR/rootfs.tar" "$ref" > /dev/null
  rm -rf "$r" "$HB_DOCKER_WORKDIR/rootfs.tar"
}

# docker_build_scratch_image NAME:TAG DIR: a distroless-style image built FROM scratch with no
# network: busybox-static copied in as /app/hb (no /bin/sh), a non-root USER, a HEALTHCHECK and
# exec-form ENTRYPOINT. The Dockerfile stays in DIR (for the --dockerfile rules). The classic
# builder (DOCKER_BUILDKIT=0) needs nothing from a registry for FROM scratch.
docker_build_scratch_image() {
  local ref=${1:?usage: docker_build_scratch_image NAME:TAG DIR} dir=${2:?}
  mkdir -p "$dir"
  cp /bin/busybox "$dir/hb"
  cat > "$dir/Dockerfile" <<'DOCKERFILE'
# A static binary in an otherwise empty image.
FROM scratch
COPY hb /app/hb
USER 10001:10001
HEALTHCHECK --interval=30s CMD ["/app/hb", "true"]
ENTRYPOINT ["/app/hb", "sleep", "3600"]
DOCKERFILE
  DOCKER_BUILDKIT=0 hb_docker build -q -t "$ref" "$dir" > /dev/null
  rm -f "$dir/hb"
}

# `--pull never` where the client has it (docker.io 20.10 and 28.x both do).
_hb_has_pull_flag() { hb_docker run --help 2> /dev/null | grep -q -- '--pull'; }

docker_run_test_containers() {
  local image=${1:?usage: docker_run_test_containers IMAGE} sockbind pull=()
  if _hb_has_pull_flag; then pull=(--pull=never); fi
  # The Docker socket: the host's /var/run/docker.sock if it exists (bound as is), else this
  # daemon's own socket, bound to /var/run/docker.sock inside. Never bind a missing host path:
  # Docker would create a directory there.
  if [ -S /var/run/docker.sock ]; then
    sockbind=/var/run/docker.sock:/var/run/docker.sock
  else
    sockbind="$HB_DOCKER_WORKDIR/docker.sock:/var/run/docker.sock"
  fi
  HB_DOCKER_SOCK_BIND=$sockbind
  export HB_DOCKER_SOCK_BIND
  hb_docker run -d "${pull[@]}" --name hb-weak \
    --privileged --cap-add SYS_ADMIN \
    -v "$sockbind" -v /etc:/host-etc:ro \
    --network host --pid host \
    "$image" sleep 3600 > /dev/null
  hb_docker run -d "${pull[@]}" --name hb-hardened \
    --read-only --cap-drop ALL --security-opt no-new-privileges \
    --memory 64m --pids-limit 64 --cpu-shares 512 --user 1000:1000 --network none \
    --restart on-failure:5 --health-cmd 'true' --health-interval 30s \
    "$image" sleep 3600 > /dev/null
  local n
  for n in hb-weak hb-hardened; do
    if [ "$(hb_docker inspect -f '{{.State.Running}}' "$n")" != true ]; then
      _hb_log "container $n is not running:"
      hb_docker inspect -f '{{json .State}}' "$n" >&2 || true
      hb_docker logs "$n" >&2 || true
      return 1
    fi
  done
}

# Processes of this environment: dockerd, its containerd and the shims, found by the pids we
# recorded and by WORKDIR in their command line (never by name alone).
_hb_our_pids() {
  local w=$1 p cmd
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] && continue
    cmd=$( { tr '\0' ' ' < "/proc/$p/cmdline"; } 2> /dev/null) || continue
    case "$cmd" in
      */usr/sbin/dockerd*"$w/"*|*containerd*"$w/"*|*"$w/bin/runc"*) echo "$p" ;;
    esac
  done
}

_hb_kill_wait() { # PID SECONDS: TERM, wait, KILL
  local p=$1 s=$2 i
  kill -0 "$p" 2> /dev/null || return 0
  kill -TERM "$p" 2> /dev/null || true
  for ((i = 0; i < s * 10; i++)); do
    kill -0 "$p" 2> /dev/null || return 0
    # A zombie child of ours counts as gone once reaped.
    if [ "$(awk '{print $3}' "/proc/$p/stat" 2> /dev/null)" = Z ]; then
      wait "$p" 2> /dev/null || true
      return 0
    fi
    sleep 0.1
  done
  _hb_log "pid $p did not stop in ${s}s: KILL"
  kill -KILL "$p" 2> /dev/null || true
  sleep 0.2
  wait "$p" 2> /dev/null || true
}

# Only the daemon processes (used by setup's vfs retry as well as teardown).
docker_env_teardown_daemon() {
  local w=${HB_DOCKER_WORKDIR:-}
  [ -n "$w" ] || return 0
  local dpid cpid p
  dpid=$(cat "$w/dockerd.pid" 2> /dev/null || cat "$w/hb-dockerd.pid" 2> /dev/null || echo "${HB_DOCKER_PID:-}")
  cpid=$(cat "$w/exec/containerd/containerd.pid" 2> /dev/null || echo "${HB_CONTAINERD_PID:-}")
  # Only pids that are still ours (the pid may have been reused after a crash).
  if [ -n "$dpid" ] && { tr '\0' ' ' < "/proc/$dpid/cmdline"; } 2> /dev/null | grep -qF -- "$w/"; then
    _hb_kill_wait "$dpid" 10
  fi
  if [ -n "$cpid" ] && { tr '\0' ' ' < "/proc/$cpid/cmdline"; } 2> /dev/null | grep -qF -- "$w/"; then
    _hb_kill_wait "$cpid" 10
  fi
  # Containers that outlived their daemon (dockerd killed, or it left them for live-restore):
  # runc kills and deletes them by its state directory, then the shims exit.
  local rroot="$w/exec/runtime-runc/moby" id
  if [ -d "$rroot" ]; then
    for id in $(/usr/sbin/runc --root "$rroot" list -q 2> /dev/null); do
      _hb_log "container $id outlived dockerd: runc delete -f"
      /usr/sbin/runc --root "$rroot" delete -f "$id" > /dev/null 2>&1 || true
    done
  fi
  for p in $(_hb_our_pids "$w"); do _hb_kill_wait "$p" 5; done
  HB_DOCKER_PID="" HB_CONTAINERD_PID=""
}

# Mount points under WORKDIR, deepest first (mountinfo field 5, octal escapes decoded).
_hb_mounts_under() {
  local w=$1
  awk '{print $5}' /proc/self/mountinfo | while read -r m; do
    m=$(printf '%b' "$m")
    case "$m" in "$w"|"$w"/*) echo "$m" ;; esac
  done | awk '{print length($0) "\t" $0}' | sort -rn | cut -f2-
}

# Unmounts everything under DIR, deepest first; lazily, so a busy mount cannot block teardown.
_hb_umount_under() {
  local m
  while IFS= read -r m; do
    umount -l "$m" 2> /dev/null || _hb_log "cannot unmount $m"
  done < <(_hb_mounts_under "$1")
}

docker_env_teardown() {
  local w=${HB_DOCKER_WORKDIR:-}
  [ -n "$w" ] || return 0
  local t0 ids m
  t0=$(_hb_now_ms)
  # The containers first, through the daemon while it answers.
  if [ -S "$w/docker.sock" ] && [ -n "$HB_DOCKER_CLIENT" ] &&
      [ "$(curl -s --max-time 2 --unix-socket "$w/docker.sock" http://d/_ping 2> /dev/null)" = OK ]; then
    ids=$(DOCKER_HOST="unix://$w/docker.sock" timeout 15 "$HB_DOCKER_CLIENT" ps -aq 2> /dev/null || true)
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086
      DOCKER_HOST="unix://$w/docker.sock" timeout 60 "$HB_DOCKER_CLIENT" rm -f $ids > /dev/null 2>&1 || true
    fi
  fi
  docker_env_teardown_daemon
  _hb_umount_under "$w"
  if [ -f "$w/hb-created-dirs" ]; then
    while read -r m; do
      [ -d "$m" ] && { rmdir "$m" 2> /dev/null || _hb_log "left $m (not empty)"; }
    done < "$w/hb-created-dirs"
  fi
  rm -rf "$w" 2> /dev/null || { sleep 0.5; rm -rf "$w" || _hb_log "cannot remove $w"; }
  if [ "${DOCKER_HOST:-}" = "unix://$w/docker.sock" ]; then unset DOCKER_HOST; fi
  if [ "${DOCKER_CONFIG:-}" = "$w/client" ]; then unset DOCKER_CONFIG; fi
  HB_DOCKER_TEARDOWN_MS=$(( $(_hb_now_ms) - t0 ))
  HB_DOCKER_LAST_WORKDIR=$w
  HB_DOCKER_WORKDIR=""
  export HB_DOCKER_TEARDOWN_MS HB_DOCKER_LAST_WORKDIR
}

docker_env_check_clean() {
  local w=${1:-${HB_DOCKER_LAST_WORKDIR:-}} bad=0 p
  [ -n "$w" ] || return 0
  for p in $(_hb_our_pids "$w"); do
    _hb_log "still running: $p $( { tr '\0' ' ' < "/proc/$p/cmdline"; } 2> /dev/null)"
    bad=1
  done
  while IFS= read -r p; do
    _hb_log "still mounted: $p"
    bad=1
  done < <(_hb_mounts_under "$w")
  if [ -e "$w" ]; then _hb_log "still exists: $w"; bad=1; fi
  return $bad
}

# What an isolated daemon must leave as it was: Docker's default paths and kernel forwarding.
docker_host_footprint() {
  local p
  for p in /etc/docker /var/lib/docker /var/run/docker /var/run/docker.sock /var/run/docker.pid \
      /run/containerd /var/lib/containerd; do
    if [ -e "$p" ]; then
      echo "$p: $(find "$p" -maxdepth 3 2> /dev/null | LC_ALL=C sort | tr '\n' ' ')"
    else
      echo "$p: absent"
    fi
  done
  for p in $(_hb_outside_dirs); do
    case "$p" in /sys/fs/cgroup/*) [ -d "$p" ] && echo "$p: present" ;; esac
  done
  # Live (non-zombie) dockerd, containerd and shim processes, by count: none may be left over.
  local n=0 comm state
  for p in /proc/[0-9]*; do
    comm=$(cat "$p/comm" 2> /dev/null) || continue
    case "$comm" in
      dockerd|containerd|containerd-shim*)
        state=$(awk '{print $3}' "$p/stat" 2> /dev/null) || continue
        [ "$state" = Z ] || n=$((n + 1)) ;;
    esac
  done
  echo "docker processes=$n"
  echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
  echo "links=$(cd /sys/class/net && printf '%s ' *)"
}
