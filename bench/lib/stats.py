"""Medians, quantiles and interleaved rounds.

The machine is shared, so no single run means much: every contender runs once
per round, the order rotated each round (A B C, B C A, C A B, ...) so that
drift in the machine's load hits all alike, and the results are medians of
the rounds and the spread of per-round ratios.
"""
import statistics

from .processes import log


def median(xs):
    xs = list(xs)
    return statistics.median(xs) if xs else float("nan")


def quartiles(xs):
    """(min, first quartile, median, third quartile, max) of xs."""
    xs = sorted(xs)
    if len(xs) < 2:
        return (xs[0],) * 5
    q1, q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return xs[0], q1, q2, q3, xs[-1]


def values(runs, key):
    """The values of `key` in runs, skipping runs that lack it."""
    return [r[key] for r in runs if r.get(key) is not None]


def median_of(runs, key):
    return median(values(runs, key))


def per_round_ratios(runs_a, runs_b, key="rps"):
    """a/b within each round: the runs of both lists are paired by round."""
    return [a[key] / b[key] for a, b in zip(runs_a, runs_b)]


def ratio_range(runs_a, runs_b, key="rps"):
    """"min–max" of the per-round ratios, or "" with a single round."""
    xs = per_round_ratios(runs_a, runs_b, key)
    return f"{min(xs):.2f}–{max(xs):.2f}" if len(xs) > 1 else ""


def rotated(cases, r):
    k = r % len(cases)
    return cases[k:] + cases[:k]


def describe(res):
    """One log line's worth of a run's result."""
    extra = f" p99 {res['p99_ms']:.2f} ms" if "p99_ms" in res else ""
    if res.get("server_cores") is not None:
        extra += f"  server {res['server_cores']:.2f} cores, others {res['others_cores']:.2f}"
    if res.get("errors"):
        extra += f"  ERRORS {res['errors']}"
    return f"{res['rps']:>11,.0f} req/s{extra}"


def interleave(rounds, cases):
    """cases: list of (key, fn() -> dict). Round r runs them rotated by r;
    returns {key: [result of each round]}."""
    results = {key: [] for key, _ in cases}
    for r in range(rounds):
        for key, fn in rotated(cases, r):
            res = fn()
            results[key].append(res)
            log(f"  round {r + 1}/{rounds}  {key:28s} {describe(res)}")
    return results
