"""A/B: two coroserve binaries, OLD and NEW, measured alike and interleaved.

Each round runs wrk -t1 -c64 keep-alive GET /plaintext against each binary,
the order rotated each round, and reads the server's own CPU (utime + stime
from /proc/PID/stat over the run) per request. The result: each binary's
median req/s and median server CPU per request, the ratio NEW/OLD of the CPU
medians, the spread of the per-round ratios, and a plain verdict: NEW within
3% of OLD, beyond it, or a spread too wide to tell 3% apart. Beside it, the
user-space instructions each binary and nginx spend per request, over HTTP
and over HTTPS (counted by callgrind, instructions.py): a figure the
machine's noise does not move.
"""
import hashlib
import os
import subprocess
import time

from . import instructions, machine, peers, processes, report, stats
from .load import Runner
from .measures import tls
from .paths import RELEASE

THRESHOLD = 0.03  # the difference in CPU per request that counts
CONNECTIONS = 64


def binary_info(path):
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    try:
        r = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
        version = (r.stdout.strip().splitlines() or ["?"])[0]
    except (OSError, subprocess.TimeoutExpired):
        version = "?"
    return {"path": os.path.abspath(path), "sha256": digest, "version": version}


def ab_runs(runner, work, binaries, rounds, duration, server_commands):
    """{"old": [run of each round], "new": [...]}, interleaved."""
    servers = [peers.Coroserve(name, work, path) for name, path in binaries.items()]
    with peers.running(*servers, commands=server_commands):
        for s in servers:
            runner.wrk_run(f"warm {s.name}", s, 1, connections=CONNECTIONS)
        cases = [(s.name, lambda s=s: runner.wrk_run(f"wrk {s.name}", s, duration,
                                                     connections=CONNECTIONS))
                 for s in servers]
        return stats.interleave(rounds, cases)


def summarize(runs):
    old, new = runs["old"], runs["new"]
    medians = {k: {"rps": stats.median_of(v, "rps"),
                   "server_cpu_us_per_req": stats.median_of(v, "server_cpu_us_per_req"),
                   "server_cores": stats.median_of(v, "server_cores"),
                   "errors": sum(r["errors"] for r in v)} for k, v in runs.items()}
    per_round = stats.per_round_ratios(new, old, "server_cpu_us_per_req")
    mn, q1, q2, q3, mx = stats.quartiles(per_round)
    return {"medians": medians,
            "cpu_ratio_new_over_old": (medians["new"]["server_cpu_us_per_req"]
                                       / medians["old"]["server_cpu_us_per_req"]),
            "per_round_cpu_ratio": {"values": per_round, "min": mn, "q1": q1, "median": q2,
                                    "q3": q3, "max": mx}}


def verdict(summary):
    m, r, pr = summary["medians"], summary["cpu_ratio_new_over_old"], summary["per_round_cpu_ratio"]
    wide = pr["q3"] - pr["q1"] > THRESHOLD
    cpu = (f"median server CPU per request NEW {m['new']['server_cpu_us_per_req']:.2f} µs, "
           f"OLD {m['old']['server_cpu_us_per_req']:.2f} µs, NEW/OLD {r:.3f}")
    spread = (f"per-round NEW/OLD IQR {pr['q1']:.3f}–{pr['q3']:.3f}, "
              f"min–max {pr['min']:.3f}–{pr['max']:.3f}")
    if wide:
        text = (f"The per-round spread is wider than 3% ({spread}): the result is both medians "
                f"and that spread, not a verdict: {cpu}.")
    elif abs(r - 1) <= THRESHOLD:
        text = f"NEW is within 3% of OLD: {cpu} ({spread})."
    else:
        text = (f"NEW is {abs(r - 1) * 100:.1f}% {'over' if r > 1 else 'under'} OLD, beyond 3%: "
                f"{cpu} ({spread}).")
    return {"within_3_percent": not wide and abs(r - 1) <= THRESHOLD,
            "at_most_3_percent_over": not wide and r <= 1 + THRESHOLD,
            "spread_wider_than_3_percent": wide, "text": text}


def instruction_counts(runner, work, binaries):
    """User-space instructions per request of OLD, NEW and nginx (one
    worker), from callgrind, over HTTP and over HTTPS (ECDSA); None when
    valgrind is not installed."""
    if not instructions.available():
        processes.log("  no instruction counts: valgrind is not installed (scripts/deps.sh bench)")
        return None
    processes.log("  instructions per request under callgrind: OLD, NEW, nginx; HTTP, then HTTPS")
    http = {k: instructions.coroserve(work, p) for k, p in binaries.items()}
    http["nginx"] = instructions.nginx(work)
    certs = tls.make_certs(work)
    https = {k: (lambda p=p: tls.coroserve_tls(work, p, certs, "ecdsa"))
             for k, p in binaries.items()}
    https["nginx"] = lambda: tls.nginx_tls(work, certs, "ecdsa")
    return {scheme: {k: instructions.per_request(make, runner) for k, make in makers.items()}
            for scheme, makers in (("http", http), ("https", https))}


