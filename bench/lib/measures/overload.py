"""Overload: coroserve --workers 2 on GET /cpu/primes?n=20000000&split=1
(a few ms of one core). Its capacity, then twice that offered open loop, in
rounds: each round's goodput is over the capacity measured just before it.
Then a polite client (10 req/s) beside a greedy one (64 connections, closed
loop), each a different loopback address. A probe of /io/sleep?ms=10 at 200
req/s runs through both, and alone first.

Goodput and the latency of accepted work and of refusals are the server's
own figures (two scrapes of /metrics around each window, see lib/scrape);
the polite client's latency and the probe's are corobench's, from each
request's scheduled time.
"""
import json
import os
import subprocess
import time

from .. import processes, scrape
from ..paths import coroserve_binary
from ..peers import Coroserve

PRIMES = "/cpu/primes?n=20000000&split=1"
PRIMES_COUNT = 1_270_607
SLEEP = "/io/sleep?ms=10"
GREEDY, POLITE = "127.0.0.2", "127.0.0.3"
REFUSALS = ("queue_time", "queue_full", "client_cap")


def _check(s):
    status, body = processes.http_get(s.port, PRIMES, timeout=30)
    if status != 200 or json.loads(body)["primes"] != PRIMES_COUNT:
        raise RuntimeError(f"{PRIMES} answered {status} {body[:200]!r}")


def _start(ctx, label, url, seconds, warmup=0, **opts):
    """A corobench in the background; returns (process, its JSON path)."""
    out = ctx.runner.out_path(label.replace(" ", "-"))
    js = out.replace(".txt", ".json")
    cmd = ctx.runner.corobench_cmd(url, js, seconds, warmup=warmup, **opts)
    ctx.runner.commands.setdefault(label, " ".join(cmd).replace(js, "OUT.json"))
    return processes.spawn(cmd, out), js


def _finish(proc, js, limit):
    processes.finish(proc, limit)
    with open(js) as f:
        return json.load(f)


def _window(port, warmup, seconds):
    """Scrapes after the warm-up and just before the load ends, each with
    the machine's steal time at that moment."""
    time.sleep(warmup)
    a = scrape.scrape(port)
    a["steal_s"] = processes.machine_steal_s()
    time.sleep(max(0.5, seconds - 0.5))
    b = scrape.scrape(port)
    b["steal_s"] = processes.machine_steal_s()
    return a, b


def _server_figures(a, b):
    route = {"route": "/cpu/primes"}
    accepted = scrape.buckets(a, b, "coroserve_http_request_duration_seconds", **route)
    refused = scrape.summed(*(scrape.buckets(a, b, "coroserve_shed_duration_seconds", reason=r)
                              for r in REFUSALS))
    ok = scrape.rate(a, b, "coroserve_http_requests_total", method="GET", status="200", **route)
    # Where a probe's stall came from: the loop's late timer ticks, and time
    # the hypervisor took the machine's cores away.
    lag = scrape.buckets(a, b, "coroserve_event_loop_lag_seconds")
    return {"goodput_rps": ok, "accepted": accepted, "refused": refused,
            "loop_lag_over_25ms": (lag[-1][1] - dict(lag).get(0.025, 0)) if lag else 0,
            "steal_ms": 1000 * (b["steal_s"] - a["steal_s"]),
            "refused_rps": sum(scrape.rate(a, b, "coroserve_requests_shed_total", reason=r)
                               for r in REFUSALS)}


def _client(r):
    lat = r.get("latency_us", {})
    return {"rps": r["requests_per_s"], "status": r.get("status", {}),
            "errors": r["errors"]["total"], "p50_ms": lat.get("p50", 0) / 1000,
            "p99_ms": lat.get("p99", 0) / 1000, "max_ms": lat.get("max", 0) / 1000}


def capacity(ctx, s, seconds):
    """200s/s of the CPU request in closed loop with 4 connections."""
    proc, js = _start(ctx, "capacity", s.url(PRIMES), seconds, warmup=1, connections=4)
    a, b = _window(s.port, 1, seconds)
    _finish(proc, js, seconds + 30)
    return scrape.rate(a, b, "coroserve_http_requests_total", route="/cpu/primes",
                       method="GET", status="200")


def _probe(ctx, s, label, seconds, warmup):
    return _start(ctx, label, s.url(SLEEP), seconds, warmup=warmup, connections=16, rate=200)


