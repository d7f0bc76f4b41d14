#!/bin/bash
# The image's HEALTHCHECK: GET /healthz, exit 0 on 200. Plain bash
# (/dev/tcp), so the slim image needs no curl.
# It asks the plain-HTTP admin port (COROSERVE_ADMIN_PORT) when there is one,
# so it keeps working when --port speaks HTTPS and needs no certificate;
# otherwise the service port. An admin port of 0 is picked by the kernel and
# cannot be known here, so then the service port is asked too.
port="${COROSERVE_ADMIN_PORT:-}"
if [ -z "$port" ] || [ "$port" = 0 ]; then
  port="${COROSERVE_PORT:-8080}"
fi
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || exit 1
case "$status" in
  "HTTP/1.1 200"*) exit 0 ;;
esac
echo "healthz on port $port: $status" >&2
exit 1
