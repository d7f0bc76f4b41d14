#!/usr/bin/env bash
# corobench vs wrk, same connections and threads, against the same nginx
# (one worker, a short body from memory), interleaved A B A B so that drift in
# the machine's load hits both alike. Prints each run, the medians and the
# ratio corobench/wrk (issue 3's goal: >= 1 per thread).
#
#   bench/compare_wrk.sh                 # 3 rounds of 5 s, -c 64 -t 1
#   ROUNDS=5 DURATION=10 CONNECTIONS=128 THREADS=2 bench/compare_wrk.sh
#
# Loopback only; every run is bounded by `timeout`; nginx is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
COROBENCH=${COROBENCH:-build/release/client/corobench}
PATH_=/plaintext

scripts/deps.sh bench
if [ ! -x "$COROBENCH" ]; then
  echo "compare_wrk: building corobench (release preset)" >&2
  cmake --preset release >/dev/null
  cmake --build build/release --target corobench -j2 >/dev/null
fi

work=$(mktemp -d /tmp/compare-wrk-XXXXXX)
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A free loopback port: bind to 0, read it back, release it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -e "s|__PORT__|$port|g" -e "s|__PREFIX__|$work|g" bench/peers/nginx-plaintext.conf >"$work/nginx.conf"
nginx -p "$work" -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
nginx_pid=$!
url="http://127.0.0.1:$port$PATH_"
for _ in $(seq 50); do
  curl -fsS -o /dev/null "$url" 2>/dev/null && break
  sleep 0.1
done
if ! curl -fsS -o /dev/null "$url"; then
  echo "compare_wrk: nginx did not come up on 127.0.0.1:$port:" >&2
  cat "$work/nginx.out" "$work/error.log" >&2 2>/dev/null || true
  exit 1
fi

limit=$((DURATION + 15))
# Each run prints "requests/s  CPU-µs-per-request": the second number (user +
# system time of the tool itself, from bash's `time`) says what each tool
# costs per request even when the server, not the tool, is the bottleneck.
TIMEFORMAT='%U %S'
cpu_per_req() { awk -v t="$1" -v n="$2" 'BEGIN {split(t, a, " "); printf "%.2f", (a[1] + a[2]) * 1e6 / n}'; }
run_corobench() {
  local t
  t=$({ time timeout "$limit" "$COROBENCH" --no-progress -c "$CONNECTIONS" -t "$THREADS" \
    -d "${DURATION}s" --json "$work/cb.json" "$url" >"$work/cb.txt"; } 2>&1)
  read -r rps n < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["errors"]["total"]==0, r["errors"]; print("%.0f %d" % (r["requests_per_s"], r["responses"]))' "$work/cb.json")
  echo "$rps $(cpu_per_req "$t" "$n")"
}
run_wrk() {
  local t
  t=$({ time timeout "$limit" wrk -c "$CONNECTIONS" -t "$THREADS" -d "${DURATION}s" "$url" >"$work/wrk.txt"; } 2>&1)
  if grep -q "Non-2xx\|Socket errors" "$work/wrk.txt"; then cat "$work/wrk.txt" >&2; exit 1; fi
  local rps n
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/wrk.txt")
  n=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  echo "$rps $(cpu_per_req "$t" "$n")"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "nginx (1 worker) on $url; -c $CONNECTIONS -t $THREADS, ${DURATION}s runs, $ROUNDS rounds, interleaved"
cb=() wk=() cbc=() wkc=()
for r in $(seq "$ROUNDS"); do
  read -r a ac < <(run_corobench); cb+=("$a"); cbc+=("$ac")
  read -r b bc < <(run_wrk); wk+=("$b"); wkc+=("$bc")
  printf 'round %d: corobench %8s req/s %6s us CPU/req   wrk %8s req/s %6s us CPU/req\n' \
    "$r" "$a" "$ac" "$b" "$bc"
done
cbm=$(printf '%s\n' "${cb[@]}" | median)
wkm=$(printf '%s\n' "${wk[@]}" | median)
cbcm=$(printf '%s\n' "${cbc[@]}" | median)
wkcm=$(printf '%s\n' "${wkc[@]}" | median)
printf 'median:  corobench %8s req/s %6s us CPU/req   wrk %8s req/s %6s us CPU/req\n' \
  "$cbm" "$cbcm" "$wkm" "$wkcm"
printf 'ratio corobench/wrk: requests/s %s, requests per CPU-second %s (>= 1: corobench is cheaper)\n' \
  "$(awk -v a="$cbm" -v b="$wkm" 'BEGIN {printf "%.3f", a / b}')" \
  "$(awk -v a="$cbcm" -v b="$wkcm" 'BEGIN {printf "%.3f", b / a}')"
