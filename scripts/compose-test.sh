#!/usr/bin/env bash
# `make compose-test`: docker/compose.yaml brought up for real by Debian's
# docker-compose, talking to a podman API service on a socket of this test's
# own (DOCKER_HOST), in a compose project of its own with free host ports:
#   1. `server` with its healthcheck, answering on its published port
#   2. the `bench` profile: `corobench demo` against http://server:8080 (service name)
#   3. the `scale` profile: N replicas behind nginx; requests spread over every
#      replica; one replica stopped (SIGTERM) under load costs no failed
#      idempotent request, and it exits 0
#   4. the `tls` profile: `server-tls` with a certificate and key made now by
#      scripts/dev-certs.sh, mounted read-only: healthy through the plain-HTTP
#      admin port, /plaintext over HTTPS checked against the test CA, plain
#      HTTP to its port answered 400
#   5. `down` removes every container and network of the project
# Everything it started (containers, network, the podman service, the
# healthcheck ticker) is removed on any exit.
set -euo pipefail
# shellcheck source=scripts/docker-lib.sh
source "$(dirname "$0")/docker-lib.sh"

T0=$SECONDS
PROJECT="coroserve-ct-$$"
OUT="$DOCKER_BUILD_DIR/compose-test"
COMPOSE_FILE="$ROOT/docker/compose.yaml"
REPLICAS="${COROSERVE_REPLICAS:-3}"
passed=0
failed=0
svc_pid=""
tick_pid=""
sock_dir=""

dc() { timeout "${DC_TIMEOUT:-240}" docker-compose --ansi never -p "$PROJECT" -f "$COMPOSE_FILE" "$@"; }
project_containers() { podman ps -a -q --filter "label=com.docker.compose.project=$PROJECT"; }

