#!/bin/bash
# The image's HEALTHCHECK: GET /healthz on the container's own port, exit 0
# on 200. Plain bash (/dev/tcp), so the slim image needs no curl.
port="${COROSERVE_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || exit 1
case "$status" in
  "HTTP/1.1 200"*) exit 0 ;;
esac
echo "healthz: $status" >&2
exit 1
