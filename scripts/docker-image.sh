#!/usr/bin/env bash
# Builds the images with podman (no Docker engine here): coroserve:local from
# docker/Dockerfile and coroserve-lb:local (nginx) from docker/nginx.Dockerfile,
# on a Debian 12 base made locally with debootstrap and cached.
#   scripts/docker-image.sh            (make docker-image)
# With a Docker engine instead: docker build -f docker/Dockerfile -t coroserve:local .
set -euo pipefail
# shellcheck source=scripts/docker-lib.sh
source "$(dirname "$0")/docker-lib.sh"
podman_setup
ensure_base_images
build_images
podman images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E 'coroserve|library/debian'
