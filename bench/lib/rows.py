"""The rows of `make bench`'s table: one function per row, each reading the
results of the measures (lib/measures) and returning one row. To add a row,
write its function and list it in ROWS."""
from . import scrape
from .rows_tls import ROWS as tls_rows
from .stats import median, median_of, ratio_range


def row(num, measure, value, ratio, goal, met, spread=""):
    return {"row": num, "measure": measure, "value": value, "ratio": ratio,
            "goal": goal, "met": met, "per_round_ratio_range": spread}


def _rps(res, group, key):
    return median_of(res[group][key], "rps")


def _cpu_us(res, key):
    return median_of(res["plaintext_runs"][key], "server_cpu_us_per_req")


def _plaintext_pair(res, num, measure, a, b, goal, at_least):
    """A ratio of plaintext req/s medians, with each side's CPU per request."""
    pr = res["plaintext_runs"]
    ra, rb = _rps(res, "plaintext_runs", a), _rps(res, "plaintext_runs", b)
    value = (f"{ra:,.0f} vs {rb:,.0f} (CPU/request {_cpu_us(res, a):.1f} vs "
             f"{_cpu_us(res, b):.1f} µs)")
    return row(num, measure, value, ra / rb, goal, ra / rb >= at_least,
               ratio_range(pr[a], pr[b]))


def row_1a(res):
    return _plaintext_pair(res, "1a", "plaintext keep-alive, req/s: coroserve vs nginx (1 worker)",
                           "coroserve", "nginx", "≥ 1.2×", 1.2)


def row_1b(res):
    return _plaintext_pair(res, "1b", "… coroserve vs bare Beast loop", "coroserve",
                           "bare_beast", "≥ 0.95×", 0.95)


def row_1d(res):
    """Server CPU per request, the figure wrk's own ceiling does not cap."""
    pr = res["plaintext_runs"]
    c, n = _cpu_us(res, "coroserve"), _cpu_us(res, "nginx")
    spread = ratio_range(pr["coroserve"], pr["nginx"], key="server_cpu_us_per_req")
    return row("1d", "… server CPU per request: coroserve vs nginx", f"{c:.1f} vs {n:.1f} µs",
               c / n, "≤ 1.0×", c <= n, spread)


def row_1c(res):
    return _plaintext_pair(res, "1c", "… coroserve vs Node.js http", "coroserve", "node",
                           "≥ 2×", 2)


def row_2(res):
    return _plaintext_pair(res, "2", "pipelined ×16 vs own non-pipelined, req/s",
                           "coroserve pipeline 16", "coroserve", "≥ 3×", 3)


def row_3(res):
    r = res["idle_rss"]["coroserve"]
    b = r["bytes_per_conn"]
    return row("3", f"RSS per idle keep-alive connection ({r['connections']:,})",
               f"{b:,.0f} B", None, "≤ 1 KiB", b <= 1024)


def row_4(res):
    cr = res["cpu_runs"]
    w1, w2 = _rps(res, "cpu_runs", "workers 1"), _rps(res, "cpu_runs", "workers 2")
    c1, c2 = median_of(cr["workers 1"], "server_cores"), median_of(cr["workers 2"], "server_cores")
    return row("4", "/cpu/primes n=10^7 split=1 req/s, workers=2 vs 1",
               f"{w2:,.1f} vs {w1:,.1f} (on {c2:.2f} vs {c1:.2f} cores)", w2 / w1, "≥ 1.8×",
               w2 / w1 >= 1.8, ratio_range(cr["workers 2"], cr["workers 1"]))


def _sleep_p99(res):
    sl = res["sleep_runs"]
    return median_of(sl["idle"], "p99_ms"), median_of(sl["saturated"], "p99_ms")


def row_5(res):
    idle, sat = _sleep_p99(res)
    return row("5", "p99 of /io/sleep?ms=10, pool saturated vs idle",
               f"{sat:.2f} vs {idle:.2f} ms (+{sat - idle:.2f} ms)", None, "≤ +2 ms",
               sat - idle <= 2)


def row_6(res):
    cr = res["cpu_runs"]
    w2, ah = _rps(res, "cpu_runs", "workers 2"), _rps(res, "cpu_runs", "aiohttp 2")
    cw2 = median_of(cr["workers 2"], "server_cpu_us_per_req") / 1000
    cah = median_of(cr["aiohttp 2"], "server_cpu_us_per_req") / 1000
    return row("6", "CPU endpoint req/s vs aiohttp + ProcessPoolExecutor, 2 workers",
               f"{w2:,.1f} vs {ah:,.1f} (CPU/request {cw2:.2f} vs {cah:.2f} ms)", w2 / ah, "≥ 5×",
               w2 / ah >= 5, ratio_range(cr["workers 2"], cr["aiohttp 2"]))


