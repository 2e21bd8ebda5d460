#!/usr/bin/env bash
# Seed corpora for the fuzz targets, made at run time from tests/fixtures and the shipped
# profiles (nothing large is committed): one directory per target under OUT.
# Targets that read several files take them in one input, separated by "\0\0" (two NUL bytes;
# tests/fuzz/fuzz_support.hpp). Compressed seeds use gzip/xz/zstd/lz4 where those tools exist.
# usage: make_seeds.sh SOURCE_DIR OUT_DIR
set -euo pipefail
export LC_ALL=C  # ${#body} counts bytes
src=${1:?usage: make_seeds.sh SOURCE_DIR OUT_DIR}
out=${2:?usage: make_seeds.sh SOURCE_DIR OUT_DIR}
fx=$src/tests/fixtures
rm -rf "$out"
mkdir -p "$out"

n=0
# seed TARGET FILE...: the files' contents, joined by the separator, as one new seed.
seed() {
  local target=$1
  shift
  mkdir -p "$out/$target"
  n=$((n + 1))
  local f=$out/$target/seed-$n first=1
  : >"$f"
  for part in "$@"; do
    if [ $first -eq 0 ]; then printf '\0\0' >>"$f"; fi
    first=0
    if [ -f "$part" ]; then cat "$part" >>"$f"; fi
  done
}
# text TARGET STRING: a hand-written seed (printf format: \n, \t, \0 ...).
text() {
  mkdir -p "$out/$1"
  n=$((n + 1))
  printf -- "$2" >"$out/$1/seed-$n"
}
# each TARGET FILE...: one seed per file.
each() {
  local target=$1
  shift
  for f in "$@"; do [ -f "$f" ] && seed "$target" "$f"; done
  return 0
}

hosts=("$fx/hardened" "$fx/weak" "$fx/docker-host")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- profile: each shipped rule alone under its profile's header (without extends, so that one
# input is one small document), plus a few hand-written documents.
for p in "$src"/profiles/*.yaml; do
  awk -v dir="$tmp" -v base="$(basename "$p" .yaml)" '
    /^rules:/ { in_rules = 1; next }
    !in_rules { if ($0 !~ /^[[:space:]]*#/ && $0 !~ /^[[:space:]]*extends:/) header = header $0 "\n"; next }
    /^  - id:/ { if (rule != "") emit(); rule = $0 "\n"; next }
    { if (rule != "") rule = rule $0 "\n" }
    function emit() { k++; f = dir "/" base "-" k ".yaml"; printf "%srules:\n%s", header, rule > f; close(f) }
    END { if (rule != "") emit() }
  ' "$p"
done
each profile "$tmp"/*.yaml
rm -f "$tmp"/*.yaml
text profile 'profile: {id: fuzz, title: t, version: "1", extends: [images]}\nvars: {v: [1, 2]}\nrules: []\n'
text profile 'profile:\n  id: x\n  title: t\n  version: "1"\nrules:\n  - id: a.b\n    title: t\n    rationale: r\n    remediation: m\n    severity: low\n    check: {all: [{probe: file, path: /etc/passwd, expect: {mode: "0644 or stricter"}}]}\n'

# --- json_text
each json_text "$fx"/docker-api/*.json "$fx"/docker-host/etc/docker/daemon.json \
  "$fx"/docker-host/var/lib/docker/containers/*/*.json
text json_text '[1, -0.5e+3, "\\u00e9\\ud83d\\ude00", {"a": null, "b": [true, false]}]'

# --- fleet_results: saved results (the golden ones, and a small hand-written one)
each fleet_results "$src"/tests/golden/results.json "$src"/tests/golden/drift-before.json \
  "$src"/tests/golden/drift-after.json
text fleet_results '{"schema":"hostbench-results/1","tool":{"version":"0.1.0"},"scan":{"hostname":"h\\u00e9","started":"2026-01-01T00:00:00Z","profiles":[{"id":"linux"}]},"results":[{"id":"a.b","title":"t \\"q\\"","profile":"linux","severity":"high","status":"fail","evidence":["x"]}]}'

# --- docker_daemon: daemon.json, docker.service, /etc/default/docker, docker.socket, drop-in,
# subuid, /proc/PID/cmdline, environ, passwd.
dh=$fx/docker-host
seed docker_daemon "$dh/etc/docker/daemon.json" "$dh/lib/systemd/system/docker.service" \
  "$dh/etc/default/docker" "$dh/lib/systemd/system/docker.socket"
