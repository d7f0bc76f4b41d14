"""The HTTPS rows of `make bench`'s table (measures/tls.py and tls_idle.py):
coroserve against nginx with one worker, the same certificates, one run."""
from .stats import median_of, ratio_range


def _row(num, measure, value, ratio, goal, met, spread=""):
    return {"row": num, "measure": measure, "value": value, "ratio": ratio,
            "goal": goal, "met": met, "per_round_ratio_range": spread}


def _cpu_pair(runs, a, b, key="server_cpu_us_per_req"):
    ca, cb = median_of(runs[a], key), median_of(runs[b], key)
    return ca, cb, ca / cb, ratio_range(runs[a], runs[b], key)


def row_14(res):
    k = res["tls"]["keepalive"]
    ca, cb, ratio, spread = _cpu_pair(k, "coroserve keep-alive", "nginx keep-alive")
    rps = (median_of(k["coroserve keep-alive"], "rps"), median_of(k["nginx keep-alive"], "rps"))
    return _row("14", "server CPU per keep-alive HTTPS /plaintext request vs nginx",
                f"{ca:.1f} vs {cb:.1f} µs ({rps[0]:,.0f} vs {rps[1]:,.0f} req/s)", ratio,
                "≤ 1.1×", ratio <= 1.1, spread)


def _handshake_row(num, res, key, name):
    h = res["tls"]["handshakes"]
    ca, cb, ratio, spread = _cpu_pair(h, f"coroserve {key}", f"nginx {key}")
    return _row(num, f"server CPU per full handshake + request, {name}, vs nginx",
                f"{ca:.0f} vs {cb:.0f} µs", ratio, "≤ 1.1×", ratio <= 1.1, spread)


def row_15(res):
    return _handshake_row("15", res, "ecdsa", "ECDSA P-256")


def row_16(res):
    return _handshake_row("16", res, "rsa", "RSA-2048")


def row_17(res):
    h = res["tls"]["handshakes"]
    a, b = median_of(h["coroserve rsa"], "rps"), median_of(h["nginx rsa"], "rps")
    return _row("17", "RSA-2048 full handshakes per second vs nginx (1 worker)",
                f"{a:,.0f} vs {b:,.0f}", a / b, "≥ 1.25×", a / b >= 1.25,
                ratio_range(h["coroserve rsa"], h["nginx rsa"]))


def row_18(res):
    s = res["tls"]["storm"]
    idle = median_of(s["idle"], "p99_ms")
    pool = median_of(s["storm, handshakes on the pool"], "p99_ms")
    loop = median_of(s["storm, handshakes on the loop"], "p99_ms")
    return _row("18", f"p99 of /io/sleep?ms=10 (HTTPS keep-alive) during a storm of "
                f"{res['tls']['storm_rate']:,} handshakes/s, vs idle",
                f"pool {pool:.2f}, loop {loop:.2f} vs idle {idle:.2f} ms (pool "
                f"+{pool - idle:.2f} ms)", None, "pool ≤ +2 ms", pool - idle <= 2)


def row_19(res):
    t = res["tls_idle"]
    a, b = t["coroserve"]["tls_bytes_per_conn"], t["nginx"]["tls_bytes_per_conn"]
    return _row("19", "TLS bytes per idle keep-alive connection (TLS minus plain) vs nginx",
                f"{a:,.0f} vs {b:,.0f} B", a / b if b > 0 else None, "≤ nginx", a <= b)


def row_20(res):
    k = res["tls"]["keepalive"]
    a, b, ratio, spread = _cpu_pair(k, "corobench keep-alive on nginx", "nginx keep-alive",
                                    key="tool_cpu_us_per_req")
    return _row("20", "corobench CPU per HTTPS request vs wrk, same server and load",
                f"{a:.1f} vs {b:.1f} µs", ratio, "≤ 1.0×", ratio <= 1.0, spread)


ROWS = [row_14, row_15, row_16, row_17, row_18, row_19, row_20]
