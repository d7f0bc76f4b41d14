#!/usr/bin/env python3
"""Offline checks of docker/k8s/*.yaml and docker/compose.yaml.

No cluster and no schema download: the manifests are parsed and checked for
what this service needs (named ports, probes on the right paths and on the
plain-HTTP admin port, HTTPS from a kubernetes.io/tls Secret mounted
read-only, resources with the worker count matching the CPU limit, a
termination grace period longer than preStop + drain, a non-root read-only
container, a Service and an HPA that point at the Deployment), the compose
file for its healthcheck, grace period, limits, loopback-only ports and its
HTTPS service, and the Dockerfile for an admin port and no built-in
certificate.

  tests/k8s/check_manifests.py [--coroserve-help FILE]

With --coroserve-help (the output of `coroserve --help`), every COROSERVE_*
variable the manifests set must be one the server knows, and the drain
timeout default is read from it. Prints one line per check and a closing
'N passed, N failed' line; exits 1 on any failure.
"""
import argparse
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
K8S = ROOT / "docker" / "k8s"
COMPOSE = ROOT / "docker" / "compose.yaml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {what}")
    else:
        failed += 1
        print(f"FAIL  {what}")


def cpu_cores(q):
    q = str(q)
    return int(q[:-1]) / 1000 if q.endswith("m") else float(q)


def mem_bytes(q):
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}
    m = re.fullmatch(r"(\d+)([KMG]i?)?", str(q))
    if not m:
        raise ValueError(f"bad memory quantity {q!r}")
    return int(m.group(1)) * units.get(m.group(2) or "", 1)


