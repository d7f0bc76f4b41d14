"""bench/results/latest.md and latest.json, and the console table.

The markdown is a list of sections, each a function of the results: a new
measure with a table of its own adds one function to SECTIONS."""
import json
import os

from .paths import ROOT
from .rows import add_rows
from .stats import median, median_of

PLAINTEXT_SERVERS = ("coroserve", "nginx", "bare_beast", "node")


def fmt_ratio(x):
    return f"{x:.2f}×" if x is not None else ""


def si(x, unit):
    for div, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:.3g} {prefix}{unit}"
    return f"{x:.3g} {unit}"


def _joined(runs, key, fmt):
    return ", ".join(fmt.format(r[key]) for r in runs)


def _med(runs, key, fmt):
    xs = [r[key] for r in runs if r.get(key) is not None]
    return fmt.format(median(xs)) if xs else ""


def _others_text(res):
    o = res["others_cores"]
    return f"{o['median']:.2f} ({o['min']:.2f}–{o['max']:.2f})" if o else "?"


def header(res):
    info, ld = res["machine"], res["load_during"]
    return ["# coroserve benchmark (`make bench`)", "",
            f"{res['date']}; {info['nproc']} × {info['cpu']}, {info['memory']}, Linux "
            f"{info['kernel']}, {info['os']}. Load average (1 min) {res['load_start'][0]} at the "
            f"start, {ld['min']:.2f}–{ld['max']:.2f} (median {ld['median']:.2f}) before the runs, "
            f"{res['load_end'][0]} at the end. Other processes kept {_others_text(res)} cores busy "
            f"during the runs (median, min–max over runs). Took {res['elapsed_s']} s.", ""]


def _met(met, no):
    return "—" if met is None else "yes" if met else no


def rows_table(res):
    lines = ["| # | measure | median | ratio | per-round ratios | goal | met |",
             "|---|---|---|---|---|---|---|"]
    for r in res["rows"]:
        lines.append(f"| {r['row']} | {r['measure']} | {r['value']} | {fmt_ratio(r['ratio'])} | "
                     f"{r['per_round_ratio_range']} | {r['goal']} | "
                     f"{_met(r['met'], '**no**')} |")
    return lines + [""]


def syscalls_table(res):
    sysc = res["syscalls"]
    lines = ["Syscalls per request (keep-alive, corobench -c 64 -t 1, "
             f"{res['settings']['syscall_requests']:,} requests; counted on the serving process):",
             "", "| server | syscalls / request | of which EAGAIN | by call (per request) | "
             "pipelined ×16: syscalls / request |", "|---|---|---|---|---|"]
    for name in PLAINTEXT_SERVERS:
        s, p = sysc[name], sysc.get(f"{name} pipeline 16")
        by = ", ".join(f"{k} {v}" for k, v in s["by_call"].items())
        ea = f"{s['eagain_per_request']:.3f}" if s.get("eagain_per_request") is not None else "?"
        pp = f"{p['per_request']:.3f}" if p else ""
        lines.append(f"| {name} | {s['per_request']:.3f} ({s['tool']}) | {ea} | {by} | {pp} |")
    return lines + [""]


def _sleep_line(k, v):
    extra = ""
    if k == "saturated":
        extra = " (saturating load: " + ", ".join(
            f"{r['saturating_rps']:,.0f}" if r.get("saturating_rps") else "?" for r in v) + \
            " req/s of primes)"
    return (f"| /io/sleep?ms=10 at 200 req/s, {k}: p50 / p99 / p99.9 ms | "
            f"{median_of(v, 'p50_ms'):.2f} / {median_of(v, 'p99_ms'):.2f} / "
            f"{median_of(v, 'p999_ms'):.2f} | p99 {_joined(v, 'p99_ms', '{:.2f}')}{extra} | | "
            f"{_med(v, 'server_cores', '{:.2f}')} | | {_med(v, 'others_cores', '{:.2f}')} |")