printf '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS --icc=false\nEnvironment="DOCKER_OPTS=--log-level debug"\n' >"$tmp/override.conf"
printf 'dockremap:100000:65536\n' >"$tmp/subuid"
printf '/usr/bin/dockerd\0-H\0unix:///run/docker.sock\0--userns-remap=default\0--data-root=/srv/docker\0' >"$tmp/cmdline"
printf 'HOME=/home/u\0XDG_RUNTIME_DIR=/run/user/1000\0' >"$tmp/environ"
seed docker_daemon "$dh/etc/docker/daemon.json" "$dh/lib/systemd/system/docker.service" \
  "$dh/etc/default/docker" "$dh/lib/systemd/system/docker.socket" "$tmp/override.conf" \
  "$tmp/subuid" "$tmp/cmdline"
seed docker_daemon "$tmp/none" "$tmp/none" "$tmp/none" "$tmp/none" "$tmp/none" "$tmp/subuid" \
  "$tmp/cmdline" "$tmp/environ" "$dh/etc/passwd"
text docker_daemon '{"icc": false, "log-opts": {"max-size": "10m"}, "userns-remap": "default", "hosts": ["unix:///run/d.sock", "tcp://0.0.0.0:2375"], "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}}'

# --- docker_state: API answers, then the on-disk files.
da=$fx/docker-api
seed docker_state "$da/info.json" "$da/containers.json" "$da/images.json" \
  "$da/container-hb-weak.json" "$da/container-hb-hardened.json" "$da"/image-*.json
