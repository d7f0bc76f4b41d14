"""The CPU side: /cpu/primes on 1 and 2 workers and on aiohttp's process
pool, and the latency of a 10 ms timer request while the pool is saturated."""
import json
import os
import shlex
import time

from .. import processes, stats
from ..paths import coroserve_binary
from ..peers import Aiohttp, Coroserve

PRIMES_N = 10_000_000  # coroserve's default n: ~3-5 ms of one core in C++
PRIMES_BELOW_N = 664_579
PRIMES = f"/cpu/primes?n={PRIMES_N}&split=1"
SLEEP = "/io/sleep?ms=10"


def _check_primes(s):
    """Each server must count the same primes before it is measured."""
    status, body = processes.http_get(s.port, PRIMES, timeout=30)
    got = json.loads(body)["primes"] if status == 200 else None
    if got != PRIMES_BELOW_N:
        raise RuntimeError(f"{s.name}: {PRIMES} answered {status} {body[:200]!r}")


def _primes_case(ctx, key, label, server, path=PRIMES):
    return (key, lambda: ctx.runner.corobench_run(label, server.url(path),
                                                  ctx.settings["cpu_duration_s"],
                                                  connections=4, server=server))


def cpu_scaling(ctx, w1, w2):
    """Does a second worker double the CPU endpoint's rate?"""
    return [_primes_case(ctx, "workers 1", "primes coroserve workers 1", w1),
            _primes_case(ctx, "workers 2", "primes coroserve workers 2", w2)]


def aiohttp_comparison(ctx, ah):
    """The classic Python split: aiohttp + run_in_executor on a process pool."""
    return [_primes_case(ctx, "aiohttp 2", "primes aiohttp", ah, f"/cpu/primes?n={PRIMES_N}")]


def cpu_runs(ctx):
    rounds, duration = ctx.settings["cpu_rounds"], ctx.settings["cpu_duration_s"]
    w1 = Coroserve("coroserve_w1", ctx.work, coroserve_binary(ctx.build), 1)
    w2 = Coroserve("coroserve_w2", ctx.work, coroserve_binary(ctx.build), 2)
    ah = Aiohttp(ctx.work, 2)
    processes.log(f"== CPU scaling and aiohttp: GET {PRIMES}, corobench -c 4, {rounds} rounds "
                  f"of {duration} s")
    with ctx.running(w1, w2, ah):
        for s in (w1, w2, ah):
            _check_primes(s)
        return stats.interleave(rounds, cpu_scaling(ctx, w1, w2) + aiohttp_comparison(ctx, ah))


def _saturated_probe(ctx, w2, probe):
    """The sleep probe while a second corobench keeps 4 primes requests in
    flight (2 running on the workers, 2 queued)."""
    duration, work = ctx.settings["cpu_duration_s"], ctx.work
    js = os.path.join(work, "saturate.json")
    load_cmd = [ctx.runner.corobench, "--no-progress", "-c", "4", "-t", "1", "-d",
                f"{duration + 2}s", "--json", js, w2.url(PRIMES)]
    ctx.runner.commands.setdefault("saturating load",
                                   shlex.join(load_cmd).replace(js, "OUT.json"))
    loader = processes.spawn(load_cmd, os.path.join(work, "saturate.txt"))
    try:
        time.sleep(1.0)
        r = probe("sleep probe saturated")
    finally:
        processes.finish(loader, duration + 20)
    try:
        with open(js) as f:
            r["saturating_rps"] = json.load(f)["requests_per_s"]
    except (OSError, ValueError, KeyError):
        r["saturating_rps"] = None
    return r


def split_latency(ctx):
    """p99 of /io/sleep?ms=10 at 200 req/s (corobench open loop), pool idle
    vs pool saturated: does CPU work on the pool slow the loop?"""
    rounds = ctx.settings["cpu_rounds"]
    w2 = Coroserve("coroserve_w2", ctx.work, coroserve_binary(ctx.build), 2)
    processes.log(f"== p99 of {SLEEP} (corobench -R 200), idle vs pool saturated")
    with ctx.running(w2):
        def probe(label):
            return ctx.runner.corobench_run(label, w2.url(SLEEP), ctx.settings["cpu_duration_s"],
                                            connections=16, rate=200, server=w2)
        cases = [("idle", lambda: probe("sleep probe")),
                 ("saturated", lambda: _saturated_probe(ctx, w2, probe))]
        return stats.interleave(rounds, cases)