def _instructions_line(res):
    counts = res.get("instructions_per_request")
    if not counts:
        return "User-space instructions per request: not counted (valgrind is not installed)."
    each = "; ".join(f"{scheme.upper()}: OLD {c['old']:,.0f}, NEW {c['new']:,.0f} "
                     f"(NEW/OLD {c['new'] / c['old']:.3f}), nginx {c['nginx']:,.0f}"
                     for scheme, c in counts.items())
    return (f"User-space instructions per request (valgrind's callgrind, the same every run; "
            f"`bench/lib/instructions.py`): {each}.")


def _binaries_table(res):
    lines = ["| binary | median req/s | median server CPU µs/req | server cores | errors | "
             "path | sha256 | version |", "|---|---|---|---|---|---|---|---|"]
    for k, b in res["binaries"].items():
        m = res["medians"][k]
        lines.append(f"| {k.upper()} | {m['rps']:,.0f} | {m['server_cpu_us_per_req']:.2f} | "
                     f"{m['server_cores']:.2f} | {m['errors']} | {b['path']} | "
                     f"{b['sha256'][:12]} | {b['version']} |")
    return lines


def _rounds_table(res):
    lines = ["| round | order | OLD req/s | NEW req/s | OLD CPU µs/req | NEW CPU µs/req | "
             "NEW/OLD CPU |", "|---|---|---|---|---|---|---|"]
    for i, (o, n) in enumerate(zip(res["runs"]["old"], res["runs"]["new"])):
        lines.append(f"| {i + 1} | {' '.join(res['order'][i]).upper()} | {o['rps']:,.0f} | "
                     f"{n['rps']:,.0f} | {o['server_cpu_us_per_req']:.2f} | "
                     f"{n['server_cpu_us_per_req']:.2f} | "
                     f"{res['per_round_cpu_ratio']['values'][i]:.3f} |")
    return lines


def markdown(res):
    info, s = res["machine"], res["settings"]
    lines = ["# coroserve A/B (`bench/run_bench.py --ab OLD NEW`)", "",
             f"{res['date']}; {info['nproc']} × {info['cpu']}, Linux {info['kernel']}. Load "
             f"average (1 min) {res['load_start'][0]} at the start, {res['load_end'][0]} at the "
             f"end. {s['rounds']} rounds of {s['duration_s']} s, each binary once per round, the "
             f"order rotated; took {res['elapsed_s']} s.", "",
             f"**{res['verdict']['text']}**", "", _instructions_line(res), ""]
    if res["binaries"]["old"]["sha256"] == res["binaries"]["new"]["sha256"]:
        lines += ["OLD and NEW are the same file: any difference is the machine's noise.", ""]
    lines += _binaries_table(res) + [""] + _rounds_table(res) + [""]
    lines += ["Server CPU = user + system time of the coroserve process over the run "
              "(/proc/PID/stat), per request answered.", "", "```"]
    lines += [f"# server {k}: {report.tidy(res, c)}" for k, c in res["server_commands"].items()]
    lines += [f"# {k}: {report.tidy(res, c)}" for k, c in res["commands"].items()
              if not k.startswith("warm ")]
    return "\n".join(lines + ["```"]) + "\n"


def run_ab(old, new, rounds, duration, out_dir, work):
    t0 = time.monotonic()
    binaries = {"old": old, "new": new}
    res = {"date": machine.utc_now(), "machine": machine.machine_info(), "work": work,
           "load_start": processes.loadavg(),
           "settings": {"rounds": rounds, "duration_s": duration, "connections": CONNECTIONS,
                        "threads": 1, "path": "/plaintext"},
           "binaries": {k: binary_info(p) for k, p in binaries.items()}, "server_commands": {}}
    processes.log(f"== A/B: GET /plaintext, wrk -t1 -c{CONNECTIONS}, {rounds} rounds of "
                  f"{duration} s; OLD {old}, NEW {new}")
    runner = Runner(work, RELEASE)  # wrk times; corobench drives the instruction counts
    res["runs"] = ab_runs(runner, work, binaries, rounds, duration, res["server_commands"])
    res["instructions_per_request"] = instruction_counts(runner, work, binaries)
    res["order"] = [[k for k, _ in stats.rotated(list(binaries.items()), r)] for r in range(rounds)]
    res.update(summarize(res["runs"]))
    res["verdict"] = verdict(res)
    res.update({"load_end": processes.loadavg(), "elapsed_s": round(time.monotonic() - t0),
                "commands": runner.commands})
    paths = report.write(res, out_dir, "ab", markdown(res))
    print(res["verdict"]["text"])
    print(_instructions_line(res))
    report.print_written(paths)
    return res