cleanup() {
  local rc=$?
  set +e
  if [ -n "$svc_pid" ]; then
    DC_TIMEOUT=90 dc --profile bench --profile scale --profile tls down -v --remove-orphans -t 15 >/dev/null 2>&1
  fi
  [ -n "$tick_pid" ] && kill "$tick_pid" 2>/dev/null && wait "$tick_pid" 2>/dev/null
  if command -v podman >/dev/null; then
    local left
    left="$(project_containers)"
    # shellcheck disable=SC2086
    [ -n "$left" ] && podman rm -f -t 0 $left >/dev/null 2>&1
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1
  fi
  if [ -n "$svc_pid" ]; then
    kill "$svc_pid" 2>/dev/null
    wait "$svc_pid" 2>/dev/null
  fi
  [ -n "$sock_dir" ] && rm -rf "$sock_dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


podman_setup
ensure_base_images
build_images
rm -rf "$OUT" && mkdir -p "$OUT"

# ---- the Docker API, served by podman on a socket of our own -----------------
sock_dir="$(mktemp -d /tmp/coroserve-podman.XXXXXX)"
podman system service --time=0 "unix://$sock_dir/podman.sock" >"$OUT/podman-service.log" 2>&1 &
svc_pid=$!
export DOCKER_HOST="unix://$sock_dir/podman.sock"
wait_until 30 curl -sf --unix-socket "$sock_dir/podman.sock" http://d/_ping ||
  die "podman system service did not answer on $DOCKER_HOST"
log "podman API service on $DOCKER_HOST (pid $svc_pid)"

# Podman runs HEALTHCHECKs from systemd timers; this machine has no systemd,
# so this ticker stands in for them: every 2 s it runs the healthcheck of each
# container of the project (what dockerd does by itself).
(
  while sleep 2; do
    for c in $(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" 2>/dev/null); do
      podman healthcheck run "$c" >/dev/null 2>&1 || true
    done
  done
) &
tick_pid=$!

export COROSERVE_IMAGE="$IMAGE" COROSERVE_LB_IMAGE="$LB_IMAGE"
COROSERVE_PUBLISH_PORT="$(free_port)"
COROSERVE_LB_PORT="$(free_port)"
export COROSERVE_PUBLISH_PORT COROSERVE_LB_PORT COROSERVE_REPLICAS="$REPLICAS"
export COROBENCH_PHASE="${COROBENCH_PHASE:-2s}"
COROSERVE_TLS_PUBLISH_PORT="$(free_port)"
export COROSERVE_TLS_PUBLISH_PORT COROSERVE_TLS_DIR="$OUT/certs"

health_of() { podman inspect --format '{{.State.Health.Status}}' "$1" 2>/dev/null; }
all_healthy() { # all_healthy SERVICE N
  local ids n=0 c
  ids="$(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1")"
  for c in $ids; do
    [ "$(health_of "$c")" = healthy ] && n=$((n + 1))
  done
  [ "$n" -ge "$2" ]
}

# ---- 1. server ---------------------------------------------------------------
t=$SECONDS
dc up -d server >"$OUT/up-server.log" 2>&1 || {
  cat "$OUT/up-server.log" >&2
  die "docker-compose up server failed"
}
wait_until 60 all_healthy server 1 || die "server not healthy within 60 s"
ok "compose up: server healthy in $((SECONDS - t)) s"
base="http://127.0.0.1:$COROSERVE_PUBLISH_PORT"
body="$(curl -sf -m 5 "$base/healthz" || true)"
expect "server on $base (127.0.0.1 only): /healthz $body" grep -q '"ok"' <<<"$body"
body="$(curl -sf -m 5 "$base/cpu/primes?n=1000000" || true)"
expect "server /cpu/primes?n=1000000: $body" grep -q '"primes":78498' <<<"$body"
srv_id="$(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=server)"
limits="$(podman inspect --format '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}' "$srv_id")"
expect "server resource limits applied (NanoCpus Memory: $limits)" test "$limits" = "2000000000 536870912"

# ---- 2. bench profile: corobench demo against the server by service name -----
t=$SECONDS
if dc --profile bench run --rm -T bench >"$OUT/bench.log" 2>&1; then
  ok "bench profile: corobench demo http://server:8080 exited 0 in $((SECONDS - t)) s"
else
  bad "bench profile: corobench demo failed (exit $?)"
fi
sed 's/^/    /' "$OUT/bench.log" >&2

# ---- 3. scale profile: N replicas behind nginx -------------------------------
t=$SECONDS
dc --profile scale up -d >"$OUT/up-scale.log" 2>&1 || {
  cat "$OUT/up-scale.log" >&2
  die "docker-compose --profile scale up failed"
}
wait_until 60 all_healthy replica "$REPLICAS" || die "$REPLICAS replicas not healthy within 60 s"
lb="http://127.0.0.1:$COROSERVE_LB_PORT"
wait_until 30 curl -sf -m 2 "$lb/healthz" || die "the load balancer did not answer on $lb"
ok "scale profile up: $REPLICAS replicas healthy, nginx on $lb, in $((SECONDS - t)) s"
: >"$OUT/upstreams.txt"
for _ in $(seq 1 $((REPLICAS * 10))); do
  curl -sf -m 5 -D - -o /dev/null "$lb/plaintext" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-upstream" {print $2}' >>"$OUT/upstreams.txt"
done
spread="$(sort "$OUT/upstreams.txt" | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')"
distinct="$(sort -u "$OUT/upstreams.txt" | grep -c . || true)"
expect "$((REPLICAS * 10)) requests through nginx spread over $distinct replicas: $spread" test "$distinct" -eq "$REPLICAS"

# One replica stopped (SIGTERM, drains) while corobench keeps 16 connections
# busy through the balancer with idempotent GETs: no request may fail.
victim="$(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=replica | awk 'NR == 1')"
victim_name="$(podman inspect --format '{{.Name}}' "$victim")"
DC_TIMEOUT=120 dc --profile bench run --rm -T bench \
  corobench -c 16 -d 8s --no-progress --json - "http://lb:8080/io/sleep?ms=20" >"$OUT/failover.json" 2>"$OUT/failover.err" &
bench_pid=$!
sleep 3
t=$SECONDS
pstop -t 15 "$victim" >/dev/null
stop_s=$((SECONDS - t))
bench_rc=0
wait "$bench_pid" || bench_rc=$?
victim_exit="$(podman inspect --format '{{.State.ExitCode}}' "$victim")"
expect "replica $victim_name stopped under load in ${stop_s} s, exit code $victim_exit (drained)" test "$victim_exit" = 0
read -r reqs errs non200 rps < <(python3 -c '
import json, sys
t = sys.stdin.read(); d = json.loads(t[t.index("{"):])
tot = d.get("total", d)
non200 = sum(v for k, v in tot["status"].items() if k != "200")
print(tot["responses"], tot["errors"]["total"], non200, int(tot["requests_per_s"]))' <"$OUT/failover.json" 2>/dev/null || echo "0 -1 -1 0")
expect "corobench through nginx while a replica stopped: $reqs responses ($rps req/s), $errs errors, $non200 non-200 (corobench exit $bench_rc)" \
  test "$bench_rc" -eq 0 -a "$reqs" -gt 0 -a "$errs" -eq 0 -a "$non200" -eq 0
[ "$errs" = 0 ] || cat "$OUT/failover.err" "$OUT/failover.json" >&2 || true
lb_id="$(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=lb)"
podman logs "$lb_id" >"$OUT/lb.log" 2>&1 || true
log "      nginx logged $(grep -c upstream "$OUT/lb.log" || true) upstream errors (each retried on another replica): $OUT/lb.log"
body="$(curl -sf -m 5 "$lb/plaintext" || true)"
expect "the balancer still serves with one replica gone: $body" test "$body" = "Hello, World!"
# shellcheck disable=SC2046 # one argument per container id
podman stats --no-stream --format '{{.Name}} cpu={{.CPUPerc}} mem={{.MemUsage}}' \
  $(project_containers) >"$OUT/stats.txt" 2>/dev/null || true
sed 's/^/    /' "$OUT/stats.txt" >&2

# ---- 4. tls profile: HTTPS with a mounted certificate and key ---------------
make_test_certs "$COROSERVE_TLS_DIR"
t=$SECONDS
dc --profile tls up -d server-tls >"$OUT/up-tls.log" 2>&1 || {
  cat "$OUT/up-tls.log" >&2
  die "docker-compose --profile tls up server-tls failed"
}
if wait_until 60 all_healthy server-tls 1; then
  ok "tls profile: server-tls healthy (admin-port healthcheck) in $((SECONDS - t)) s"
else
  bad "tls profile: server-tls not healthy within 60 s"
  podman logs "$(podman ps -aq --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=server-tls)" >&2 || true
fi
tport=$COROSERVE_TLS_PUBLISH_PORT
body="$(curl -sf -m 5 --cacert "$COROSERVE_TLS_DIR/ca.crt" --resolve "localhost:$tport:127.0.0.1" \
  "https://localhost:$tport/plaintext" || true)"
expect "server-tls: https://localhost:$tport/plaintext, verified against the test CA: $body" test "$body" = "Hello, World!"
code="$(curl -s -m 5 -o "$OUT/plain-to-tls.body" -w '%{http_code}' "http://127.0.0.1:$tport/plaintext" || true)"
expect "server-tls: plain HTTP to the HTTPS port: $code $(head -c 80 "$OUT/plain-to-tls.body")" \
  answered_plain_http_400 "$code" "$OUT/plain-to-tls.body"

# ---- 5. down -----------------------------------------------------------------
t=$SECONDS
dc --profile bench --profile scale --profile tls down -v --remove-orphans -t 15 >"$OUT/down.log" 2>&1 || bad "docker-compose down failed"
left="$(project_containers | wc -l)"
nets="$(podman network ls -q --filter "name=${PROJECT}" | wc -l)"
expect "compose down in $((SECONDS - t)) s: $left containers, $nets networks of the project left" test "$left" -eq 0 -a "$nets" -eq 0

log "compose-test: $((SECONDS - T0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
