#!/usr/bin/env bash
# CTest's dashboard_browser: the /dashboard page in a real headless Chromium.
#   dashboard_test.sh SERVER_BINARY SCREENSHOT_PNG
# Installs Chromium through the project's scripts (scripts/deps.sh browser)
# when it is missing; exits 77 (CTest: skipped) only when that install fails.
# The checks themselves are in dashboard_test.mjs (Node.js, no npm packages).
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 SERVER_BINARY SCREENSHOT_PNG" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if ! command -v chromium >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "dashboard_browser: chromium or node missing, installing: scripts/deps.sh browser"
  if ! timeout 400 "$root/scripts/deps.sh" browser || ! command -v chromium >/dev/null 2>&1 ||
    ! command -v node >/dev/null 2>&1; then
    echo "SKIPPED: dashboard_browser needs Debian's chromium and Node.js, and they could not be installed"
    exit 77
  fi
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/coroserve-dashboard.XXXXXX")
# Whatever the test started and did not stop (it stops everything itself,
# unless it is killed): kill those pids, then remove the work dir.
cleanup() {
  if [ -f "$workdir/pids" ]; then
    while read -r pid; do
      # Only a process of this run: its command line names the work dir.
      if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$workdir"; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done <"$workdir/pids"
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

timeout -k 5 180 node "$here/dashboard_test.mjs" \
  --server "$1" --out "$2" --workdir "$workdir" --chromium "$(command -v chromium)"
