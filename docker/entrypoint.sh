#!/bin/sh
# `docker run IMAGE` runs coroserve; `docker run IMAGE --workers 4` passes the
# flags to coroserve; `docker run IMAGE corobench ...` (or any command) runs
# that. exec: the command becomes PID 1 and receives SIGTERM itself.
case "${1:-}" in
  -*) set -- coroserve "$@" ;;
esac
exec "$@"
