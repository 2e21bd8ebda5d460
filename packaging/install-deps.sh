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
# promtool (Debian's prometheus package) checks the --prometheus metrics file.
test_pkgs+=(prometheus)
# The robustness tests (tests/integration/readonly_test.sh, hostile_roots_test.sh): strace for the
# read-only guarantee, html5lib to parse the HTML report strictly.
test_pkgs+=(strace python3-html5lib)
# The package test (tests/integration/package_test.sh): cpack's dpkg-shlibdeps and
# dpkg-parsechangelog, lintian, groff and man for the man page (and strace, above, for the
# service's system calls).
test_pkgs+=(dpkg-dev lintian groff-base man-db)
# tests/fuzz/run.sh: libFuzzer and the sanitizer runtimes come with clang; llvm for the symbolizer;
# lz4 and zstd make compressed seeds.
test_pkgs+=(clang-14 libclang-rt-14-dev llvm-14 lz4 zstd)
# The Ansible test (tests/integration/ansible_test.sh): the playbook and role with Debian's
# ansible-core, sshd for its hosts, python3-apt for the apt module on them, ansible-lint.
test_pkgs+=(ansible-core openssh-server python3-apt ansible-lint)
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