def duration_s(d):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)", str(d))
    if not m:
        raise ValueError(f"bad duration {d!r}")
    return float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(2)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coroserve-help", help="file with the output of `coroserve --help`")
    args = ap.parse_args()

    known_env = None
    default_drain_ms = 10000
    if args.coroserve_help:
        text = pathlib.Path(args.coroserve_help).read_text()
        known_env = set(re.findall(r"Env:(COROSERVE_[A-Z_]+)", text))
        m = re.search(r"--drain-timeout-ms[^\n=]*=(\d+)", text)
        check(bool(known_env) and m is not None, "coroserve --help lists the env variables and the drain default")
        if m:
            default_drain_ms = int(m.group(1))

    docs = []
    for f in sorted(K8S.glob("*.yaml")):
        for d in yaml.safe_load_all(f.read_text()):
            if d:
                docs.append((f.name, d))
    by_kind = {}
    for name, d in docs:
        check(all(k in d for k in ("apiVersion", "kind", "metadata")), f"{name}: {d.get('kind')} has apiVersion, kind, metadata")
        by_kind.setdefault(d["kind"], []).append(d)

    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler"):
        check(len(by_kind.get(kind, [])) == 1, f"exactly one {kind}")
    if failed:
        return finish()

    dep = by_kind["Deployment"][0]
    svc = by_kind["Service"][0]
    hpa = by_kind["HorizontalPodAutoscaler"][0]
    pod = dep["spec"]["template"]["spec"]
    labels = dep["spec"]["template"]["metadata"]["labels"]
    check(dep["apiVersion"] == "apps/v1", "Deployment is apps/v1")
    check(
        all(labels.get(k) == v for k, v in dep["spec"]["selector"]["matchLabels"].items()),
        "Deployment selector matches its pod labels",
    )
    c = pod["containers"][0]
    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
    listen = int(env.get("COROSERVE_PORT", 8080))
    tls_on = "COROSERVE_TLS_CERT" in env
    main_port = "https" if tls_on else "http"
    check(all(p.get("name") for p in c.get("ports", [])), f"every container port is named ({sorted(ports)})")
    check(ports.get(main_port) == listen, f"container port '{main_port}' = COROSERVE_PORT ({listen})")
    admin = int(env.get("COROSERVE_ADMIN_PORT") or 0)
    check(admin > 0 and admin != listen and ports.get("admin") == admin,
          f"container port 'admin' = COROSERVE_ADMIN_PORT ({admin}), apart from COROSERVE_PORT")
    if tls_on:
        check_tls_secret(pod, c, env)
    check(env.get("COROSERVE_HOST") == "0.0.0.0", "COROSERVE_HOST=0.0.0.0 (the default 127.0.0.1 is unreachable from the kubelet)")
    if known_env is not None:
        unknown = sorted(set(k for k in env if k.startswith("COROSERVE_")) - known_env)
        check(not unknown, f"every COROSERVE_* variable is one coroserve knows (unknown: {unknown})")

    # The probes speak plain HTTP on the admin port: no certificate to trust,
    # no handshake to pay for, and still served when --max-connections is full.
    def probe_ok(p, path):
        g = (p or {}).get("httpGet", {})
        return g.get("path") == path and g.get("port") in ("admin", admin) and g.get("scheme", "HTTP") == "HTTP"

    check(probe_ok(c.get("livenessProbe"), "/healthz"), "liveness probe: GET /healthz on the admin port, plain HTTP")
    check(probe_ok(c.get("readinessProbe"), "/readyz"), "readiness probe: GET /readyz on the admin port (503 while draining)")
    if "startupProbe" in c:
        check(probe_ok(c["startupProbe"], "/healthz"), "startup probe: GET /healthz on the admin port")
    ann = dep["spec"]["template"]["metadata"].get("annotations", {})
    if "prometheus.io/port" in ann:
        check(int(ann["prometheus.io/port"]) == admin, "Prometheus scrapes /metrics on the admin port")

    res = c.get("resources", {})
    req, lim = res.get("requests", {}), res.get("limits", {})
    check(all(k in req for k in ("cpu", "memory")) and all(k in lim for k in ("cpu", "memory")), "cpu and memory requests and limits set")
    if all(k in req for k in ("cpu", "memory")) and all(k in lim for k in ("cpu", "memory")):
        check(cpu_cores(req["cpu"]) <= cpu_cores(lim["cpu"]), "cpu request <= limit")
        check(mem_bytes(req["memory"]) <= mem_bytes(lim["memory"]), "memory request <= limit")
        workers = int(env.get("COROSERVE_WORKERS", "0"))
        check(workers >= 1 and workers == cpu_cores(lim["cpu"]), f"COROSERVE_WORKERS ({workers}) = cpu limit ({lim['cpu']}): one worker per core the pod may use")

    drain_ms = int(env.get("COROSERVE_DRAIN_TIMEOUT_MS", default_drain_ms))
    pre_stop = 0
    cmd = (((c.get("lifecycle") or {}).get("preStop") or {}).get("exec") or {}).get("command", [])
    if len(cmd) == 2 and cmd[0] == "sleep":
        pre_stop = float(cmd[1])
    sleep = (((c.get("lifecycle") or {}).get("preStop") or {}).get("sleep") or {}).get("seconds")
    if sleep:
        pre_stop = float(sleep)
    grace = pod.get("terminationGracePeriodSeconds", 30)
    check(grace > pre_stop + drain_ms / 1000, f"terminationGracePeriodSeconds ({grace}) > preStop ({pre_stop:g} s) + drain timeout ({drain_ms / 1000:g} s)")

    sc = {**pod.get("securityContext", {}), **c.get("securityContext", {})}
    check(sc.get("runAsNonRoot") is True and sc.get("runAsUser", 0) != 0, "runs as non-root")
    check(sc.get("readOnlyRootFilesystem") is True, "read-only root filesystem")
    check(sc.get("allowPrivilegeEscalation") is False, "no privilege escalation")

    check(all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()), "Service selects the Deployment's pods")
    tps = [p.get("targetPort") for p in svc["spec"]["ports"]]
    check(all(p.get("name") for p in svc["spec"]["ports"]), "every Service port is named")
    check(bool(tps) and all(tp in (main_port, listen) for tp in tps),
          f"Service targets the {main_port} port only, not the admin port")

    tgt = hpa["spec"]["scaleTargetRef"]
    check(hpa["apiVersion"] == "autoscaling/v2", "HPA is autoscaling/v2")
    check(tgt["kind"] == "Deployment" and tgt["name"] == dep["metadata"]["name"], "HPA scales the Deployment")
    check(1 <= hpa["spec"].get("minReplicas", 1) <= hpa["spec"]["maxReplicas"], "HPA min <= max replicas")
    metrics = [m for m in hpa["spec"].get("metrics", []) if m.get("type") == "Resource" and m["resource"]["name"] == "cpu"]
    check(len(metrics) == 1 and 0 < metrics[0]["resource"]["target"].get("averageUtilization", 0) <= 100, "HPA scales on CPU utilization")

    check_compose(known_env, default_drain_ms)
    check_dockerfile()
    return finish()


def check_tls_secret(pod, c, env):
    """HTTPS from a kubernetes.io/tls Secret: mounted read-only, the env naming its two keys."""
    secrets = {v["name"]: v["secret"] for v in pod.get("volumes", []) if "secret" in v}
    mounts = [m for m in c.get("volumeMounts", []) if m.get("name") in secrets]
    check(len(mounts) == 1 and mounts[0].get("readOnly") is True, "a Secret volume is mounted read-only")
    if len(mounts) != 1:
        return
    m, sec = mounts[0], secrets[mounts[0]["name"]]
    base = m["mountPath"].rstrip("/")
    check(env.get("COROSERVE_TLS_CERT") == f"{base}/tls.crt" and env.get("COROSERVE_TLS_KEY") == f"{base}/tls.key",
          f"COROSERVE_TLS_CERT/KEY name the Secret's tls.crt and tls.key under {base}")
    check("items" not in sec and "subPath" not in m, "the whole Secret is mounted (no subPath: updates reach the files)")
    mode = sec.get("defaultMode", 0o644)
    group = pod.get("securityContext", {}).get("fsGroup")
    check(mode & 0o007 == 0 and group == pod.get("securityContext", {}).get("runAsGroup"),
          f"the key is readable by the pod's group only (defaultMode {mode:o}, fsGroup {group})")


