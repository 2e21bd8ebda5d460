#!/usr/bin/env bash
# Regenerates the Docker fixtures from a real (isolated) Docker 20.10 daemon:
#   tests/fixtures/docker-host/   a host root as `hostbench --root` sees it (disk state)
#   tests/fixtures/docker-host.attrs
#   tests/fixtures/docker-api/    the Engine API answers at the same moment
# Usage (as root, with docker.io, busybox-static, jq, curl): capture.sh [SOURCE_DIR]
# See tests/fixtures/docker-host/README.md for what is captured and what is rewritten.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(realpath "${1:-$here/../../..}")
host_out="$src/tests/fixtures/docker-host"
api_out="$src/tests/fixtures/docker-api"
attrs_out="$src/tests/fixtures/docker-host.attrs"

# shellcheck source=tests/integration/docker/lib.sh
source "$here/lib.sh"
docker_can_run || { echo "capture: cannot run dockerd here" >&2; exit 1; }

W=$(mktemp -d /tmp/hbd.XXXXXX)
on_exit() {
  local rc=$?
  docker_env_teardown
  docker_env_check_clean "$W" || { echo "capture: teardown left something (above)" >&2; rc=1; }
  exit "$rc"
}
trap on_exit EXIT

# The daemon's settings beyond the isolation keys lib.sh always sets (iptables, bridge, ip-masq,
# ip-forward, log-level, deprecated-key-path): what a careful administrator might add. Not
# "no-new-privileges" (it would turn hb-weak's NoNewPrivileges on) nor "icc": false (dockerd
# refuses it without iptables) nor userns-remap (it moves containers/ under <uid>.<gid>/).
# default-ulimits may only lower limits here: raising nofile above the hard limit dockerd
# inherited needs CAP_SYS_RESOURCE, which this machine's bounding set lacks (runc: "error
# setting rlimit type 7: operation not permitted").
extra='{"live-restore": true, "userland-proxy": false, "log-driver": "json-file",
        "log-opts": {"max-size": "10m", "max-file": "3"},
        "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 4096, "Soft": 1024}}}'
docker_env_setup "$W" "$extra"
docker_make_image hb-busybox:latest
docker_run_test_containers hb-busybox:latest

# A steady state: hb-hardened's first health probe runs one interval (30 s) after start.
echo "capture: waiting for hb-hardened to be healthy (about 30 s)" >&2
for _ in $(seq 90); do
  [ "$(hb_docker inspect -f '{{.State.Health.Status}}' hb-hardened)" = healthy ] && break
  sleep 1
done
[ "$(hb_docker inspect -f '{{.State.Health.Status}}' hb-hardened)" = healthy ] ||
  { echo "capture: hb-hardened never became healthy" >&2; exit 1; }

# Host paths of the isolated daemon -> those of a default install. Most specific first.
declare -a from=("$W/docker.sock" "$W/data" "$W/exec" "$W/key.json")
declare -a to=(/var/run/docker.sock /var/lib/docker /var/run/docker /etc/docker/key.json)
rewrite() { # FILE: in place, byte-for-byte otherwise
  local f=$1 i
  for i in "${!from[@]}"; do
    sed -i "s|${from[$i]}|${to[$i]}|g" "$f"
  done
  if grep -q "$W" "$f"; then echo "capture: $f still mentions $W" >&2; exit 1; fi
}

api() { curl -sS --fail --max-time 30 --unix-socket "$W/docker.sock" "http://d$1"; }

# Everything is regenerated except the hand-written README.
mkdir -p "$host_out"
find "$host_out" -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
rm -rf "$api_out"
mkdir -p "$api_out"

# 1. The API, raw bodies (one moment: the containers do not change while this runs).
api /v1.41/info > "$api_out/info.json"
api '/v1.41/containers/json?all=1' > "$api_out/containers.json"
declare -A cid
for n in hb-weak hb-hardened; do
  cid[$n]=$(hb_docker inspect -f '{{.Id}}' "$n")
  api "/v1.41/containers/${cid[$n]}/json" > "$api_out/container-$n.json"