def medians_table(res):
    lines = ["All medians (req/s, keep-alive plaintext, wrk -t1 -c64 unless noted). Server CPU = "
             "user+system µs per request of the server's processes (/proc/PID/stat); server "
             "cores = the same per second of wall time; tool CPU = µs per request of the load "
             "generator; others = cores the rest of the machine kept busy meanwhile (/proc/stat "
             "busy time minus server and tool; it includes steal):", "",
             "| run | median req/s | runs | server CPU µs/req | server cores | tool CPU µs/req | "
             "others (cores) |", "|---|---|---|---|---|---|---|"]
    for k, v in res["plaintext_runs"].items():
        lines.append(f"| {k} | {median_of(v, 'rps'):,.0f} | {_joined(v, 'rps', '{:,.0f}')} | "
                     f"{_med(v, 'server_cpu_us_per_req', '{:.2f}')} | "
                     f"{_med(v, 'server_cores', '{:.2f}')} | "
                     f"{median_of(v, 'tool_cpu_us_per_req'):.2f} | "
                     f"{_med(v, 'others_cores', '{:.2f}')} |")
    for k, v in res["cpu_runs"].items():
        lines.append(f"| primes n=10^7, -c 4: {k} | {median_of(v, 'rps'):,.1f} | "
                     f"{_joined(v, 'rps', '{:,.1f}')} | "
                     f"{_med(v, 'server_cpu_us_per_req', '{:,.0f}')} | "
                     f"{_med(v, 'server_cores', '{:.2f}')} | "
                     f"{_med(v, 'tool_cpu_us_per_req', '{:.1f}')} | "
                     f"{_med(v, 'others_cores', '{:.2f}')} |")
    lines += [_sleep_line(k, v) for k, v in res["sleep_runs"].items()]
    return lines + [""]


def idle_table(res):
    lines = ["Idle keep-alive connections (VmRSS of the serving process before and after):", "",
             "| server | connections | VmRSS before → after (KiB) | bytes / connection | "
             "closed by server |", "|---|---|---|---|---|"]
    for name, r in res["idle_rss"].items():
        lines.append(f"| {name} | {r['connections']:,} | {r['rss_before_kib']:,} → "
                     f"{r['rss_after_kib']:,} | {r['bytes_per_conn']:,.0f} | "
                     f"{r['closed_by_server']} |")
    return lines + [""]


def notes(res):
    info, others = res["machine"], res["others_cores"]
    lines = ["Notes:", ""]
    if others and others["median"] > 0.25:
        lines.append(
            f"- **The machine was loaded**: other processes kept a median {others['median']:.2f} "
            f"of its {info['nproc']} cores busy. The CPU scaling and latency rows (4 and 5) need "
            "both cores free (row 4: see the cores coroserve actually got; coroserve's workers "
            "run at nice 10 by default, so other tenants at nice 0 take their CPU first, while "
            "aiohttp's processes run at nice 0). The plaintext rows (1, 2 and 7) use one core for "
            "the server and one for the load generator, so every contender there lost some of "
            "its core; the interleaving spreads that loss.")
    return lines + [
        "- Runs are interleaved (every contender once per round, the order rotated each round) "
        "and the table shows medians; \"per-round ratios\" is the range of the ratio within "
        "each round. The machine is shared: read the load average above before the numbers.",
        "- Peers: nginx with one worker answering `return 200 \"Hello, World!\"` "
        "(bench/peers/nginx-plaintext.conf); Node.js `http`, one thread "
        "(bench/peers/node_plaintext.js); a bare Boost.Beast coroutine loop, no routing, no "
        "metrics, no Date header (bench/peers/bare_beast.cpp); aiohttp with `run_in_executor` on "
        "a `ProcessPoolExecutor(2)` (bench/peers/aiohttp_server.py).",
        "- aiohttp's prime count is not coroserve's segmented sieve transcribed (that would be "
        "unfairly slow in pure Python) but the fastest reasonable pure-Python sieve: odd-only "
        "`bytearray`, C-level slice assignment, `bytearray.count`. Both answer π(10^7) = 664,579 "
        "(checked before measuring).",
        "- Row 2 pipelines with bench/pipeline.lua (16 requests per write); row 7 is corobench "
        "against wrk on the same nginx, both `-c 64 -t 1`, interleaved with the rest; when nginx "
        "is the bottleneck both rates are nginx's and the tool CPU column tells them apart.",
        "- Row 5: corobench open loop (`-R 200`, latency from each request's scheduled time) on "
        "coroserve `--workers 2`; \"saturated\" runs it while a second corobench keeps 4 "
        "`/cpu/primes?n=10000000&split=1` requests in flight (2 running, 2 queued).",
        "- Syscalls: `perf stat -e raw_syscalls:sys_enter,...` attached to the serving process "
        "(nginx: its worker) for a fixed number of requests (falls back to `strace -c -f`); "
        "EAGAIN counts the calls that returned it (`raw_syscalls:sys_exit --filter 'ret == -11'`):"
        " reads tried before the next request had arrived. 2 per request (one read, one write) "
        "is the floor for epoll without pipelining. Boost 1.81's reactor tries every read at "
        "once after a read that returned data; the build's edit of Asio "
        "(cmake/PatchAsioShortRead.cmake) makes a short read wait for epoll instead, until the "
        "peer's FIN is seen (docs/performance.md, The hot path).", ""]


