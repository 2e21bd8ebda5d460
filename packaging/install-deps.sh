#!/usr/bin/env bash
# Installs what hostbench needs to build (and, with --test, to run its test suite) from Debian 12's
# own packages. Idempotent: packages already installed are left alone, and apt-get runs only when
# something is missing. Run as root.
set -euo pipefail

build_pkgs=(g++ cmake make pkg-config libyaml-cpp-dev libboost-filesystem-dev libboost-regex-dev libboost-dev
            libpugixml-dev nlohmann-json3-dev doctest-dev
            liblz4-dev zlib1g-dev liblzma-dev libzstd-dev)
test_pkgs=(jq curl debootstrap iproute2 libxml2-utils openscap-scanner openscap-common)
# The Docker integration test (tests/integration/docker_test.sh): a real dockerd, started by hand,
# and a busybox rootfs for its local image (no registry is needed).
test_pkgs+=(docker.io busybox-static)
# The HTML report's browser test (tests/html): Chromium, and node + npm unless a node is already there.
test_pkgs+=(chromium)
command -v node >/dev/null 2>&1 || test_pkgs+=(nodejs npm)

want=("${build_pkgs[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) want+=("${test_pkgs[@]}") ;;
    -h|--help) echo "usage: $0 [--test]"; exit 0 ;;
    *) echo "$0: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#want[@]} packages already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root to install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
