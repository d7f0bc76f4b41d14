#!/usr/bin/env bash
# `make docker-test`: builds the image with podman and runs it for real.
#   - image: non-root user, HEALTHCHECK, STOPSIGNAL, EXPOSE, no missing library, size
#   - the server in a container, its port published on 127.0.0.1 only:
#     /healthz, /readyz, one I/O and one CPU endpoint from the host, the
#     image's own HEALTHCHECK, flags through the entrypoint
#   - corobench from the same image, in a second container, by container name
#   - `podman stop` (SIGTERM) while a request is in flight: the request
#     completes with 200 and the server exits 0
#   - the Kubernetes manifests and compose file, checked offline against the
#     image's `coroserve --help` (tests/k8s/check_manifests.py)
#   - HTTPS: the image with a certificate and key made now by
#     scripts/dev-certs.sh, mounted read-only: /plaintext over HTTPS checked
#     against the test CA, healthy through the plain-HTTP admin port, plain
#     HTTP to the HTTPS port answered 400, SIGHUP reloads the mounted files
#   - `coroserve-processes 2`: two processes on one port, both answer, and
#     `podman stop` drains both and exits 0
# Cleans up its containers and network on any exit.
set -euo pipefail
# shellcheck source=scripts/docker-lib.sh
source "$(dirname "$0")/docker-lib.sh"

T0=$SECONDS
TAG="coroserve-dt-$$"
NET="$TAG-net"
SRV="$TAG-server"
TLS="$TAG-tls"
PROCS="$TAG-procs"
OUT="$DOCKER_BUILD_DIR/docker-test"
passed=0
failed=0
pids=()

cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if command -v podman >/dev/null; then
    # One at a time: given one name it does not know, podman rm -f removes none.
    for c in "$SRV" "$TAG-bench" "$TLS" "$PROCS"; do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
    podman network rm -f "$NET" >/dev/null 2>&1 || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


podman_setup
ensure_base_images
build_server_image
rm -rf "$OUT" && mkdir -p "$OUT"

# ---- the image itself -------------------------------------------------------
cfg() { podman image inspect --format "$1" "$IMAGE"; }
user="$(cfg '{{.Config.User}}')"
expect "image runs as a non-root user ($user)" test -n "$user" -a "${user%%:*}" != 0 -a "${user%%:*}" != root
expect "image has a HEALTHCHECK on /healthz" grep -q coroserve-healthcheck <<<"$(cfg '{{json .Config.Healthcheck}}')"
expect "image STOPSIGNAL is SIGTERM" test "$(cfg '{{.Config.StopSignal}}')" = SIGTERM
expect "image EXPOSEs 8080/tcp" grep -q 8080/tcp <<<"$(cfg '{{json .Config.ExposedPorts}}')"
expect "image sets COROSERVE_HOST=0.0.0.0" grep -q COROSERVE_HOST=0.0.0.0 <<<"$(cfg '{{json .Config.Env}}')"
expect "image sets an admin port for its HEALTHCHECK (COROSERVE_ADMIN_PORT)" grep -qE 'COROSERVE_ADMIN_PORT=[1-9]' <<<"$(cfg '{{json .Config.Env}}')"
expect "image names no certificate or key of its own (no COROSERVE_TLS_* set)" \
  test "$(cfg '{{json .Config.Env}}' | grep -c COROSERVE_TLS_)" = 0
size_bytes="$(cfg '{{.Size}}')"
size_mb=$((size_bytes / 1000000))
log "image $IMAGE: $size_mb MB ($(podman images --format '{{.Size}}' "$IMAGE" | head -1))"
expect "image is under 150 MB ($size_mb MB)" test "$size_mb" -lt 150
missing="$(prun --rm --entrypoint sh "$IMAGE" -c 'ldd /usr/local/bin/coroserve /usr/local/bin/corobench' | grep 'not found' | tr -s ' \t' ' ' || true)"
expect "every shared library of both binaries is in the image ${missing:+($missing)}" test -z "$missing"
ver="$(prun --rm "$IMAGE" --version || true)"
expect "flags go to coroserve through the entrypoint (docker run IMAGE --version: $ver)" grep -qE '^coroserve.* [0-9]+\.[0-9]+' <<<"$ver"
ver="$(prun --rm "$IMAGE" corobench --version || true)"
expect "corobench runs from the image (docker run IMAGE corobench --version: $ver)" grep -qE '[0-9]+\.[0-9]+' <<<"$ver"
prun --rm "$IMAGE" coroserve --help >"$OUT/coroserve-help.txt" || true
expect "Kubernetes manifests and compose file pass the offline check" \
  python3 "$ROOT/tests/k8s/check_manifests.py" --coroserve-help "$OUT/coroserve-help.txt" >"$OUT/manifests.txt"