def tidy(res, cmd):
    """A command line without this checkout's path and the work directory."""
    return cmd.replace(ROOT + "/", "").replace(res["work"], "$WORK")


def _micro_note(b, openssl):
    size = b["name"].split("/")[-1]
    if b["name"].startswith("BM_Sha256/") and size.isdigit() and int(size) in openssl:
        return f"openssl speed: {si(openssl[int(size)], 'B/s')}"
    return b["label"]


def micro_table(res):
    mi = res.get("micro")
    if not mi:
        return []
    # JSON turns the sizes into strings; a fresh result has ints.
    openssl = {int(k): v for k, v in mi["openssl_sha256_bytes_per_s"].items()}
    lines = ["Micro-benchmarks (Google Benchmark, one thread; `" + tidy(res, mi["command"]) + "`):",
             "", "| benchmark | time | rate | note |", "|---|---|---|---|"]
    for b in mi["benchmarks"]:
        rate = ""
        if b["bytes_per_second"]:
            rate = si(b["bytes_per_second"], "B/s")
        elif b["items_per_second"]:
            rate = si(b["items_per_second"], "items/s")
        lines.append(f"| {b['name']} | {b['time']:.4g} {b['unit']} | {rate} | "
                     f"{_micro_note(b, openssl)} |")
    return lines + ["", "Items: numbers sieved (primes), chain rounds (SHA-256 chain), pixels "
                    "(Mandelbrot), calls (router, histogram).", ""]


def commands(res):
    lines = ["Commands (ports are picked free at run time; $WORK is a temporary directory):", "",
             "```"]
    lines += [f"# server {name}: {tidy(res, cmd)}" for name, cmd in res["server_commands"].items()]
    lines += [f"# {label}: {tidy(res, cmd)}" for label, cmd in res["commands"].items()
              if not label.startswith("warm ")]
    return lines + ["```", ""]


def settings(res):
    s, info = res["settings"], res["machine"]
    versions = "; ".join(f"{k}: {v}" for k, v in info["versions"].items())
    return [f"Settings: {s['rounds']} rounds × {s['duration_s']} s (plaintext), {s['cpu_rounds']} "
            f"rounds × {s['cpu_duration_s']} s (CPU and latency rows), "
            f"{s['idle_connections']:,} idle connections. Versions: {versions}."]


SECTIONS = [header, rows_table, syscalls_table, medians_table, idle_table, notes, micro_table,
            commands, settings]


def _section(section, res):
    """A section whose measure did not run (run_bench.py --only) is left out."""
    try:
        return section(res)
    except (KeyError, TypeError):
        return []


def markdown(res):
    return "\n".join(line for s in SECTIONS for line in _section(s, res)) + "\n"


def write(res, out_dir, name, md):
    """Writes NAME.json and NAME.md into out_dir; returns their paths."""
    os.makedirs(out_dir, exist_ok=True)
    paths = [os.path.join(out_dir, f"{name}.{ext}") for ext in ("md", "json")]
    with open(paths[1], "w") as f:
        json.dump(res, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(paths[0], "w") as f:
        f.write(md)
    return paths


def print_written(paths):
    print("written: " + ", ".join(os.path.relpath(p, ROOT) for p in paths))


def console(res, paths):
    info = res["machine"]
    print()
    print(f"coroserve bench, {res['date']}, {info['nproc']} × {info['cpu']}, Linux "
          f"{info['kernel']}, load {res['load_start'][0]} -> {res['load_end'][0]}")
    print(f"{'#':3s} {'measure':64s} {'median':58s} {'ratio':>7s}  {'goal':8s} met")
    for r in res["rows"]:
        print(f"{r['row']:3s} {r['measure'][:64]:64s} {r['value'][:58]:58s} "
              f"{fmt_ratio(r['ratio']):>7s}  {r['goal']:8s} {_met(r['met'], 'NO')}")
    if "syscalls" in res:
        print("syscalls/request: " + ", ".join(f"{k} {v['per_request']:.2f}"
                                               for k, v in res["syscalls"].items()))
    print_written(paths)


def report(res, out_dir):
    add_rows(res)
    console(res, write(res, out_dir, "latest", markdown(res)))
