"""Keep-alive GET /plaintext, one load-generator thread, 64 connections:
coroserve against nginx, a bare Beast loop and Node, pipelined and not, and
corobench against wrk on the same nginx; and a connection per request,
coroserve against nginx. All in one set of rounds."""
from .. import stats
from ..peers import BareBeast, Coroserve, Nginx, Node
from ..paths import coroserve_binary
from ..processes import log

PIPELINE = 16


def plaintext_peers(ctx):
    return {"coroserve": Coroserve("coroserve", ctx.work, coroserve_binary(ctx.build)),
            "nginx": Nginx(ctx.work), "bare_beast": BareBeast(ctx.work, ctx.build),
            "node": Node(ctx.work)}


def warm(ctx, servers):
    for s in servers:
        ctx.runner.wrk_run(f"warm {s.name}", s, 1)


def keep_alive(ctx, p):
    """wrk -t1 -c64 against each server: req/s and the server's CPU per request."""
    d = ctx.settings["duration_s"]
    return [(name, lambda s=s: ctx.runner.wrk_run(f"wrk {s.name}", s, d)) for name, s in p.items()]


def pipelined(ctx, p):
    """The same with 16 requests per write (bench/pipeline.lua)."""
    d = ctx.settings["duration_s"]
    key = f"pipeline {PIPELINE}"
    return [(f"{name} {key}", lambda s=s: ctx.runner.wrk_run(f"wrk {s.name} {key}", s, d,
                                                           pipeline=PIPELINE))
            for name, s in p.items() if name != "node"]


def corobench_vs_wrk(ctx, p):
    """corobench with wrk's settings on the same nginx; its wrk twin is keep_alive's."""
    ng = p["nginx"]
    return [("corobench nginx", lambda: ctx.runner.corobench_run(
        "corobench nginx", ng.url(), ctx.settings["duration_s"], server=ng))]


def new_connections(ctx, p):
    """A connection per request (corobench --no-keepalive -c 16): the server's
    CPU per connection, from accept to close, coroserve against nginx."""
    d = ctx.settings["duration_s"]
    return [(f"{name} connection per request",
             lambda s=p[name], n=name: ctx.runner.corobench_run(
                 f"corobench --no-keepalive {n}", s.url(), d, server=s, connections=16,
                 extra=["--no-keepalive"]))
            for name in ("coroserve", "nginx")]


def plaintext_runs(ctx):
    rounds, duration = ctx.settings["rounds"], ctx.settings["duration_s"]
    p = plaintext_peers(ctx)
    log(f"== plaintext keep-alive, pipelined ×{PIPELINE}, corobench vs wrk: GET /plaintext, "
        f"wrk -t1 -c64, {rounds} rounds of {duration} s")
    with ctx.running(*p.values()):
        warm(ctx, p.values())
        cases = (keep_alive(ctx, p) + pipelined(ctx, p) + corobench_vs_wrk(ctx, p) +
                 new_connections(ctx, p))
        return stats.interleave(rounds, cases)