log "      manifests: $(tail -1 "$OUT/manifests.txt") (details: $OUT/manifests.txt)"

# ---- the server in a container ---------------------------------------------
podman network create "$NET" >/dev/null
PORT="$(free_port)"
prun -d --name "$SRV" --network "$NET" -p "127.0.0.1:$PORT:8080" \
  --cpus 2 --memory 256m --read-only --cap-drop ALL \
  -e COROSERVE_WORKERS=2 -e COROSERVE_ACCESS_LOG=true "$IMAGE" >/dev/null
base="http://127.0.0.1:$PORT"
wait_until 30 curl -sf "$base/healthz" || {
  podman logs "$SRV" >&2 || true
  die "the server did not answer /healthz on $base within 30 s"
}
log "server up on $base (published on 127.0.0.1 only)"
uid="$(podman exec "$SRV" sh -c 'id -u')"
pid1_uid="$(podman exec "$SRV" sh -c "awk '/^Uid:/ {print \$2}' /proc/1/status")"
expect "coroserve runs as uid $pid1_uid (not root)" test "$pid1_uid" != 0 -a "$uid" != 0
body="$(curl -sf "$base/healthz")"
expect "GET /healthz: $body" grep -q '"ok"' <<<"$body"
body="$(curl -sf "$base/readyz")"
expect "GET /readyz: $body" grep -q ready <<<"$body"
body="$(curl -sf "$base/io/sleep?ms=50")"
expect "GET /io/sleep?ms=50: $body" grep -q '"slept_us"' <<<"$body"
body="$(curl -sf "$base/cpu/primes?n=10000000")"
expect "GET /cpu/primes?n=10000000: $body" grep -q '"primes":664579' <<<"$body"
podman healthcheck run "$SRV" >/dev/null 2>&1
expect "the image's HEALTHCHECK passes (podman healthcheck run)" \
  test "$(podman inspect --format '{{.State.Health.Status}}' "$SRV")" = healthy