def row_7(res):
    pr = res["plaintext_runs"]
    cb, wrk = _rps(res, "plaintext_runs", "corobench nginx"), _rps(res, "plaintext_runs", "nginx")
    return row("7", "generation rate on nginx, 1 thread: corobench vs wrk",
               f"{cb:,.0f} vs {wrk:,.0f}", cb / wrk, "≥ 1.0×", cb / wrk >= 1.0,
               ratio_range(pr["corobench nginx"], pr["nginx"]))


def row_8(res):
    """The round whose goodput over its own capacity is the median."""
    o = res["overload"]
    cap, t = o["capacity_rps"], o["twice"]
    g = t["goodput_rps"]
    ratios = [r["goodput_rps"] / r["capacity_rps"] for r in o.get("goodput_rounds", [])]
    spread = f"{min(ratios):.2f}–{max(ratios):.2f}" if len(ratios) > 1 else ""
    return row("8", "goodput (200s/s) at 2× capacity offered, open loop",
               f"{g:,.1f} vs capacity {cap:,.1f} (offered {t['offered_rps']:,}/s, "
               f"{t['refused_rps']:,.0f}/s refused)", g / cap, "≥ 0.95×", g / cap >= 0.95,
               spread)


def _p99_ms(hist):
    q = scrape.quantile(hist, 0.99)
    return "none" if q is None else f"≈ {q * 1000:.2f} ms"


def row_9(res):
    h = res["overload"]["twice"]["accepted"]
    within = scrape.share_within(h, 0.05)
    return row("9", "server-side p99 of accepted CPU requests at 2× capacity",
               f"{_p99_ms(h)} ({(within or 0) * 100:.2f}% ≤ 50 ms)", None, "≤ 50 ms",
               within is not None and within >= 0.99)


def row_10(res):
    o = res["overload"]
    h = scrape.summed(o["twice"]["refused"], o["fair"]["refused"])
    within = scrape.share_within(h, 0.001)
    n = h[-1][1] if h else 0
    return row("10", "server-side p99 time to a refusal (503/429), both overload runs",
               f"{_p99_ms(h)} ({(within or 0) * 100:.2f}% ≤ 1 ms of {n:,.0f})", None, "≤ 1 ms",
               within is not None and within >= 0.99)


def row_11(res):
    p = res["overload"]["fair"]["polite"]
    other = sum(n for code, n in p["status"].items() if code != "200") + p["errors"]
    return row("11", "polite client's p99 (10 req/s) beside a greedy one (64 connections)",
               f"{p['p99_ms']:.2f} ms ({other} not 200)", None, "≤ 25 ms",
               p["p99_ms"] <= 25 and other == 0)


def row_12(res):
    """With what the machine did meanwhile: a probe stall with the loop's
    timer late and steal time is the hypervisor's, not the server's."""
    o = res["overload"]
    idle = o["idle_probe"]["p99_ms"]
    worst = max(o["twice"]["probe"]["p99_ms"], o["fair"]["probe"]["p99_ms"])
    runs = (o["twice"], o["fair"])
    lag = sum(r.get("loop_lag_over_25ms", 0) for r in runs)
    steal = sum(r.get("steal_ms", 0) for r in runs)
    return row("12", "p99 of /io/sleep?ms=10 during the overload runs vs idle",
               f"{worst:.2f} vs {idle:.2f} ms (+{worst - idle:.2f} ms; loop timer late by "
               f"> 25 ms {lag:.0f} times, steal {steal:,.0f} ms)", None, "≤ +2 ms",
               worst - idle <= 2)


def row_13(res):
    """The default policy is kept unless another one beats it on both the
    probe's p99 and the pool's rate (by more than the noise of one run)."""
    runs = res["worker_sched"]
    fig = {p: (median_of(v, "p99_ms"), median_of(v, "saturating_rps")) for p, v in runs.items()}
    value = "; ".join(f"{p}: probe p99 {p99:.2f} ms, pool {rps:,.0f} req/s"
                      for p, (p99, rps) in fig.items())
    p99_d, rps_d = fig["other"]
    beaten = any(p99 < p99_d - 0.5 and rps > 1.05 * rps_d for p99, rps in fig.values())
    return row("13", "--worker-sched with the pool saturated (other is the default)", value,
               None, "default not beaten on both", not beaten)