def check_dockerfile():
    """An admin port for the HEALTHCHECK, not exposed; no certificate in the image."""
    text = "\n".join(l for l in DOCKERFILE.read_text().splitlines() if not l.lstrip().startswith("#"))
    m = re.search(r"COROSERVE_ADMIN_PORT=(\d+)", text)
    check(m is not None and int(m.group(1)) > 0, "Dockerfile: sets COROSERVE_ADMIN_PORT for the HEALTHCHECK")
    exposed = re.findall(r"^EXPOSE\s+(.*)$", text, re.M)
    check(m is not None and all(m.group(1) not in e.split() for e in exposed), "Dockerfile: does not EXPOSE the admin port")
    check("COROSERVE_TLS_" not in text and not re.search(r"^(COPY|ADD)\b.*\.(crt|key|pem)\b", text, re.M),
          "Dockerfile: no certificate or key built in")


def check_compose(known_env, default_drain_ms):
    comp = yaml.safe_load(COMPOSE.read_text())
    services = comp.get("services", {})
    for name in ("server", "bench", "replica", "lb", "server-tls"):
        check(name in services, f"compose: service {name}")
    if failed:
        return
    srv = services["server"]
    check("coroserve-healthcheck" in " ".join(srv.get("healthcheck", {}).get("test", [])), "compose: server has the healthcheck")
    senv = srv.get("environment", {})
    sdrain = int(senv.get("COROSERVE_DRAIN_TIMEOUT_MS", default_drain_ms))
    check(duration_s(srv.get("stop_grace_period", "10s")) > sdrain / 1000, "compose: stop_grace_period > drain timeout")
    check(srv.get("stop_signal", "SIGTERM") == "SIGTERM", "compose: stop signal SIGTERM")
    for name in ("server", "replica", "lb", "bench", "server-tls"):
        s = services[name]
        check("cpus" in s and "mem_limit" in s, f"compose: {name} has cpu and memory limits")
    for name in ("server", "replica", "server-tls"):
        w = services[name].get("environment", {}).get("COROSERVE_WORKERS")
        check(w is not None and int(w) == float(services[name]["cpus"]), f"compose: {name} COROSERVE_WORKERS = cpus")
        if known_env is not None:
            unknown = sorted(k for k in services[name].get("environment", {}) if k not in known_env)
            check(not unknown, f"compose: {name} sets only known COROSERVE_* variables (unknown: {unknown})")
    for name, s in services.items():
        for p in s.get("ports", []):
            check(str(p).startswith("127.0.0.1:"), f"compose: {name} publishes {p} on 127.0.0.1 only")
    check(services["bench"].get("profiles") == ["bench"], "compose: bench is in the bench profile")
    check(services["replica"].get("profiles") == ["scale"] and services["lb"].get("profiles") == ["scale"], "compose: replica and lb are in the scale profile")
    check(services["lb"].get("depends_on", {}).get("replica", {}).get("condition") == "service_healthy", "compose: lb starts after the replicas are healthy")
    nginx = "\n".join(l.split("#")[0] for l in (ROOT / "docker" / "nginx.conf").read_text().splitlines())
    check("server replica:8080" in nginx and "keepalive " in nginx and "proxy_next_upstream " in nginx, "nginx.conf: upstream replicas, keep-alive, retries")
    check("non_idempotent" not in nginx, "nginx.conf: never retries a non-idempotent request")
    check_compose_tls(services["server-tls"])


def check_compose_tls(s):
    check(s.get("profiles") == ["tls"], "compose: server-tls is in the tls profile")
    env = s.get("environment", {})
    mounts = [v for v in s.get("volumes", []) if isinstance(v, str) and v.endswith(":ro")]
    targets = [v.split(":")[-2] for v in mounts]
    cert, key = env.get("COROSERVE_TLS_CERT", ""), env.get("COROSERVE_TLS_KEY", "")
    check(any(cert.startswith(t + "/") and key.startswith(t + "/") for t in targets),
          f"compose: server-tls reads its certificate and key from a read-only mount ({cert}, {key})")
    check("coroserve-healthcheck" in " ".join(s.get("healthcheck", {}).get("test", [])) and int(env.get("COROSERVE_ADMIN_PORT") or 0) > 0,
          "compose: server-tls is health-checked on the admin port")
    published = [str(p).rsplit(":", 1)[-1] for p in s.get("ports", [])]
    check(env.get("COROSERVE_ADMIN_PORT") not in published, "compose: server-tls does not publish the admin port")


def finish():
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
