#!/usr/bin/env python3
"""`make bench`: coroserve against its peers, on loopback, in one run.

Installs what it needs (scripts/deps.sh bench), builds the release binaries
(coroserve, corobench, bare_beast, micro_bench) with the release preset,
starts each server on a free loopback port, drives it with Debian's wrk and
with corobench, interleaves the runs (A B C ... A B C ..., the order rotated
each round) so that drift in the machine's load hits every contender alike,
and prints the table (plaintext against nginx, a bare Beast loop and Node;
pipelining; idle memory; CPU scaling; latency under CPU load; aiohttp;
corobench against wrk; overload; the workers' scheduling policy; HTTPS
against nginx: CPU per request and per handshake, handshakes per second,
I/O latency in a handshake storm, TLS bytes per idle connection) as
medians and ratios, syscalls per request, and the Google Benchmark
micro-benchmarks. Writes bench/results/latest.json and
latest.md (the machine, its load, the date, the exact commands).

    bench/run_bench.py                  # the full run, about 14 minutes on 2 cores
    bench/run_bench.py --quick          # a smoke test: 1 round of 1 s, 1,000 idle connections
    ROUNDS=7 DURATION=5 bench/run_bench.py
    bench/run_bench.py --ab OLD NEW     # two coroserve binaries, interleaved (make bench-ab)

Environment: ROUNDS, DURATION (plaintext rows, default 5 rounds of 4 s),
CPU_ROUNDS, CPU_DURATION (CPU scaling, aiohttp and latency rows, default 3
rounds of 5 s), OVERLOAD_DURATION, OVERLOAD_WARMUP (each overload run,
default 2 + 10 s), IDLE_CONNS (idle memory row, default 10000), JOBS (build
parallelism, default 2), BUILD_DIR (default build/release; anything else skips
the build step), FORCE_STRACE (count syscalls with strace, not perf).

Standard library only; the pieces live in bench/lib. Every run is bounded by a
timeout; every process the script starts is in its own process group and is
killed on exit, on error and on Ctrl-C.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

from lib import ab, machine, processes
from lib.load import Runner
from lib.measures import MEASURES, Context, run_all
from lib.paths import RELEASE, RESULTS
from lib.report import report
from lib.stats import median

AB_HELP = """\
A/B mode: --ab OLD NEW runs wrk -t1 -c64 on GET /plaintext against both
binaries, interleaved, for --rounds rounds of --duration s; reports each one's
median req/s and server CPU per request, NEW/OLD and its per-round spread, then
counts the user-space instructions per request of OLD, NEW and nginx under
valgrind's callgrind, over HTTP and over HTTPS (a figure noise does not move),
and writes ab.md and ab.json into --out. To build an old binary from a git
revision REV:
  git worktree add /tmp/old REV && make -C /tmp/old build   # then OLD=/tmp/old/build/release/server/coroserve
"""


def parse_args():
    ap = argparse.ArgumentParser(description="coroserve vs its peers, on loopback", epilog=AB_HELP,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke test: 1 round of 1 s each")
    ap.add_argument("--no-build", action="store_true", help="use the binaries as they are")
    ap.add_argument("--no-micro", action="store_true", help="skip the micro-benchmarks")
    ap.add_argument("--only", metavar="KEY[,KEY]",
                    help="run only these measures (" + ", ".join(k for k, _ in MEASURES) +
                    "); the other rows say 'not measured'")
    ap.add_argument("--out", default=RESULTS,
                    help="directory for latest.json and latest.md (ab.json and ab.md with --ab)")
    ap.add_argument("--ab", nargs=2, metavar=("OLD", "NEW"),
                    help="compare two coroserve binaries instead of the full run")
    ap.add_argument("--rounds", type=int, default=10, help="A/B rounds (default 10)")
    ap.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 5)),
                    help="seconds of each A/B run (default: $DURATION or 5)")
    args = ap.parse_args()
    if args.rounds < 1 or args.duration < 1:
        ap.error("--rounds and --duration must be at least 1")
    unknown = set(args.only.split(",")) - {k for k, _ in MEASURES} if args.only else set()
    if unknown:
        ap.error(f"--only: no measure named {', '.join(sorted(unknown))}")
    return args


def settings(args):
    """The full run's settings, from the environment, --quick setting the defaults."""
    env, q = os.environ, args.quick
    return {"rounds": int(env.get("ROUNDS", 1 if q else 5)),
            "duration_s": int(env.get("DURATION", 1 if q else 4)),
            "cpu_rounds": int(env.get("CPU_ROUNDS", 1 if q else 3)),
            "cpu_duration_s": int(env.get("CPU_DURATION", 2 if q else 5)),
            "idle_connections": int(env.get("IDLE_CONNS", 1000 if q else 10000)),
            "overload_duration_s": int(env.get("OVERLOAD_DURATION", 3 if q else 10)),
            "overload_warmup_s": int(env.get("OVERLOAD_WARMUP", 1 if q else 2)),
            "primes_n": 10_000_000,
            "syscall_requests": 20000 if q else 100000,
            "cycle_batches": int(env.get("CYCLE_BATCHES", 2 if q else 10))}


def full_run(args):
    t_start = time.monotonic()
    build_dir = os.path.abspath(os.environ.get("BUILD_DIR", RELEASE))
    if not args.no_build and build_dir == RELEASE:
        machine.build(int(os.environ.get("JOBS", 2)))
    else:
        processes.log(f"== using the binaries in {build_dir} as they are")
    s = settings(args)
    s["idle_connections"] = machine.raise_fd_limit(s["idle_connections"])
    work = tempfile.mkdtemp(prefix="coroserve-bench-")
    processes.log(f"== work directory {work} (logs of every run)")
    ctx = Context(build_dir, work, Runner(work, build_dir), s, micro=not args.no_micro)
    res = {"date": machine.utc_now(), "machine": machine.machine_info(), "work": work,
           "load_start": processes.loadavg(), "settings": s}
    run_all(ctx, res, args.only.split(",") if args.only else None)
    # Measures that start no load run (idle_rss alone) leave no samples.
    loads = ctx.runner.loads or [float(res["load_start"][0])]
    res.update({"load_end": processes.loadavg(),
                "load_during": {"min": min(loads), "median": median(loads), "max": max(loads)},
                "elapsed_s": round(time.monotonic() - t_start),
                "commands": ctx.runner.commands, "server_commands": ctx.server_commands})
    report(res, args.out)


def ab_run(args):
    for path in args.ab:
        if not os.access(path, os.X_OK):
            sys.exit(f"run_bench: {path} is not an executable coroserve binary")
    if not args.no_build and shutil.which("wrk") is None:
        machine.install_bench_deps()
    work = tempfile.mkdtemp(prefix="coroserve-ab-")
    processes.log(f"== work directory {work} (logs of every run)")
    old, new = (os.path.abspath(p) for p in args.ab)
    ab.run_ab(old, new, args.rounds, args.duration, args.out, work)


def main():
    args = parse_args()
    processes.install_cleanup()
    if args.ab:
        ab_run(args)
    else:
        full_run(args)


if __name__ == "__main__":
    processes.run_main(main)
