"""The server's own figures, read from GET /metrics (Prometheus text): two
scrapes make a window, and the window's counters and histograms give rates
and percentiles that do not depend on the load generator."""
import re
import time

from . import processes

SAMPLE = re.compile(r'^(\w+)(\{[^}]*\})?\s+(\S+)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def scrape(port):
    """{(name, frozenset of label pairs): value}, and when it was read."""
    status, body = processes.http_get(port, "/metrics", timeout=5)
    if status != 200:
        raise RuntimeError(f"GET /metrics answered {status}")
    samples = {}
    for line in body.decode().splitlines():
        m = SAMPLE.match(line)
        if m and not line.startswith("#"):
            labels = frozenset(LABEL.findall(m.group(2) or ""))
            samples[(m.group(1), labels)] = float(m.group(3))
    return {"t": time.monotonic(), "samples": samples}


def delta(a, b, name, **labels):
    """How much the series `name` with exactly these labels grew from a to b."""
    key = (name, frozenset(labels.items()))
    return b["samples"].get(key, 0.0) - a["samples"].get(key, 0.0)


def rate(a, b, name, **labels):
    return delta(a, b, name, **labels) / max(1e-9, b["t"] - a["t"])


def buckets(a, b, name, **labels):
    """The window's cumulative histogram: [(upper bound s, count)], +Inf last."""
    out = {}
    for (n, ls), _ in b["samples"].items():
        d = dict(ls)
        if n != name + "_bucket" or any(d.get(k) != v for k, v in labels.items()):
            continue
        le = d["le"]
        out[le] = out.get(le, 0.0) + delta(a, b, n, **d)
    return sorted(((float(le), c) for le, c in out.items()), key=lambda x: x[0])


def summed(*histograms):
    """Several windows' histograms with the same bounds, added."""
    total = {}
    for h in histograms:
        for le, c in h:
            total[le] = total.get(le, 0.0) + c
    return sorted(total.items())


def quantile(hist, q):
    """Prometheus' histogram_quantile: linear within the bucket the rank
    falls in; None without samples; the last finite bound past it."""
    if not hist or hist[-1][1] <= 0:
        return None
    rank = q * hist[-1][1]
    lo, below = 0.0, 0.0
    for le, count in hist:
        if count >= rank:
            if le == float("inf"):
                return lo
            return lo + (le - lo) * (rank - below) / max(1e-12, count - below)
        lo, below = le, count
    return lo


def share_within(hist, bound_s):
    """The fraction of samples at or under bound_s (which must be a bucket bound)."""
    if not hist or hist[-1][1] <= 0:
        return None
    for le, count in hist:
        if abs(le - bound_s) < 1e-12:
            return count / hist[-1][1]
    raise ValueError(f"{bound_s} s is not a bucket bound")
