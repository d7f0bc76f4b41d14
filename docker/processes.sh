#!/bin/bash
# coroserve-processes N [coroserve flags...]: N coroserve processes on one
# port (--reuse-port), for more than one core of I/O. Each process keeps its
# own event loop, workers, limits and TLS session tickets; the kernel spreads
# new connections across them.
#
# Workers: one per core would give N times the cores in all, so each process
# gets cores / N (at least 1) unless COROSERVE_WORKERS (other than 0) or
# --workers says otherwise. Admin port: process i listens on
# COROSERVE_ADMIN_PORT + i, so a scraper reaches every process (each
# /metrics carries its pid). SIGTERM,
# SIGINT and SIGHUP go to every process, which then drains or reloads on its
# own. When one process ends, the others are stopped too, so that a container
# restarts whole; the exit status is the first nonzero one.
set -uo pipefail

usage() {
  echo "usage: coroserve-processes N [coroserve flags...]  (N: processes, 1 to 64)" >&2
  exit 2
}
n="${1:-}"
[[ "$n" =~ ^[1-9][0-9]?$ ]] && ((n <= 64)) || usage
shift
binary="${COROSERVE_BINARY:-coroserve}"

cores=$(nproc)
workers=$((cores / n > 0 ? cores / n : 1))
# 0, like unset, means "one per core", shared out between the processes.
if [ "${COROSERVE_WORKERS:-0}" = 0 ]; then export COROSERVE_WORKERS=$workers; fi
admin_base="${COROSERVE_ADMIN_PORT:-0}"
unset COROSERVE_ADMIN_PORT

pids=()
for ((i = 0; i < n; i++)); do
  admin=()
  if ((admin_base > 0)); then admin=(--admin-port $((admin_base + i))); fi
  "$binary" --reuse-port "${admin[@]}" "$@" &
  pids+=($!)
done

forward() { kill -s "$1" "${pids[@]}" 2>/dev/null; }
# A second SIGTERM makes coroserve close every connection at once, so the
# stop below is sent only to processes that were not told already.
stopping=0
trap 'stopping=1; forward TERM' TERM
trap 'stopping=1; forward INT' INT
trap 'forward HUP' HUP

# Wait for the first process to end; `wait -n` also returns, with no pid,
# when a trapped signal arrives, so look again then.
ended=""
while [ -z "${ended:-}" ]; do
  wait -n -p ended "${pids[@]}"
  result=$?
done
((stopping)) || forward TERM

# The exit status of one of the others; `wait` returns early on a signal.
status_of() {
  local rc
  while :; do
    wait "$1"
    rc=$?
    kill -0 "$1" 2>/dev/null || return "$rc"
  done
}
for pid in "${pids[@]}"; do
  [ "$pid" = "$ended" ] && continue
  status_of "$pid"
  rc=$?
  if ((result == 0)); then result=$rc; fi
done
exit "$result"
