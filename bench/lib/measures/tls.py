"""HTTPS: coroserve (2 workers, handshakes on the pool) against nginx (one
worker), the same certificates (scripts/dev-certs.sh, ECDSA P-256 and
RSA-2048), interleaved rounds.

- keep-alive: wrk -t1 -c64 on https /plaintext, server CPU per request; and
  corobench on nginx beside wrk, the tools' own CPU per request;
- full handshakes: corobench --no-keepalive --tls-resume off (every request
  a new connection and a full handshake), server CPU per handshake and the
  rate each server sustains;
- a handshake storm: the /io/sleep?ms=10 probe on kept-alive HTTPS
  connections, idle and while new connections arrive at 80% of the pool's
  RSA handshake rate, handshakes on the pool and on the loop.

The bytes an idle TLS connection holds are in tls_idle.py.
"""
import os
import subprocess

from .. import processes, stats
from ..paths import ROOT, coroserve_binary
from ..peers import Coroserve, Nginx
from .cpu import SLEEP

KEYS = ("ecdsa", "rsa")
HANDSHAKE_CONNECTIONS = 16


def make_certs(work):
    """The test CA and localhost certificates, made with the openssl command."""
    d = os.path.join(work, "certs")
    subprocess.run([os.path.join(ROOT, "scripts", "dev-certs.sh"), d], check=True,
                   capture_output=True, timeout=60)
    return d


def coroserve_tls(work, binary, certs, key, where="pool"):
    s = Coroserve(f"coroserve_tls_{key}_{where}", work, binary, 2,
                  args=["--max-connections", "30000", "--tls-handshake-on", where,
                        "--tls-cert", os.path.join(certs, f"localhost-{key}.crt"),
                        "--tls-key", os.path.join(certs, f"localhost-{key}.key")])
    s.cafile = os.path.join(certs, "ca.crt")
    return s


def nginx_tls(work, certs, key):
    s = Nginx(work, conf="nginx-tls.conf", name=f"nginx_tls_{key}",
              fill={"CERT": os.path.join(certs, f"localhost-{key}.crt"),
                    "KEY": os.path.join(certs, f"localhost-{key}.key")})
    s.cafile = os.path.join(certs, "ca.crt")
    return s


def _tls_flags(server, full_handshakes=False):
    flags = ["--cacert", server.cafile]
    return flags + (["--no-keepalive", "--tls-resume", "off"] if full_handshakes else [])


def keepalive_cases(ctx, coro, nginx):
    """Server CPU per kept-alive HTTPS request (wrk), and corobench's own CPU
    per request beside wrk's on the same server."""
    d, r = ctx.settings["cpu_duration_s"], ctx.runner

    def corobench():
        return r.corobench_run("corobench https keep-alive", nginx.url(), d, connections=64,
                               server=nginx, extra=_tls_flags(nginx))

    return [("coroserve keep-alive", lambda: r.wrk_run("wrk https coroserve", coro, d)),
            ("nginx keep-alive", lambda: r.wrk_run("wrk https nginx", nginx, d)),
            ("corobench keep-alive on nginx", corobench)]


def handshake_cases(ctx, servers):
    """Every request on a new connection with a full handshake."""
    d, r = ctx.settings["cpu_duration_s"], ctx.runner

    def case(key, s):
        return (key, lambda: r.corobench_run(f"full handshakes {key}", s.url(), d,
                                             connections=HANDSHAKE_CONNECTIONS, server=s,
                                             extra=_tls_flags(s, full_handshakes=True)))

    return [case(key, s) for key, s in servers.items()]


def _storm_probe(ctx, server, rate):
    """The sleep probe on kept-alive connections while a second corobench
    opens `rate` new connections a second (full handshakes), open loop."""
    d, r = ctx.settings["cpu_duration_s"], ctx.runner
    cmd = r.corobench_cmd(server.url(), os.path.join(ctx.work, "storm.json"), d + 2,
                          connections=64, rate=rate, extra=_tls_flags(server, True))
    ctx.runner.commands.setdefault("handshake storm", " ".join(cmd))
    storm = processes.spawn(cmd, os.path.join(ctx.work, "storm.txt"))
    try:
        return r.corobench_run(f"sleep probe https storm {server.name}", server.url(SLEEP), d,
                               connections=16, rate=200, server=server,
                               extra=_tls_flags(server))
    finally:
        processes.finish(storm, d + 30)


def storm_cases(ctx, pool, loop, rate):
    d, r = ctx.settings["cpu_duration_s"], ctx.runner

    def idle():
        return r.corobench_run("sleep probe https idle", pool.url(SLEEP), d, connections=16,
                               rate=200, server=pool, extra=_tls_flags(pool))

    return [("idle", idle), ("storm, handshakes on the pool", lambda: _storm_probe(ctx, pool, rate)),
            ("storm, handshakes on the loop", lambda: _storm_probe(ctx, loop, rate))]


def tls_runs(ctx):
    rounds = ctx.settings["cpu_rounds"]
    certs = make_certs(ctx.work)
    binary = coroserve_binary(ctx.build)
    coro = {k: coroserve_tls(ctx.work, binary, certs, k) for k in KEYS}
    nginx = {k: nginx_tls(ctx.work, certs, k) for k in KEYS}
    loop = coroserve_tls(ctx.work, binary, certs, "rsa", where="loop")
    processes.log(f"== HTTPS: coroserve (2 workers) vs nginx (1 worker), ECDSA P-256 and "
                  f"RSA-2048, {rounds} rounds")
    res = {}
    with ctx.running(*coro.values(), *nginx.values(), loop):
        res["keepalive"] = stats.interleave(rounds, keepalive_cases(ctx, coro["ecdsa"],
                                                                     nginx["ecdsa"]))
        servers = {f"{name} {k}": s for name, group in (("coroserve", coro), ("nginx", nginx))
                   for k, s in group.items()}
        res["handshakes"] = stats.interleave(rounds, handshake_cases(ctx, servers))
        rate = round(0.8 * stats.median_of(res["handshakes"]["coroserve rsa"], "rps"))
        processes.log(f"  handshake storm at {rate} new connections/s (80% of the pool's rate)")
        res["storm_rate"] = rate
        res["storm"] = stats.interleave(rounds, storm_cases(ctx, coro["rsa"], loop, rate))
    return res
