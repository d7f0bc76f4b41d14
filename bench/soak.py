#!/usr/bin/env python3
"""Soak: mixed load (bench/soak.mix) at about 80% of measured capacity for a
long time, while the server's RSS and open descriptors are sampled from
/proc. Passes when corobench saw zero errors, no 5xx but shed 503s, and the
descriptor count came back to where it started; prints the RSS growth, and
growth past SOAK_MAX_RSS_GROWTH_PCT (default 50) fails the run.

A 503 the server sheds by admission (its queue stood too long or was full) is
the right answer when a shared machine's other work takes the CPU away for a
moment, so it does not fail the soak by itself: every 503 must be counted in
coroserve_requests_shed_total (nothing lost silently), and together they must
stay under SOAK_MAX_SHED_PCT (default 1) of the answers.

    bench/soak.py                    # 10 minutes (make soak)
    DURATION=30 bench/soak.py        # the CI variant (make soak-ci)

Environment: DURATION (600 s), CONNECTIONS (32), LOAD_PCT (80), SAMPLE_S (5),
SOAK_MAX_RSS_GROWTH_PCT (50), SOAK_MAX_SHED_PCT (1), COROSERVE and COROBENCH (the release binaries).
Loopback only; corobench is bounded by -d and a timeout; the server is
stopped on exit.
"""
import json
import os
import shutil
import sys
import tempfile
import time

from lib import processes, scrape
from lib.load import Runner
from lib.paths import BENCH, RELEASE, corobench_binary, coroserve_binary
from lib.peers import Coroserve, running

MIX = os.path.join(BENCH, "soak.mix")
CAPACITY_S = 5
# The shed reasons answered with 503 (a client's cap is 429, a deadline 504).
SHED_503_REASONS = ("queue_time", "queue_full", "image_memory")


def settings():
    env = os.environ
    return {"duration": int(env.get("DURATION", 600)),
            "connections": int(env.get("CONNECTIONS", 32)),
            "load_pct": int(env.get("LOAD_PCT", 80)), "sample_s": int(env.get("SAMPLE_S", 5)),
            "max_growth": int(env.get("SOAK_MAX_RSS_GROWTH_PCT", 50)),
            "max_shed_pct": float(env.get("SOAK_MAX_SHED_PCT", 1)),
            "coroserve": env.get("COROSERVE", coroserve_binary()),
            "corobench": env.get("COROBENCH", corobench_binary())}


def sample(server, t0, samples):
    pid = server.pid()
    samples.append((round(time.monotonic() - t0), processes.read_rss_kib(pid),
                    processes.count_fds(pid)))


def soak(runner, server, s, rate, js):
    """Runs the soak load, sampling the server every SAMPLE_S; returns the samples."""
    cmd = runner.corobench_cmd(server.url("/"), js, s["duration"], s["connections"], 1,
                               rate=rate, mix=MIX)
    load = processes.spawn(cmd, os.path.join(runner.work, "soak.txt"))
    t0 = time.monotonic()
    deadline = t0 + s["duration"] + 60
    samples = []
    try:
        while load.poll() is None:
            if time.monotonic() > deadline:
                sys.exit("soak: corobench ran past its deadline")
            time.sleep(s["sample_s"])
            if not server.alive():
                sys.exit("soak: the server died")
            sample(server, t0, samples)
    finally:
        processes.stop(load)
    return samples


