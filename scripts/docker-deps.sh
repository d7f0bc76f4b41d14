#!/usr/bin/env bash
# Installs what the container tests need on Debian 12: podman (standing in
# for the Docker engine: there is none here), runc (crun fails on this
# machine's hybrid cgroups), netavark + aardvark-dns (compose networks with
# service-name DNS), debootstrap (the base image is made locally: there is no
# image registry), uidmap, slirp4netns, iptables and Debian's docker-compose.
# Like scripts/deps.sh: asks dpkg what is missing and installs only that.
set -euo pipefail

PACKAGES=(
  podman runc conmon netavark aardvark-dns iptables uidmap slirp4netns
  debootstrap docker-compose python3-yaml curl ca-certificates
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "docker-deps.sh: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
