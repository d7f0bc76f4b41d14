#!/usr/bin/env bash
# Installs the Debian 12 packages coroserve needs to build, test and run.
# Every Makefile target calls this first; when everything is present it only
# runs dpkg-query and exits, so it is cheap to call again.
set -euo pipefail

# What compiling the two binaries needs: the container image's build stage
# installs only these (`scripts/deps.sh build`).
BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libspdlog-dev libfmt-dev libcli11-dev
  prometheus-cpp-dev libssl-dev libpng-dev zlib1g-dev liburing-dev
)
# What the tests, the checks and the tools add.
TEST_PACKAGES=(
  clang clang-format pmccabe python3
  libgtest-dev libgmock-dev libbenchmark-dev
  curl openssl
)
PACKAGES=("${BUILD_PACKAGES[@]}")
if [ "${1:-}" = build ]; then
  shift
else
  PACKAGES+=("${TEST_PACKAGES[@]}")
fi
# Extra groups, asked for by name: `scripts/deps.sh bench` etc.
for group in "$@"; do
  case "$group" in
    bench) PACKAGES+=(wrk nginx-light nodejs python3-aiohttp strace linux-perf valgrind) ;;
    sanitizers) PACKAGES+=(libclang-rt-14-dev) ;;
    browser) PACKAGES+=(chromium nodejs) ;;
    # podman stands in for the Docker engine (none here); runc because crun
    # fails on this machine's hybrid cgroups; netavark + aardvark-dns for
    # compose networks with service-name DNS; debootstrap makes the base image
    # locally (no image registry); Debian's docker-compose drives podman.
    containers) PACKAGES+=(podman runc conmon netavark aardvark-dns iptables uidmap slirp4netns
                           debootstrap docker-compose python3-yaml ca-certificates) ;;
    *) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps.sh: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