def print_samples(samples):
    """At most ~12 samples: the first, the last, and evenly between."""
    print(f"{'t_s':>8s} {'rss_kib':>10s} {'fds':>6s}")
    step = max(1, (len(samples) - 1) // 12)
    shown = samples[:1] + samples[1::step]
    if samples and shown[-1] is not samples[-1]:
        shown.append(samples[-1])
    for t, rss, fds in shown:
        print(f"{t:8d} {rss:10d} {fds:6d}")


def shed_problems(r, shed, max_pct):
    """What is wrong with the 503s: some not counted as shed, or too many."""
    got = r["status"].get("503", 0)
    share = 100.0 * got / max(1, r["responses"])
    print(f"shed: {got} answers were 503 ({share:.3f}%); the server counted {shed:.0f} "
          f"in coroserve_requests_shed_total{{reason=~\"{'|'.join(SHED_503_REASONS)}\"}}")
    bad = []
    if got != shed:
        bad.append(f"{got} answers were 503 but the server counted {shed:.0f} as shed")
    if share > max_pct:
        bad.append(f"{share:.2f}% of answers were shed (> {max_pct}%)")
    return bad


def verdict(r, base, end, peak, s):
    """Prints the figures; returns the reasons the soak failed, if any."""
    lat = r["latency_us"]
    growth = 100.0 * (end[0] - base[0]) / base[0]
    print(f"requests {r['requests']}, responses {r['responses']}, errors {r['errors']['total']} "
          f"({r['requests_per_s']:.0f} req/s over {r['elapsed_s']:.0f} s); status {r['status']}")
    print(f"latency p50 {lat['p50'] / 1000:.2f} ms, p99 {lat['p99'] / 1000:.2f} ms, "
          f"max {lat['max'] / 1000:.1f} ms")
    print(f"RSS {base[0]} KiB -> {end[0]} KiB (max {peak[0]}): growth {end[0] - base[0]:+d} KiB "
          f"({growth:+.1f}%)")
    print(f"fds {base[1]} -> {end[1]} (max {peak[1]})")
    five = {k: v for k, v in r["status"].items() if k.startswith("5") and k != "503"}
    bad = [f"{r['errors']['total']} errors: {r['errors']}" if r["errors"]["total"] else "",
           f"5xx answers: {five}" if five else "",
           f"descriptors leaked: {base[1]} -> {end[1]}" if end[1] > base[1] else "",
           f"RSS grew {growth:.1f}% (> {s['max_growth']}%)" if growth > s["max_growth"] else ""]
    return [b for b in bad if b] + shed_problems(r, end[2], s["max_shed_pct"])


def run(s, work):
    runner = Runner(work, RELEASE)
    runner.corobench = s["corobench"]
    server = Coroserve("coroserve", work, s["coroserve"], 2, ["--log-level", "warn"])
    with running(server):
        # Capacity: closed loop, the same mix and connections.
        cap = runner.corobench_run("capacity", server.url("/"), CAPACITY_S,
                                   connections=s["connections"], mix=MIX)["rps"]
        rate = int(cap) * s["load_pct"] // 100
        print(f"soak: capacity {cap:.0f} req/s with this mix; running at {rate} req/s "
              f"({s['load_pct']}%) for {s['duration']} s", flush=True)
        time.sleep(1)  # the capacity run has grown every pool and cache: the baseline
        base = (processes.read_rss_kib(server.pid()), processes.count_fds(server.pid()))
        before = scrape.scrape(server.port)
        js = os.path.join(work, "soak.json")
        samples = soak(runner, server, s, rate, js)
        time.sleep(1)  # corobench has closed its connections; let the server notice
        rss, fds = processes.read_rss_kib(server.pid()), processes.count_fds(server.pid())
        # Scraped after the count: the scrape's own connection is not counted.
        after = scrape.scrape(server.port)
        shed = sum(scrape.delta(before, after, "coroserve_requests_shed_total", reason=k)
                   for k in SHED_503_REASONS)
        end = (rss, fds, shed)
    with open(js) as f:
        result = json.load(f)
    print_samples(samples)
    peak = (max([base[0]] + [rss for _, rss, _ in samples]),
            max([base[1]] + [fds for _, _, fds in samples]))
    return verdict(result, base, end, peak, s)


def main():
    s = settings()
    for b in (s["coroserve"], s["corobench"]):
        if not os.access(b, os.X_OK):
            print(f"soak: {b} is missing; run 'make build' first", file=sys.stderr)
            sys.exit(2)
    processes.install_cleanup()
    work = tempfile.mkdtemp(prefix="soak-")
    try:
        bad = run(s, work)
    finally:
        processes.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    if bad:
        print("soak: FAIL: " + "; ".join(bad))
        sys.exit(1)
    print("soak: ok")


if __name__ == "__main__":
    main()