done
api /v1.41/images/json > "$api_out/images.json"
image_id=$(hb_docker image inspect -f '{{.Id}}' hb-busybox:latest)
image_hex=${image_id#sha256:}
api "/v1.41/images/$image_id/json" > "$api_out/image-${image_hex:0:12}.json"

# 2. The same state on disk.
driver=$(jq -r .Driver "$api_out/info.json")
data="$W/data"
lib="$host_out/var/lib/docker"
attrs=()
attr() { # HOSTPATH REALPATH: the real file's mode, owner root
  attrs+=("$(printf '%04o' "0$(stat -c %a "$2")") root root $1")
}
attr /var/lib/docker "$data"
attr /var/lib/docker/containers "$data/containers"
for n in hb-weak hb-hardened; do
  id=${cid[$n]}
  mkdir -p "$lib/containers/$id"
  attr "/var/lib/docker/containers/$id" "$data/containers/$id"
  for f in config.v2.json hostconfig.json; do
    cp "$data/containers/$id/$f" "$lib/containers/$id/$f"
    rewrite "$lib/containers/$id/$f"
    attr "/var/lib/docker/containers/$id/$f" "$data/containers/$id/$f"
  done
done
img="image/$driver"
mkdir -p "$lib/$img/imagedb/content/sha256"
cp "$data/$img/imagedb/content/sha256/$image_hex" "$lib/$img/imagedb/content/sha256/$image_hex"
cp "$data/$img/repositories.json" "$lib/$img/repositories.json"
for p in image "$img" "$img/imagedb" "$img/imagedb/content" "$img/imagedb/content/sha256" \
    "$img/imagedb/content/sha256/$image_hex" "$img/repositories.json"; do
  attr "/var/lib/docker/$p" "$data/$p"
done
for f in "$api_out"/*.json "$lib/$img/repositories.json"; do rewrite "$f"; done

# 3. Configuration: the daemon.json this daemon ran with, paths rewritten, without
# deprecated-key-path (its rewritten value /etc/docker/key.json is dockerd's default).
mkdir -p "$host_out/etc/docker" "$host_out/etc/default" "$host_out/lib/systemd/system"
jq 'del(."deprecated-key-path")' "$W/daemon.json" > "$host_out/etc/docker/daemon.json"
cp /lib/systemd/system/docker.service /lib/systemd/system/docker.socket "$host_out/lib/systemd/system/"
cp /etc/default/docker "$host_out/etc/default/docker"
docker_gid=$(getent group docker | cut -d: -f3)
cat > "$host_out/etc/passwd" << 'EOF'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
app:x:1000:1000:app,,,:/home/app:/bin/bash
alice:x:1001:1001:Alice,,,:/home/alice:/bin/bash
EOF
cat > "$host_out/etc/group" << EOF
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
sudo:x:27:alice
nogroup:x:65534:
docker:x:$docker_gid:alice
app:x:1000:
alice:x:1001:
EOF
attrs+=("0755 root root /etc" "0644 root root /etc/passwd" "0644 root root /etc/group"
  "0755 root root /etc/docker" "0644 root root /etc/docker/daemon.json"
  "0755 root root /etc/default" "0644 root root /etc/default/docker"
  "0644 root root /lib/systemd/system/docker.service"
  "0644 root root /lib/systemd/system/docker.socket")
{
  echo "# Modes and owners for tests/fixtures/docker-host, which git cannot store."
  echo "# One line per path: MODE OWNER GROUP /host/path  (see tests/fixtures/README.md)."
  echo "# Written by tests/integration/docker/capture.sh: docker state modes are the real ones."
  printf '%s\n' "${attrs[@]}"
} > "$attrs_out"

# 4. What the README quotes.
{
  echo "captured: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "dockerd: $(dockerd --version)"
  echo "containerd: $(containerd --version)"
  echo "runc: $(/usr/sbin/runc --version | head -1)"
  echo "client: $HB_DOCKER_CLIENT ($("$HB_DOCKER_CLIENT" version --format '{{.Client.Version}}'), API $("$HB_DOCKER_CLIENT" version --format '{{.Client.APIVersion}}'))"
  echo "kernel: $(uname -r)"
  echo "storage driver: $driver"
  echo "docker group gid: $docker_gid"
  echo "image: hb-busybox:latest $image_id"
  for n in hb-weak hb-hardened; do echo "container: $n ${cid[$n]}"; done
  echo "socket bind in hb-weak: ${HB_DOCKER_SOCK_BIND/#$W\/docker.sock/WORKDIR/docker.sock}"
} > "$W/capture-info.txt"
cat "$W/capture-info.txt"
# Into the README, between its capture-info markers.
readme="$host_out/README.md"
if [ -f "$readme" ] && grep -q '^<!-- capture-info -->' "$readme"; then
  awk -v info="$W/capture-info.txt" '
    /^<!-- capture-info -->/ { print; print "```"; while ((getline l < info) > 0) print l; print "```"; skip = 1; next }
    /^<!-- \/capture-info -->/ { skip = 0 }
    !skip' "$readme" > "$W/README.md"
  cat "$W/README.md" > "$readme"
fi
# Git stores 0644/0755 only; the real modes are in the .attrs file.
chmod -R u+rwX,go+rX,go-w "$host_out" "$api_out"
chmod 0644 "$attrs_out"
echo "capture: wrote $host_out $api_out $attrs_out" >&2