cdir=$(ls -d "$dh"/var/lib/docker/containers/*/ | head -1)
seed docker_state "$da/info.json" "$da/containers.json" "$da/images.json" \
  "$cdir/config.v2.json" "$cdir/hostconfig.json" \
  "$dh/var/lib/docker/image/overlay2/repositories.json" \
  "$dh"/var/lib/docker/image/overlay2/imagedb/content/sha256/*

# --- dockerd_flags: the ExecStart= words, one per line, and hand-written ones.
text dockerd_flags '-H\nfd://\n--containerd=/run/containerd/containerd.sock\n'
text dockerd_flags '--icc=false\n--log-level\ndebug\n-Dl\ninfo\n--log-opt\nmax-size=10m\n--default-ulimit\nnofile=64000:64000\n--add-runtime\ncrun=/usr/bin/crun\n--insecure-registry\nr.local:5000\n-g\n/srv/docker\n--live-restore\n--userland-proxy=f\n--default-address-pool\nbase=10.10.0.0/16,size=24\n--shm-size=0x40\n--\nx\n'
text dockerd_flags '--tlsverify\n--tlscacert=/ca.pem\n-H=tcp://0.0.0.0:2376\n--config-file\n/etc/docker/d.json\n--icc\nfalse\n--unknown-flag\n-Z\n'

# --- systemd_unit: unit files and environment files.
each systemd_unit "$dh"/lib/systemd/system/* "$dh/etc/default/docker" "$tmp/override.conf"
for h in "${hosts[@]}"; do each systemd_unit "$h"/usr/lib/systemd/system/*.service; done
text systemd_unit '[Service]\nExecStart=@/bin/sh sh -c "echo ${A} $B \\"q\\" \\x41 %%"\\\n  --more\nEnvironment=A=1 "B=two words" C=\\n\n# c\nEnvironmentFile=-/etc/default/x\n'

# --- proc_net: the four files of each host.
for h in "${hosts[@]}"; do each proc_net "$h"/proc/net/tcp "$h"/proc/net/tcp6 "$h"/proc/net/udp "$h"/proc/net/udp6; done
text proc_net '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 17890 1 0000000000000000 100 0 0 10 0\n'

# --- mounts: mountinfo and fstab.
for h in "${hosts[@]}"; do each mounts "$h"/proc/self/mountinfo "$h"/etc/fstab; done
text mounts '36 35 98:0 /mnt1 /mnt\\0402 rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue\n'
text mounts 'UUID=x / ext4 defaults,user,exec 0 1\n/dev/sdb1 /var/tmp\\040x ext4 nodev,nosuid 0 2\ntmpfs /tmp tmpfs\n'

# --- debian_packages: whole files, then dpkg status + InRelease + Packages + journal chains.
for h in "${hosts[@]}"; do
  each debian_packages "$h"/var/lib/dpkg/status "$h"/etc/apt/sources.list \
    "$h"/etc/apt/sources.list.d/* "$h"/var/lib/apt/lists/*Release
done
i=0
for h in "$fx/hardened" "$fx/weak"; do
  for list in "$h"/var/lib/apt/lists/*_Packages*; do
    i=$((i + 1))
    case $list in
      *.gz) gzip -dc "$list" >"$tmp/Packages-$i" ;;
      *.xz) xz -dc "$list" >"$tmp/Packages-$i" ;;
      *.zst) if command -v zstd >/dev/null; then zstd -qdc "$list" >"$tmp/Packages-$i"; else continue; fi ;;
      *.lz4) if command -v lz4 >/dev/null; then lz4 -qdc "$list" >"$tmp/Packages-$i"; else continue; fi ;;
      *) cp "$list" "$tmp/Packages-$i" ;;
    esac
    rel=$(ls "${list%%_main_*}"_*Release 2>/dev/null | head -1 || true)
    # A small status (the first stanzas) keeps the chain seed small.
    awk 'BEGIN{RS=""; ORS="\n\n"} NR<=12' "$h/var/lib/dpkg/status" >"$tmp/status-$i"
    awk 'BEGIN{RS=""; ORS="\n\n"} NR<=30' "$tmp/Packages-$i" >"$tmp/Packages-small-$i"
    seed debian_packages "$tmp/status-$i" "$rel" "$tmp/Packages-small-$i"
  done
done
text debian_packages 'Package: a\nStatus: install ok installed\nVersion: 1:2.3~rc1-4+b1\nArchitecture: amd64\nMulti-Arch: same\n\n'

# --- config_files: every line-oriented configuration file of the fixture hosts.
for h in "$fx/hardened" "$fx/weak"; do
  each config_files "$h"/etc/ssh/sshd_config "$h"/etc/ssh/sshd_config.d/* "$h"/etc/login.defs \
    "$h"/etc/sysctl.conf "$h"/etc/sysctl.d/* "$h"/usr/lib/sysctl.d/* "$h"/etc/modprobe.d/* \
    "$h"/etc/pam.d/* "$h"/etc/shadow "$h"/etc/passwd "$h"/etc/group "$h"/etc/default/* \
    "$h"/etc/security/*.conf "$h"/sys/kernel/security/apparmor/profiles
done
text config_files 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nMatch User x\n  X11Forwarding yes\nMatch all\nAllowUsers "a b" c\n\0\0Port 22\nInclude b.conf\n\0\0Port 2222\n'
text config_files 'SELINUX=enforcing\nSELINUXTYPE=targeted\n'

# --- dockerfile
each dockerfile "$fx"/dockerfiles/*/*.Dockerfile

# --- decompress: the compressed fixtures, and a small text in every format the tools give.
for h in "$fx/hardened" "$fx/weak"; do each decompress "$h"/var/lib/apt/lists/*.lz4 "$h"/var/lib/apt/lists/*.gz; done
printf 'Package: a\nVersion: 1\n\n' >"$tmp/small"
gzip -c "$tmp/small" >"$tmp/small.gz" && seed decompress "$tmp/small.gz"
xz -c "$tmp/small" >"$tmp/small.xz" && seed decompress "$tmp/small.xz"
if command -v zstd >/dev/null; then zstd -qc "$tmp/small" >"$tmp/small.zst" && seed decompress "$tmp/small.zst"; fi
if command -v lz4 >/dev/null; then lz4 -qc "$tmp/small" >"$tmp/small.lz4" && seed decompress "$tmp/small.lz4"; fi

# --- unix_http: answers as dockerd gives them.
body=$(cat "$da/images.json")
printf 'HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
  "${#body}" "$body" >"$tmp/http1" && seed unix_http "$tmp/http1"
text unix_http 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3;x=y\r\n:1}\r\n0\r\nTrailer: z\r\n\r\n'
text unix_http 'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n{"message":"No such object"}\n'
text unix_http 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nclose-delimited body'

for d in "$out"/*/; do
  echo "seeds: $(basename "$d"): $(ls "$d" | wc -l)"
done