# ---- corobench from the same image, in its own container --------------------
if prun --rm --name "$TAG-bench" --network "$NET" "$IMAGE" \
  corobench -c 16 -d 3s --no-progress --json - "http://$SRV:8080/plaintext" >"$OUT/corobench.json" 2>"$OUT/corobench.err"; then
  read -r reqs errs rps < <(python3 -c '
import json, sys
t = sys.stdin.read(); d = json.loads(t[t.index("{"):])
tot = d.get("total", d)
print(tot["responses"], tot["errors"]["total"], int(tot["requests_per_s"]))' <"$OUT/corobench.json" 2>/dev/null || echo "0 -1 0")
  expect "corobench container -> http://$SRV:8080/plaintext: $reqs responses, $rps req/s, $errs errors" \
    test "$reqs" -gt 0 -a "$errs" -eq 0
else
  bad "corobench from the image failed: $(tail -3 "$OUT/corobench.err")"
fi

# ---- graceful stop: SIGTERM with a request in flight ------------------------
curl -s -m 20 -o "$OUT/inflight.body" -w '%{http_code}' "$base/io/sleep?ms=3000" >"$OUT/inflight.code" &
inflight=$!
pids+=("$inflight")
# The request is in flight once the loop counts it; a short wait is enough
# (the sleep lasts 3 s).
sleep 1
t_stop=$SECONDS
pstop -t 15 "$SRV" >/dev/null
stop_s=$((SECONDS - t_stop))
wait "$inflight" || true
code="$(cat "$OUT/inflight.code")"
expect "request in flight during podman stop completed: HTTP $code $(cat "$OUT/inflight.body")" \
  test "$code" = 200
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$SRV")"
expect "server drained and exited $exit_code after SIGTERM (stop took ${stop_s} s, under the 15 s grace)" \
  test "$exit_code" = 0 -a "$stop_s" -lt 15
podman logs "$SRV" >"$OUT/server.log" 2>&1 || true
grep -iE 'drain|signal|stopp|exit' "$OUT/server.log" | tail -4 >&2 || true

# ---- HTTPS: a certificate and key made now, mounted read-only ---------------
certs="$OUT/certs"
make_test_certs "$certs"
TPORT="$(free_port)"
prun -d --name "$TLS" -p "127.0.0.1:$TPORT:8080" \
  --cpus 2 --memory 256m --read-only --cap-drop ALL -v "$certs:/certs:ro" \
  -e COROSERVE_WORKERS=2 -e COROSERVE_TLS_CERT=/certs/tls.crt -e COROSERVE_TLS_KEY=/certs/tls.key \
  "$IMAGE" >/dev/null
tbase="https://localhost:$TPORT"
# localhost, the name in the certificate, pinned to the published address.
tcurl() { curl -sf -m 5 --cacert "$certs/ca.crt" --resolve "localhost:$TPORT:127.0.0.1" "$@"; }
wait_until 30 tcurl "$tbase/healthz" || {
  podman logs "$TLS" >&2 || true
  die "the HTTPS server did not answer /healthz on $tbase within 30 s"
}
log "HTTPS server up on $tbase (admin port not published)"
body="$(tcurl "$tbase/plaintext" || true)"
expect "GET $tbase/plaintext over HTTPS, verified against the test CA: $body" test "$body" = "Hello, World!"
if wait_healthy "$TLS" 30; then
  ok "HTTPS container became healthy through the admin-port HEALTHCHECK"
else
  bad "HTTPS container not healthy within 30 s: $(podman inspect --format '{{json .State.Health}}' "$TLS" 2>&1 | tail -c 400)"
fi
# Without the admin port the same check would speak plain HTTP to the HTTPS
# port: it must fail, or the check above proved nothing.
if podman exec -e COROSERVE_ADMIN_PORT= "$TLS" coroserve-healthcheck >/dev/null 2>"$OUT/hc-tls-port.err"; then
  bad "the healthcheck against the HTTPS port passed; it cannot speak TLS"
else
  ok "the healthcheck against the HTTPS port fails ($(head -c 60 "$OUT/hc-tls-port.err")): the admin port is what keeps it working"
fi
code="$(curl -s -m 5 -o "$OUT/plain-to-tls.body" -w '%{http_code}' "http://127.0.0.1:$TPORT/plaintext" || true)"
expect "plain HTTP to the HTTPS port: $code $(head -c 80 "$OUT/plain-to-tls.body")" \
  answered_plain_http_400 "$code" "$OUT/plain-to-tls.body"
tls_stats() { # prints the named fields of /stats "tls", one line
  tcurl "$tbase/stats" | python3 -c '
import json, sys
t = json.load(sys.stdin)["tls"]
print(t["handshakes"]["ok"], t.get("where", "?"), t["reloads"]["ok"])'
}
read -r hs_ok hs_where _ < <(tls_stats || echo "0 ? 0")
expect "handshakes counted in /stats: $hs_ok ok, run on the $hs_where" test "$hs_ok" -gt 0 -a "$hs_where" = pool
podman kill --signal HUP "$TLS" >/dev/null
reloaded() { [ "$(tls_stats | awk '{print $3}')" -ge 1 ]; }
if wait_until 15 reloaded; then
  ok "SIGHUP reloaded the mounted certificate and key"
else
  bad "SIGHUP: no successful reload counted within 15 s: $(tcurl "$tbase/stats" | head -c 300)"
fi
pstop -t 15 "$TLS" >/dev/null
expect "HTTPS server exited $(podman inspect --format '{{.State.ExitCode}}' "$TLS") after SIGTERM" \
  test "$(podman inspect --format '{{.State.ExitCode}}' "$TLS")" = 0

# ---- two processes on one port (--reuse-port) -------------------------------
PPORT="$(free_port)"
prun -d --name "$PROCS" -p "127.0.0.1:$PPORT:8080" --cpus 2 --memory 256m --read-only \
  --cap-drop ALL "$IMAGE" coroserve-processes 2 >/dev/null
pids_seen() { # the distinct pids that answered 32 new connections
  for _ in $(seq 32); do curl -sf -m 5 "http://127.0.0.1:$PPORT/stats"; echo; done |
    python3 -c 'import json, sys; print(len({json.loads(l)["pid"] for l in sys.stdin if l.strip()}))'
}
if wait_until 30 curl -sf -m 2 -o /dev/null "http://127.0.0.1:$PPORT/healthz"; then
  seen="$(pids_seen 2>/dev/null || echo 0)"
  expect "coroserve-processes 2: $seen processes answered 32 connections on one port" test "$seen" = 2
else
  bad "coroserve-processes 2 did not answer within 30 s: $(podman logs "$PROCS" 2>&1 | tail -3)"
fi
pstop -t 15 "$PROCS" >/dev/null
expect "coroserve-processes exited $(podman inspect --format '{{.State.ExitCode}}' "$PROCS") after SIGTERM" \
  test "$(podman inspect --format '{{.State.ExitCode}}' "$PROCS")" = 0

log "docker-test: $((SECONDS - T0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
