# The `scale` profile's load balancer: Debian's nginx on the same Debian 12
# base as coroserve, so that nothing needs an image registry.
#   docker build -f docker/nginx.Dockerfile -t coroserve-lb docker/
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && rm -f /etc/nginx/sites-enabled/default
COPY nginx.conf /etc/nginx/nginx.conf
USER www-data
EXPOSE 8080
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=10s --timeout=3s --start-period=3s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /lb/healthz HTTP/1.1\\r\\nHost: lb\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS= read -r -t 2 s <&3 && [[ $s == 'HTTP/1.1 200'* ]]"]
# -e stderr: not the compiled-in /var/log/nginx/error.log, which www-data may not open.
CMD ["nginx", "-e", "stderr", "-g", "daemon off;"]
