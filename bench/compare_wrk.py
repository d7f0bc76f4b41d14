#!/usr/bin/env python3
"""corobench against wrk, same connections and threads, on the same nginx (one
worker, a short body from memory), interleaved so that drift in the machine's
load hits both alike. Prints each run, the medians and the ratio corobench/wrk
of requests/s and of requests per CPU-second of the tool (>= 1: corobench is
at least as fast, per thread).

    bench/compare_wrk.py                 # 3 rounds of 5 s, -c 64 -t 1
    ROUNDS=5 DURATION=10 CONNECTIONS=128 THREADS=2 bench/compare_wrk.py

Loopback only; every run is bounded; nginx is stopped on exit.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from lib import machine, processes, stats
from lib.load import Runner
from lib.paths import RELEASE, ROOT, corobench_binary
from lib.peers import Nginx, running


def ensure_corobench(path):
    if not os.access(path, os.X_OK):
        processes.log("compare_wrk: building corobench (release preset)")
        subprocess.run(["cmake", "--preset", "release"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", RELEASE, "--target", "corobench", "-j2"], check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)


def cases(runner, ng, duration, connections, threads):
    def corobench():
        r = runner.corobench_run("corobench", ng.url(), duration, server=ng,
                                 connections=connections, threads=threads)
        if r["errors"]:
            sys.exit(f"compare_wrk: corobench saw {r['errors']} errors")
        return r

    def wrk():
        r = runner.wrk_run("wrk", ng, duration, connections=connections, threads=threads)
        if r["errors"]:
            sys.exit(f"compare_wrk: wrk saw {r['errors']} errors")
        return r
    return [("corobench", corobench), ("wrk", wrk)]


def line(title, cb_rps, cb_cpu, wrk_rps, wrk_cpu):
    return (f"{title:8s} corobench {cb_rps:8.0f} req/s {cb_cpu:6.2f} us CPU/req   "
            f"wrk {wrk_rps:8.0f} req/s {wrk_cpu:6.2f} us CPU/req")


def main():
    env = os.environ
    rounds, duration = int(env.get("ROUNDS", 3)), int(env.get("DURATION", 5))
    connections, threads = int(env.get("CONNECTIONS", 64)), int(env.get("THREADS", 1))
    corobench = env.get("COROBENCH", corobench_binary())
    processes.install_cleanup()
    machine.install_bench_deps()
    ensure_corobench(corobench)
    work = tempfile.mkdtemp(prefix="compare-wrk-")
    runner = Runner(work, RELEASE)
    runner.corobench = corobench
    try:
        with running(Nginx(work)) as (ng,):
            print(f"nginx (1 worker) on {ng.url()}; -c {connections} -t {threads}, {duration}s "
                  f"runs, {rounds} rounds, interleaved", flush=True)
            runs = stats.interleave(rounds, cases(runner, ng, duration, connections, threads))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cb, wk = runs["corobench"], runs["wrk"]
    key = "tool_cpu_us_per_req"
    for r, (a, b) in enumerate(zip(cb, wk)):
        print(line(f"round {r + 1}:", a["rps"], a[key], b["rps"], b[key]))
    m = {k: (stats.median_of(v, "rps"), stats.median_of(v, key)) for k, v in runs.items()}
    print(line("median:", *m["corobench"], *m["wrk"]))
    print(f"ratio corobench/wrk: requests/s {m['corobench'][0] / m['wrk'][0]:.3f}, requests per "
          f"CPU-second {m['wrk'][1] / m['corobench'][1]:.3f} (>= 1: corobench is cheaper)")


if __name__ == "__main__":
    processes.run_main(main)
