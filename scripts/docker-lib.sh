# shellcheck shell=bash
# Shared by scripts/docker-image.sh, docker-test.sh and compose-test.sh:
# podman standing in for the Docker engine, on a machine with no Docker engine
# and no image registry. Source it; it defines functions and sets variables,
# it runs nothing by itself.
#
#   podman_setup      install podman & co (scripts/deps.sh containers), write the
#                     containers.conf this machine needs, point CONTAINERS_CONF
#                     at it
#   ensure_base_images  debian:bookworm and debian:bookworm-slim, made locally
#                     with debootstrap (cached), tagged under docker.io/library
#                     so that the Dockerfile's plain FROM lines resolve
#   build_server_image / build_lb_image / build_images
#                     podman build of coroserve:local / coroserve-lb:local / both
#   wait_until SECS CMD...  retry CMD every 0.5 s until it succeeds or SECS pass
#   wait_healthy CONTAINER SECS  run its HEALTHCHECK until it reports healthy
#   make_test_certs DIR  a CA and a localhost certificate made now, as DIR/ca.crt,
#                     DIR/tls.crt and DIR/tls.key (the names of a Kubernetes TLS Secret)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKER_BUILD_DIR="${DOCKER_BUILD_DIR:-$ROOT/build/docker}"
# The debootstrap tarballs outlive the work tree (CI runs in a fresh clone).
BASE_CACHE_DIR="${COROSERVE_BASE_CACHE:-/var/cache/coroserve}"
BASE_RECIPE=1 # bump when the base image recipe below changes
IMAGE="${COROSERVE_IMAGE:-localhost/coroserve:local}"
LB_IMAGE="${COROSERVE_LB_IMAGE:-localhost/coroserve-lb:local}"
BUILD_JOBS="${JOBS:-2}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Check counting for the test scripts (they set passed=0 failed=0).
ok() {
  passed=$((passed + 1))
  log "ok    $*"
}
bad() {
  failed=$((failed + 1))
  log "FAIL  $*"
}
expect() { # expect DESCRIPTION CMD... : counts a check
  local what=$1
  shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
die() {
  log "FAIL: $*"
  exit 1
}

wait_until() {
  local secs=$1
  shift
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.5
  done
}

# podman without systemd runs no HEALTHCHECK timers (see quiet_systemd), so
# the check is run here, once a second, as dockerd would on its own.
wait_healthy() {
  local c=$1 secs=$2
  local deadline=$((SECONDS + secs))
  until [ "$(podman inspect --format '{{.State.Health.Status}}' "$c" 2>/dev/null)" = healthy ]; do
    if ((SECONDS >= deadline)); then return 1; fi
    podman healthcheck run "$c" >/dev/null 2>&1 || true
    sleep 1
  done
}

# The key is made readable by all: the container's user (uid 10001) is not
# the one running the test, and the key is a throwaway made for this run.
make_test_certs() {
  local dir=$1
  rm -rf "${dir:?}" && mkdir -p "$dir"
  "$ROOT/scripts/dev-certs.sh" "$dir/dev" 2>/dev/null || die "scripts/dev-certs.sh $dir/dev failed"
  install -m 0644 "$dir/dev/ca.crt" "$dir/ca.crt"
  install -m 0644 "$dir/dev/localhost-ecdsa.crt" "$dir/tls.crt"
  install -m 0644 "$dir/dev/localhost-ecdsa.key" "$dir/tls.key"
  rm -rf "${dir:?}/dev"
}

# The answer to plain HTTP sent to an HTTPS port: status CODE, body in FILE.
answered_plain_http_400() { [ "$1" = 400 ] && grep -q plain_http_to_https_port "$2"; }

# podman without systemd (as here) cannot schedule HEALTHCHECK timers and
# says so on stderr for every container it creates; the tests run the
# healthchecks themselves (podman healthcheck run), so drop that line.
quiet_systemd() { grep -v -e 'unable to get systemd connection' -e 'failed to connect to syslog' >&2 || true; }
prun() { timeout "${PRUN_TIMEOUT:-120}" podman run "$@" 2> >(quiet_systemd); }
pstop() { podman stop "$@" 2> >(quiet_systemd); }

# A free TCP port on 127.0.0.1 (the kernel picks it; a tiny race is acceptable).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

podman_setup() {
  "$ROOT/scripts/deps.sh" containers
  mkdir -p "$DOCKER_BUILD_DIR"
  # crun (podman's default) fails on this machine's hybrid cgroup layout, and
  # podman's default ulimits (nofile 1048576) exceed the hard limit here, so a
  # container would not start. Both are set from what this machine allows.
  local nofile
  nofile="$(ulimit -Hn)"
  [ "$nofile" = unlimited ] && nofile=1048576
  sed -e "s/@NOFILE@/$nofile/g" "$ROOT/docker/containers.conf.in" >"$DOCKER_BUILD_DIR/containers.conf"
  export CONTAINERS_CONF="$DOCKER_BUILD_DIR/containers.conf"
  # Images carry the Docker format so HEALTHCHECK survives (OCI drops it).
  export BUILDAH_FORMAT=docker
  podman info --format '{{.Host.OCIRuntime.Name}}' >/dev/null || die "podman does not work here"
  sweep_stale
}

# Removes what an earlier test run that died without cleaning up left behind:
# containers and networks named coroserve-dt-PID* / coroserve-ct-PID* whose
# PID no longer runs. Never touches anything else.
sweep_stale() {
  local name pid
  while read -r name; do
    [[ $name =~ ^coroserve-(dt|ct)-([0-9]+)[-_] ]] || continue
    pid="${BASH_REMATCH[2]}"
    kill -0 "$pid" 2>/dev/null && continue
    log "removing stale container $name (its test run, pid $pid, is gone)"
    podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  done < <(podman ps -a --format '{{.Names}}' 2>/dev/null)
  while read -r name; do
    [[ $name =~ ^coroserve-(dt|ct)-([0-9]+)[-_] ]] || continue
    pid="${BASH_REMATCH[2]}"
    kill -0 "$pid" 2>/dev/null && continue
    log "removing stale network $name"
    podman network rm -f "$name" >/dev/null 2>&1 || true
  done < <(podman network ls --format '{{.Name}}' 2>/dev/null)
}

# The Debian mirror this machine's apt uses (deb822 or one-line format).
debian_mirror() {
  local m=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m="$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

make_base_tarballs() {
  local full="$1" slim="$2" dir
  dir="$(mktemp -d /var/tmp/coroserve-rootfs.XXXXXX)"
  local mirror
  mirror="$(debian_mirror)"
  log "debootstrap --variant=minbase bookworm from $mirror (once; cached in $BASE_CACHE_DIR)"
  timeout 1200 debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$DOCKER_BUILD_DIR/debootstrap.log" 2>&1 || {
    rm -rf "$dir"
    die "debootstrap failed, see $DOCKER_BUILD_DIR/debootstrap.log"
  }
  # apt inside the image uses the same sources as this machine (with updates
  # and security), like the official image does.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$dir/etc/apt/sources.list.d/debian.sources"
    rm -f "$dir/etc/apt/sources.list"
  fi
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* \
    "$dir"/var/log/* "$dir"/tmp/*
  printf 'bookworm-coroserve\n' >"$dir/etc/hostname"
  tar --numeric-owner -C "$dir" -cf "$full.tmp" . && mv "$full.tmp" "$full"
  # The slim flavour, like debian:bookworm-slim: no docs, man pages, locales,
  # and dpkg told not to install them again.
  cat >"$dir/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
EOF
  find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$dir"/usr/share/man/* "$dir"/usr/share/groff/* "$dir"/usr/share/info/* \
    "$dir"/usr/share/locale/* "$dir"/usr/share/lintian/* "$dir"/usr/share/linda/*
  tar --numeric-owner -C "$dir" -cf "$slim.tmp" . && mv "$slim.tmp" "$slim"
  rm -rf "$dir"
}

import_base() {
  local tarball="$1" tag="$2"
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$tarball" "localhost/debian:$tag" >/dev/null
  podman tag "localhost/debian:$tag" "docker.io/library/debian:$tag"
}

ensure_base_images() {
  if podman image exists docker.io/library/debian:bookworm &&
    podman image exists docker.io/library/debian:bookworm-slim; then
    return 0
  fi
  local full="$BASE_CACHE_DIR/debian-bookworm-minbase-r$BASE_RECIPE.tar"
  local slim="$BASE_CACHE_DIR/debian-bookworm-slim-r$BASE_RECIPE.tar"
  if ! mkdir -p "$BASE_CACHE_DIR" 2>/dev/null || [ ! -w "$BASE_CACHE_DIR" ]; then
    BASE_CACHE_DIR="$DOCKER_BUILD_DIR/base-cache"
    full="$BASE_CACHE_DIR/debian-bookworm-minbase-r$BASE_RECIPE.tar"
    slim="$BASE_CACHE_DIR/debian-bookworm-slim-r$BASE_RECIPE.tar"
    mkdir -p "$BASE_CACHE_DIR"
  fi
  if [ ! -s "$full" ] || [ ! -s "$slim" ]; then
    make_base_tarballs "$full" "$slim"
  else
    log "base image from cache $BASE_CACHE_DIR"
  fi
  import_base "$full" bookworm
  import_base "$slim" bookworm-slim
  log "base images: $(podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep 'library/debian' | tr '\n' ' ')"
}

build_server_image() {
  local t0=$SECONDS
  log "podman build $IMAGE (layer cache + ccache mount; -j$BUILD_JOBS; log: $DOCKER_BUILD_DIR/build-coroserve.log)"
  timeout "${BUILD_TIMEOUT:-2400}" podman build --pull=never --format docker --layers \
    --build-arg "JOBS=$BUILD_JOBS" \
    -f "$ROOT/docker/Dockerfile" -t "$IMAGE" "$ROOT" >"$DOCKER_BUILD_DIR/build-coroserve.log" 2>&1 ||
    {
      tail -40 "$DOCKER_BUILD_DIR/build-coroserve.log" >&2
      die "podman build of $IMAGE failed (log: $DOCKER_BUILD_DIR/build-coroserve.log)"
    }
  log "built $IMAGE in $((SECONDS - t0)) s"
}

build_lb_image() {
  local t0=$SECONDS
  log "podman build $LB_IMAGE (log: $DOCKER_BUILD_DIR/build-lb.log)"
  timeout "${BUILD_TIMEOUT:-600}" podman build --pull=never --format docker --layers \
    -f "$ROOT/docker/nginx.Dockerfile" -t "$LB_IMAGE" "$ROOT/docker" >"$DOCKER_BUILD_DIR/build-lb.log" 2>&1 ||
    {
      tail -40 "$DOCKER_BUILD_DIR/build-lb.log" >&2
      die "podman build of $LB_IMAGE failed (log: $DOCKER_BUILD_DIR/build-lb.log)"
    }
  log "built $LB_IMAGE in $((SECONDS - t0)) s"
}

build_images() {
  build_server_image
  build_lb_image
}
