"""Bytes an idle keep-alive connection costs for TLS: the RSS growth per
connection with HTTPS minus the same without, coroserve against nginx (one
worker), ECDSA P-256, in one run. Each connection completes a handshake and
one request, then stays open."""
from .. import processes
from ..paths import coroserve_binary
from ..peers import Coroserve, Nginx
from .idle import rss_growth
from .tls import coroserve_tls, make_certs, nginx_tls


def _growth(ctx, server, conns):
    with ctx.running(server):
        r = rss_growth(server, conns)
    processes.log(f"  {server.name:22s} {r['bytes_per_conn']:8.0f} B/connection  "
                  f"({r['closed_by_server']} closed by the server, opened in {r['open_s']} s)")
    return r


def tls_idle_rss(ctx):
    conns = ctx.settings["idle_connections"]
    certs = make_certs(ctx.work)
    processes.log(f"== RSS per idle keep-alive connection, HTTPS vs plain, {conns} connections")
    binary = coroserve_binary(ctx.build)
    pairs = {"coroserve": (Coroserve("coroserve_plain", ctx.work, binary, 2),
                           coroserve_tls(ctx.work, binary, certs, "ecdsa")),
             "nginx": (Nginx(ctx.work, name="nginx_plain"), nginx_tls(ctx.work, certs, "ecdsa"))}
    res = {}
    for name, (plain, tls) in pairs.items():
        p, t = _growth(ctx, plain, conns), _growth(ctx, tls, conns)
        res[name] = {"plain": p, "tls": t,
                     "tls_bytes_per_conn": t["bytes_per_conn"] - p["bytes_per_conn"]}
    ctx.runner.commands.setdefault("idle TLS connections", f"{conns} × (connect; TLS handshake "
                                   "(Python ssl, the test CA); GET /plaintext; keep open), then "
                                   "VmRSS of the serving process after 1 s; the same in plain "
                                   "HTTP; the difference per connection")
    return res