def idle_probe(ctx, s, seconds):
    proc, js = _probe(ctx, s, "overload sleep probe idle", seconds, 0)
    return _client(_finish(proc, js, seconds + 30))


def twice(ctx, s, cap, seconds, warmup):
    """Twice the capacity offered open loop; the probe alongside."""
    load = _start(ctx, "overload 2x open loop", s.url(PRIMES), seconds, warmup=warmup,
                  connections=128, rate=round(2 * cap))
    probe = _probe(ctx, s, "overload sleep probe", seconds, warmup)
    a, b = _window(s.port, warmup, seconds)
    res = _server_figures(a, b)
    res["offered_rps"] = round(2 * cap)
    res["client"] = _client(_finish(*load, warmup + seconds + 30))
    res["probe"] = _client(_finish(*probe, warmup + seconds + 30))
    return res


def goodput_rounds(ctx, s, rounds, seconds, warmup):
    """The capacity, then twice it offered, back to back, `rounds` times.
    Each round's goodput is divided by the capacity measured just before
    it, so a machine whose speed drifts between rounds moves both alike.
    Returns the rounds and the one whose ratio is the median."""
    out = []
    for r in range(rounds):
        cap = capacity(ctx, s, ctx.settings["cpu_duration_s"])
        res = twice(ctx, s, cap, seconds, warmup)
        res["capacity_rps"] = cap
        processes.log(f"  round {r + 1}/{rounds}: capacity {cap:,.1f} req/s, "
                      f"2x goodput {res['goodput_rps']:,.1f} req/s")
        out.append(res)
    by_ratio = sorted(out, key=lambda t: t["goodput_rps"] / t["capacity_rps"])
    return out, by_ratio[(len(by_ratio) - 1) // 2]


def polite_beside_greedy(ctx, s, seconds, warmup, bind):
    """A greedy client (64 connections, closed loop) and a polite one (10 req/s)."""
    greedy = _start(ctx, "greedy client", s.url(PRIMES), seconds, warmup=warmup,
                    connections=64, extra=bind(GREEDY))
    polite = _start(ctx, "polite client", s.url(PRIMES), seconds, warmup=warmup,
                    connections=2, rate=10, extra=bind(POLITE))
    probe = _probe(ctx, s, "overload sleep probe beside greedy", seconds, warmup)
    a, b = _window(s.port, warmup, seconds)
    res = _server_figures(a, b)
    res["greedy"] = _client(_finish(*greedy, warmup + seconds + 30))
    res["polite"] = _client(_finish(*polite, warmup + seconds + 30))
    res["probe"] = _client(_finish(*probe, warmup + seconds + 30))
    return res


def _source_address(ctx):
    """corobench's --bind when it has one, else a header the server is told
    to take as the client key (the same two clients, told apart another way)."""
    help_text = subprocess.run([ctx.runner.corobench, "--help"], capture_output=True,
                               text=True, timeout=10).stdout
    if "--bind" in help_text:
        return (lambda addr: ["--bind", addr]), []
    return (lambda addr: ["-H", f"X-Bench-Client: {addr}"]), ["--client-key",
                                                                "header:X-Bench-Client"]


def overload_runs(ctx):
    st = ctx.settings
    seconds, warmup = st["overload_duration_s"], st["overload_warmup_s"]
    bind, server_args = _source_address(ctx)
    s = Coroserve("coroserve_overload", ctx.work, coroserve_binary(ctx.build), 2,
                  args=["--max-connections", "30000"] + server_args)
    processes.log(f"== overload: GET {PRIMES} on 2 workers; capacity, then 2x open loop and "
                  f"a polite client beside a greedy one, {warmup} + {seconds} s each")
    with ctx.running(s):
        _check(s)
        res = {"client_key": "bind" if not server_args else "header",
               "idle_probe": idle_probe(ctx, s, seconds)}
        rounds, res["twice"] = goodput_rounds(ctx, s, st["cpu_rounds"], seconds, warmup)
        res["capacity_rps"] = res["twice"]["capacity_rps"]
        res["goodput_rounds"] = [{k: t[k] for k in ("capacity_rps", "goodput_rps", "offered_rps")}
                                 for t in rounds]
        res["fair"] = polite_beside_greedy(ctx, s, seconds, warmup, bind)
        processes.log(f"  polite p99 {res['fair']['polite']['p99_ms']:.2f} ms")
        status, body = processes.http_get(s.port, "/stats", timeout=5)
        res["stats_shed"] = json.loads(body)["shed"] if status == 200 else None
    return res