def row_21(res):
    """Two processes on one port against one: req/s, CPU per request, and the
    busiest process's share of the requests (the kernel's spread)."""
    runs = res["reuse_port"]
    one, two = runs["one process"], runs["two processes"]
    r1, r2 = median_of(one, "rps"), median_of(two, "rps")
    share = median([max(r["requests_by_process"]) / max(1, sum(r["requests_by_process"]))
                    for r in two])
    c1, c2 = median_of(one, "server_cpu_us_per_req"), median_of(two, "server_cpu_us_per_req")
    value = (f"{r2:,.0f} vs {r1:,.0f} req/s (CPU/request {c2:.1f} vs {c1:.1f} µs); busiest "
             f"process {share:.0%} of requests")
    return row("21", "pipelined ×16 plaintext: two --reuse-port processes vs one", value, r2 / r1,
               "reported; spread ≤ 60/40", share <= 0.6, ratio_range(two, one))


def row_23(res):
    """Syscalls per keep-alive request, counted on the serving process."""
    c, n = res["syscalls"]["coroserve"], res["syscalls"]["nginx"]
    a, b = c["per_request"], n["per_request"]
    return row("23", "syscalls per keep-alive request: coroserve vs nginx (1 worker)",
               f"{a:.3f} vs {b:.3f}", a / b, "≤ nginx + 0.03", a <= b + 0.03)


def row_25(res):
    """Syscalls per connection when every request opens its own, counted on
    the serving process: what row 24's CPU is spent around."""
    sysc = res["syscalls"]
    c, n = sysc["coroserve per connection"], sysc["nginx per connection"]
    a, b = c["per_request"], n["per_request"]
    return row("25", "syscalls per connection, a connection per request (corobench "
               "--no-keepalive -c 16): coroserve vs nginx", f"{a:.2f} vs {b:.2f}", a / b,
               "reported", None)


def row_22(res):
    """RSS spread after the first batch of connection cycles: growth that
    a closed connection leaves behind."""
    c = res["conn_cycles"]
    after = c["rss_kib"][1:]
    spread = (max(after) - min(after)) / min(after)
    cycles = c["batch"] * len(c["rss_kib"])
    return row("22", f"RSS over {cycles:,} connection open/close cycles, after the first "
               f"{c['batch']:,}", f"{min(after):,}–{max(after):,} KiB (+{spread:.2%})", None,
               "≤ 1%", spread <= 0.01)


def row_24(res):
    """Server CPU per connection when every request opens its own: accept,
    read, answer and close, with no keep-alive to spread them over."""
    pr = res["plaintext_runs"]
    a, b = pr["coroserve connection per request"], pr["nginx connection per request"]
    c, n = median_of(a, "server_cpu_us_per_req"), median_of(b, "server_cpu_us_per_req")
    cu, nu = median_of(a, "server_user_us_per_req"), median_of(b, "server_user_us_per_req")
    return row("24", "server CPU per connection, a connection per request (corobench "
               "--no-keepalive -c 16): coroserve vs nginx",
               f"{c:.1f} vs {n:.1f} µs (in user space {cu:.1f} vs {nu:.1f})", c / n,
               "≤ 1.0×", c <= n, ratio_range(a, b, key="server_cpu_us_per_req"))


ROWS = [row_1a, row_1b, row_1c, row_1d, row_2, row_3, row_4, row_5, row_6, row_7, row_8, row_9,
        row_10, row_11, row_12, row_13] + tls_rows + [row_21, row_22, row_23, row_24, row_25]


def medians(res):
    if not all(k in res for k in ("plaintext_runs", "cpu_runs", "sleep_runs")):
        return None
    idle, sat = _sleep_p99(res)
    return {"plaintext_rps": {k: median_of(v, "rps") for k, v in res["plaintext_runs"].items()},
            "cpu_rps": {k: median_of(v, "rps") for k, v in res["cpu_runs"].items()},
            "sleep_p99_idle_ms": idle, "sleep_p99_saturated_ms": sat}


def others_cores(res):
    """Cores the rest of the machine kept busy, over every run that read it."""
    groups = [res[k] for k in ("plaintext_runs", "cpu_runs", "sleep_runs", "worker_sched")
              if k in res]
    xs = [r["others_cores"] for g in groups for v in g.values() for r in v
          if r.get("others_cores") is not None]
    return {"median": median(xs), "min": min(xs), "max": max(xs)} if xs else None


def _row_or_unmeasured(f, res):
    """A row whose measure did not run (run_bench.py --only) says so."""
    try:
        return f(res)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return row(f.__name__.removeprefix("row_"), "not measured in this run", "", None, "",
                   None)


def add_rows(res):
    """The derived parts of the results: medians, rows, others' cores."""
    res["medians"] = medians(res)
    res["rows"] = [_row_or_unmeasured(f, res) for f in ROWS]
    res["others_cores"] = others_cores(res)
    return res
